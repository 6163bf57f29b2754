import { existsSync, readdirSync, readFileSync } from "fs";
import * as path from "path";
import { loadConfig } from "../../lib/config/load-config";
import { Config } from "../../lib/config/schema";
import { canaryCheckModule } from "../../lib/constructs/api-canary";
import { CommandKind, PolicyKind, stackPermissions, StackPermissions, UnknownTypeError } from "../../lib/permissions/generate";
import { actionsOf, PolicyDocument, Statement } from "../../lib/permissions/policy";
import { config } from "../helpers/example";
import { synthProject } from "../helpers/project";

const ROOT = path.join(__dirname, "../..");

/** Every stack of `cfg`, synthesized, with the canary's check module its consumers call. */
function permissionsOf(cfg: Config): Record<string, StackPermissions> {
  const checkModule = JSON.parse(readFileSync(path.join(canaryCheckModule().built, "main.tf.json"), "utf8"));
  return Object.fromEntries(
    Object.entries(synthProject(cfg).stacks).map(([id, json]) => {
      const modules = Object.fromEntries(Object.values<any>((json as any).module ?? {}).map((call) => {
        expect(call.source).toContain("canary_check-module");
        return [call.source, checkModule];
      }));
      return [id, stackPermissions({ id, json, modules })];
    }),
  );
}

const statement = (policy: PolicyDocument | undefined, action: string): Statement[] => (policy?.Statement ?? []).filter((s) => s.Action.includes(action));
const resources = (s: Statement) => [s.Resource].flat();
const WRITES = /^[a-z0-9-]+:(Create|Delete|Put|Update|Modify|Associate|Disassociate|Replace|Authorize|Revoke|Accept|Attach|Detach|Tag|Untag|Change|Pass|POST|PUT|PATCH|DELETE)/;

describe("the example's policies", () => {
  const example = permissionsOf(config());
  const [a, b] = [example["account-a"], example["account-b"]];

  test("plan only reads, and invokes the canary: its Sid says every plan does unless canary_check is false", () => {
    for (const stack of [a, b]) expect(actionsOf(stack.policies.plan!).filter((action) => WRITES.test(action))).toEqual([]);
    const [invoke] = statement(a.policies.plan, "lambda:InvokeFunction");
    expect(invoke).toEqual({
      Sid: "CanaryCheckInvokesTheCanaryWheneverTerraformPlansUnlessCanaryCheckIsFalse",
      Effect: "Allow",
      Action: ["lambda:InvokeFunction"],
      Resource: ["arn:aws:lambda:ap-northeast-1:111111111111:function:private-apigw-account-a-canary", "arn:aws:lambda:ap-northeast-1:111111111111:function:private-apigw-account-a-canary:*"],
    });
    expect(statement(b.policies.plan, "lambda:InvokeFunction")).toEqual([]);
  });

  test("deploy holds every action of plan, and creates, updates and deletes; destroy creates nothing", () => {
    for (const stack of [a, b]) {
      const deploy = actionsOf(stack.policies.deploy!);
      expect(actionsOf(stack.policies.plan!).filter((action) => !deploy.includes(action) && action !== "ec2:DescribeNetworkAcls")).toEqual([]);
      expect(deploy).toEqual(expect.arrayContaining(["ec2:CreateVpc", "ec2:ModifyVpcAttribute", "ec2:DeleteVpc", "ec2:CreateTags"]));
      expect(actionsOf(stack.policies.destroy!).filter((action) => /:(Create|Put|POST|PUT|Accept|Authorize)/.test(action))).toEqual([]);
    }
  });

  test("`*` only for actions without resource-level permissions: EC2's Describe*, Route 53's CreateHostedZone", () => {
    for (const stack of [a, b]) {
      for (const policy of Object.values(stack.policies)) {
        const unscoped = policy!.Statement.filter((s) => resources(s).includes("*"));
        expect(unscoped.map((s) => s.Sid)).toEqual(unscoped.length ? ["ReadsAndCreatesWithoutResourceLevelPermissions"] : []);
        expect(unscoped.flatMap((s) => s.Action).filter((action) => !/^ec2:Describe/.test(action) && action !== "route53:CreateHostedZone")).toEqual([]);
      }
    }
  });

  test("every other resource is in the stack's own account and region, but the peer's VPC the request names", () => {
    const foreign = (stack: StackPermissions, account: string) =>
      Object.values(stack.policies).flatMap((p) => p!.Statement.flatMap((s) => resources(s).filter((r) => /^arn:aws:[a-z0-9-]+:[a-z0-9*-]*:\d{12}:/.test(r) && !r.includes(`:${account}:`)).map((r) => `${s.Sid} ${r}`)));
    expect(foreign(a, "111111111111")).toEqual(["PeeringRequestToThePeersVpc arn:aws:ec2:ap-northeast-1:222222222222:vpc/*"]);
    expect(foreign(b, "222222222222")).toEqual(["AccepterTagsOnConsumersPeeringConnections arn:aws:ec2:*:111111111111:vpc-peering-connection/*"]);
  });

  test("B accepts only requests from the consumers' accounts into its own VPCs", () => {
    expect(statement(b.policies.deploy, "ec2:AcceptVpcPeeringConnection")).toEqual([
      {
        Sid: "AcceptPeeringFromConsumerAccountsIntoOwnVpcs",
        Effect: "Allow",
        Action: ["ec2:AcceptVpcPeeringConnection"],
        Resource: "arn:aws:ec2:*:*:vpc-peering-connection/*",
        Condition: { ArnLike: { "ec2:AccepterVpc": "arn:aws:ec2:ap-northeast-1:222222222222:vpc/*", "ec2:RequesterVpc": ["arn:aws:ec2:*:111111111111:vpc/*"] } },
      },
    ]);
  });

  test("iam:PassRole: A's canary role to Lambda only; B's CloudFormation logging role to API Gateway only", () => {
    expect(statement(a.policies.deploy, "iam:PassRole")).toEqual([
      { Sid: "PassOwnRolesToLambdaOnly", Effect: "Allow", Action: ["iam:PassRole"], Resource: "arn:aws:iam::111111111111:role/private-apigw-account-a-canary-apne1", Condition: { StringEquals: { "iam:PassedToService": "lambda.amazonaws.com" } } },
    ]);
    expect(statement(b.policies.deploy, "iam:PassRole")).toEqual([
      {
        Sid: "PassCloudFormationsLoggingRoleToApiGatewayOnly",
        Effect: "Allow",
        Action: ["iam:PassRole"],
        Resource: "arn:aws:iam::222222222222:role/private-apigw/apigateway-cloudwatch/*",
        Condition: { StringEquals: { "iam:PassedToService": "apigateway.amazonaws.com" } },
      },
    ]);
    for (const kind of ["plan", "destroy"] as const) expect([a, b].flatMap((s) => statement(s.policies[kind], "iam:PassRole"))).toEqual([]);
  });

  test("CloudFormation creates the logging role with the caller's credentials: IAM actions on its path only, in deploy only", () => {
    const [roles] = statement(b.policies.deploy, "iam:CreateRole");
    expect([roles.Sid, roles.Resource]).toEqual(["IamRolesCloudFormationCreatesWithTheCallersCredentials", "arn:aws:iam::222222222222:role/private-apigw/apigateway-cloudwatch/*"]);
    // RetainExceptOnCreate: deleted only when the stack's own creation rolls back, which a deploy does.
    expect(b.needs.deploy!["iam:DeleteRole"]).toEqual([expect.objectContaining({ source: "aws_cloudformation_stack template AWS::IAM::Role", operation: "delete", awsOnly: { why: expect.stringContaining("RetainExceptOnCreate") } })]);
    expect(actionsOf(b.policies.destroy!).filter((action) => action.startsWith("iam:"))).toEqual([]);
    expect(actionsOf(b.policies.destroy!)).toContain("cloudformation:DeleteStack");
  });

  test("the imported account setting is only read by Terraform: PATCH on /account is CloudFormation's", () => {
    const [account] = b.policies.deploy!.Statement.filter((s) => s.Resource === "arn:aws:apigateway:ap-northeast-1::/account");
    expect(account.Action).toEqual(["apigateway:GET", "apigateway:PATCH"]);
    expect(b.needs.deploy!["apigateway:PATCH"].filter((n) => n.source === "aws_api_gateway_account")).toEqual([]);
    expect(b.policies.destroy!.Statement.filter((s) => s.Resource === "arn:aws:apigateway:ap-northeast-1::/account")).toEqual([]);
  });

  test("a resource policy update needs apigateway:UpdateRestApiPolicy on top of PATCH", () => {
    for (const kind of ["deploy", "destroy"] as const) expect(statement(b.policies[kind], "apigateway:UpdateRestApiPolicy").map((s) => s.Resource)).toEqual(["arn:aws:apigateway:ap-northeast-1::/restapis/*"]);
  });

  test("the canary's ENIs that linger after it: A's destroy may detach and delete network interfaces, B's not", () => {
    expect(actionsOf(a.policies.destroy!)).toEqual(expect.arrayContaining(["ec2:DetachNetworkInterface", "ec2:DeleteNetworkInterface"]));
    expect(actionsOf(b.policies.destroy!)).not.toContain("ec2:DeleteNetworkInterface");
  });

  test("no wildcard action; no statement repeats a scope; the local backend needs nothing", () => {
    for (const stack of [a, b]) {
      for (const policy of Object.values(stack.policies)) {
        expect(actionsOf(policy!).filter((action) => /[*?]/.test(action))).toEqual([]);
        const sids = policy!.Statement.map((s) => s.Sid);
        expect(new Set(sids).size).toBe(sids.length);
      }
      expect(actionsOf(stack.policies.deploy!).filter((action) => /^(s3|dynamodb|kms):/.test(action))).toEqual([]);
      expect(stack.policies["state-read"]).toBeUndefined();
    }
  });
});

describe("what the configuration changes", () => {
  test("the canary turned off: no plan, deploy or destroy invokes a function", () => {
    const a = permissionsOf(config({ accountA: { canary: false } }))["account-a"];
    for (const kind of ["plan", "deploy", "destroy"] as const) expect(actionsOf(a.policies[kind]!)).not.toContain("lambda:InvokeFunction");
    expect(actionsOf(a.policies.deploy!).filter((action) => action.startsWith("lambda:") || action === "iam:PassRole")).toEqual([]);
  });

  test("cross-region: the peer VPC is in B's region and account", () => {
    const xregion = permissionsOf(loadConfig(path.join(ROOT, "examples/cross-region/config.json")));
    expect(statement(xregion["account-a"].policies.deploy, "ec2:CreateVpcPeeringConnection").flatMap(resources)).toContain("arn:aws:ec2:us-east-1:444444444444:vpc/*");
  });

  test("S3 backend: plan reads and locks its own state, deploy writes it, B's read role reads only B's object", () => {
    const s3 = permissionsOf(config({ backend: { type: "s3", accountA: { bucket: "state-a" }, accountB: { bucket: "state-b", readRoleArn: "arn:aws:iam::222222222222:role/state-reader" } } }));
    const [a, b] = [s3["account-a"], s3["account-b"]];
    expect(statement(a.policies.plan, "s3:GetObject").flatMap(resources)).toEqual(["arn:aws:s3:::state-a/private-apigw/account-a.tfstate", "arn:aws:s3:::state-a/private-apigw/account-a.tfstate.tflock"]);
    expect(statement(a.policies.plan, "s3:PutObject").flatMap(resources)).toEqual(["arn:aws:s3:::state-a/private-apigw/account-a.tfstate.tflock"]);
    expect(statement(a.policies.deploy, "s3:PutObject").flatMap(resources)).toEqual(["arn:aws:s3:::state-a/private-apigw/account-a.tfstate", "arn:aws:s3:::state-a/private-apigw/account-a.tfstate.tflock"]);
    // A reads B's state with the read role, not with its own identity.
    expect(actionsOf(a.policies.plan!).filter((action) => action.startsWith("s3:")).length).toBeGreaterThan(0);
    expect(a.policies.plan!.Statement.filter((s) => resources(s).some((r) => r.includes("state-b")))).toEqual([]);
    expect(b.policies["state-read"]).toEqual({
      Version: "2012-10-17",
      Statement: [
        { Sid: "OwnStateObject", Effect: "Allow", Action: ["s3:GetObject"], Resource: "arn:aws:s3:::state-b/private-apigw/account-b.tfstate" },
        {
          Sid: "StateKmsKeyThroughS3OnlyWhenTheBucketUsesSseKms",
          Effect: "Allow",
          Action: ["kms:Decrypt"],
          Resource: "arn:aws:kms:ap-northeast-1:*:key/*",
          Condition: { StringEquals: { "kms:ViaService": "s3.ap-northeast-1.amazonaws.com" }, StringLike: { "kms:EncryptionContext:aws:s3:arn": ["arn:aws:s3:::state-b/private-apigw/account-b.tfstate*"] } },
        },
      ],
    });
  });

  test("S3 backend without a read role: each consumer reads B's state object with its own identity", () => {
    const a = permissionsOf(config({ backend: { type: "s3", accountA: { bucket: "state-a", dynamodbTable: "locks" }, accountB: { bucket: "state-b" } } }))["account-a"];
    for (const kind of ["plan", "deploy", "destroy"] as const) {
      expect(statement(a.policies[kind], "s3:GetObject").flatMap(resources)).toContain("arn:aws:s3:::state-b/private-apigw/account-b.tfstate");
      expect(actionsOf(a.policies[kind]!)).toEqual(expect.arrayContaining(["dynamodb:GetItem", "dynamodb:PutItem", "dynamodb:DeleteItem"]));
    }
  });

  test.each(readdirSync(path.join(ROOT, "examples")).filter((d) => existsSync(path.join(ROOT, "examples", d, "config.json"))))("example %s: every stack's types are known, and each policy fits a managed policy (6,144 characters)", (example) => {
    const all = permissionsOf(loadConfig(path.join(ROOT, "examples", example, "config.json")));
    for (const stack of Object.values(all)) {
      for (const [kind, policy] of Object.entries(stack.policies) as [PolicyKind, PolicyDocument][]) {
        expect([stack.stack, kind, JSON.stringify(policy).replace(/\s/g, "").length < 6144]).toEqual([stack.stack, kind, true]);
      }
    }
  });
});

test("a type the table does not know stops the generator, naming it and where to add it", () => {
  const json = { provider: { aws: [{ allowed_account_ids: ["111111111111"], region: "ap-northeast-1" }] }, resource: { aws_sqs_queue: { q: {} } } };
  expect(() => stackPermissions({ id: "account-a", json })).toThrow(UnknownTypeError);
  expect(() => stackPermissions({ id: "account-a", json })).toThrow("account-a: resource type aws_sqs_queue is not in lib/permissions/provider-actions.ts: add what hashicorp/aws calls for it");
});

test("every command kind has a policy", () => {
  const kinds: CommandKind[] = ["plan", "deploy", "destroy"];
  const b = permissionsOf(config())["account-b"];
  expect(Object.keys(b.policies).sort()).toEqual([...kinds].sort());
});
