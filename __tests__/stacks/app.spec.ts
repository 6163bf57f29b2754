import { Testing } from "cdktf";
import { tmpdir } from "os";
import * as path from "path";
import { readFileSync } from "fs";
import { CHECKS } from "../../lib/checks";
import { canaryCheckModule } from "../../lib/constructs/api-canary";
import { consumersOf } from "../../lib/config/consumers";
import { addStacks } from "../../stacks/app";
import { loadConfig } from "../../lib/config/load-config";
import { config } from "../helpers/example";
import { SynthesizedProject, synthProject } from "../helpers/project";
import { all, only, TerraformJson } from "../helpers/terraform-json";
import { localStatePath } from "../../lib/stack/backend";

/**
 * What an expression in A's stack that reads B's remote state stands for in B's stack: the
 * value of the B output it names (fails when it reads nothing of B's).
 */
function fromAccountB(project: SynthesizedProject, expression: string): string {
  const match = /^\$\{data\.terraform_remote_state\.([\w-]+)\.outputs\.([\w-]+)\}$/.exec(expression);
  if (!match) throw new Error(`not a read of B's state: ${expression}`);
  const output = project.b.output[match[2]];
  if (!output) throw new Error(`B has no output ${match[2]}`);
  return output.value;
}

// A configuration that differs from the example everywhere, so that nothing can be hard-coded; it
// also sets what the example leaves to defaults (each synth takes time: one configuration, many tests).
const custom = config({
  name: "pets-demo",
  accountA: {
    accountId: "333333333333", region: "eu-west-1", vpcCidr: "10.20.0.0/16", canary: false,
    credentials: { assumeRoleArn: "arn:aws:iam::333333333333:role/deploy", externalId: "ext-1" },
  },
  accountB: {
    accountId: "444444444444", region: "us-east-2", vpcCidr: "192.168.0.0/20", availabilityZoneIds: ["use2-az1", "use2-az3"],
    credentials: { profile: "account-b" }, manageApiGatewayAccount: false,
  },
  api: { stageName: "prod" },
  tags: { CostCenter: "42" },
  backend: { type: "s3", accountA: { bucket: "a-state", dynamodbTable: "locks" }, accountB: { bucket: "b-state", key: "apigw/b.tfstate", region: "us-east-1" } },
});
// The examples the Terraform tests and the preflight use: synthesized once for all of them.
const existingVpcs = loadConfig("examples/existing-vpcs/config.json");
const sameAccount = loadConfig("examples/same-account/config.json");
const manyConsumers = loadConfig("examples/many-consumers/config.json");
// China, and the Terraform Cloud backend.
const china = config({
  accountA: { region: "cn-northwest-1" },
  accountB: { region: "cn-north-1" },
  backend: { type: "cloud", organization: "acme", workspaces: { accountA: "apigw-a", accountB: "apigw-b" } },
});

describe.each([
  ["the example configuration", config()],
  ["a configuration with other accounts, regions and CIDRs", custom],
])("with %s", (_, cfg) => {
  const project = synthProject(cfg);
  const { a, b } = project;

  test("each stack requires a Terraform that knows check and import blocks, and S3 native locking when its backend uses it", () => {
    // The custom configuration's B locks its S3 state with use_lockfile (Terraform 1.10); its A with DynamoDB.
    expect(a.terraform.required_version).toBe(">= 1.5.0");
    // The custom configuration's B leaves the CloudWatch setting alone: its removed block needs 1.7.
    expect(b.terraform.required_version).toBe(b.terraform.backend.s3?.use_lockfile ? ">= 1.10.0" : b.removed ? ">= 1.7.0" : ">= 1.5.0");
  });

  test("each stack has one aliased AWS provider pinned to its account and region, and every resource uses it", () => {
    expect(a.provider.aws).toEqual([expect.objectContaining({ alias: "account_a", region: cfg.accountA.region, allowed_account_ids: [cfg.accountA.accountId] })]);
    expect(b.provider.aws).toEqual([expect.objectContaining({ alias: "account_b", region: cfg.accountB.region, allowed_account_ids: [cfg.accountB.accountId] })]);
    for (const [stack, alias] of [[a, "aws.account_a"], [b, "aws.account_b"]] as const) {
      for (const kind of ["resource", "data"] as const) {
        for (const [type, byName] of Object.entries(stack[kind] ?? {})) {
          if (type === "terraform_remote_state") continue;
          for (const [name, body] of Object.entries(byName)) expect([`${type}.${name}`, body.provider]).toEqual([`${type}.${name}`, alias]);
        }
      }
    }
  });

  test("A's peering request targets B's VPC, account and region", () => {
    const peering = only(a, "aws_vpc_peering_connection");
    expect(fromAccountB(project, peering.peer_vpc_id)).toBe("${aws_vpc.network_vpc.id}");
    expect(peering).toMatchObject({ peer_owner_id: cfg.accountB.accountId, peer_region: cfg.accountB.region });
  });

  test("A routes B's CIDR through the peering; B routes A's CIDR through what it accepted for account-a", () => {
    expect(only(a, "aws_route")).toMatchObject({ destination_cidr_block: cfg.accountB.vpcCidr, vpc_peering_connection_id: "${aws_vpc_peering_connection.peering_connection.id}" });
    expect(only(b, "aws_route")).toMatchObject({ destination_cidr_block: "${local.peering_requesters[each.key].cidr}", vpc_peering_connection_id: "${each.value}" });
    expect(b.locals!.peering_requesters["account-a"].cidr).toBe(cfg.accountA.vpcCidr);
  });

  test("B looks for requests from A's account into its own VPC, and recognizes A's by A's account and region", () => {
    const filters = only(b, "aws_vpc_peering_connections", "data").filter;
    expect(filters).toContainEqual({ name: "requester-vpc-info.owner-id", values: [cfg.accountA.accountId] });
    expect(filters).toContainEqual({ name: "accepter-vpc-info.owner-id", values: [cfg.accountB.accountId] });
    expect(b.locals!.peering_requesters["account-a"]).toMatchObject({ account_id: cfg.accountA.accountId, region: cfg.accountA.region, vpc_id: "", tag_key: "" });
    expect(only(b, "aws_vpc", "resource").tags["private-apigw:api-vpc"]).toBe(`${cfg.name}/account-b`);
    expect(only(b, "aws_vpcs", "data").tags).toEqual({ "private-apigw:api-vpc": `${cfg.name}/account-b` });
  });

  test("A's private hosted zone is the API's name in B's region, and its alias points at B's endpoint DNS entry", () => {
    const zone = only(a, "aws_route53_zone");
    const [apiId, rest] = zone.name.split(/(?=\.execute-api)/);
    expect(fromAccountB(project, apiId)).toBe("${aws_api_gateway_rest_api.rest-api_api.id}");
    expect(rest).toBe(`.execute-api.${cfg.accountB.region}.amazonaws.com`);
    expect(zone.vpc).toEqual([{ vpc_id: "${aws_vpc.network_vpc.id}", vpc_region: cfg.accountA.region }]);
    const alias = only(a, "aws_route53_record").alias;
    expect(fromAccountB(project, alias.name)).toBe("${aws_vpc_endpoint.execute-api_endpoint.dns_entry[0].dns_name}");
    expect(fromAccountB(project, alias.zone_id)).toBe("${aws_vpc_endpoint.execute-api_endpoint.dns_entry[0].hosted_zone_id}");
    expect(alias.evaluate_target_health).toBe(false);
  });

  test("B's security group and resource policy admit A's CIDR (and B's) through the allowed-CIDR variable", () => {
    expect(b.variable.allowed_source_cidrs.default).toEqual([cfg.accountA.vpcCidr, cfg.accountB.vpcCidr]);
    expect(only(b, "aws_vpc_security_group_ingress_rule")).toMatchObject({ for_each: "${toset(var.allowed_source_cidrs)}", cidr_ipv4: "${each.value}", from_port: 443, to_port: 443 });
    const policy = b.locals!["rest-api_policy-document"];
    expect(only(b, "aws_api_gateway_rest_api_policy").policy).toBe("${jsonencode(local.rest-api_policy-document)}");
    expect(policy.Statement.map((s: any) => s.Condition)).toEqual([
      undefined,
      { StringNotEquals: { "aws:SourceVpce": "${aws_vpc_endpoint.execute-api_endpoint.id}" } },
      { NotIpAddress: { "aws:VpcSourceIp": "${var.allowed_source_cidrs}" } },
    ]);
  });

  test("A's outputs are the commands to paste, not marked sensitive, with no double quotes inside nonsensitive()", () => {
    const outputs = a.output;
    for (const name of ["invoke_url", "curl_private_dns", "curl_host_header", "curl_api_id_header", "curl_endpoint_alias"]) {
      expect(outputs[name].sensitive).toBeUndefined();
      expect(outputs[name].value).toMatch(/^\$\{nonsensitive\("[^"]*"\)\}$/);
      expect(outputs[name].value).toContain(`/${cfg.api.stageName}/pets`);
    }
    expect(outputs.curl_host_header.value).toContain(`-H 'Host: \${data.terraform_remote_state.`);
    expect(outputs.curl_host_header.value).toContain(`.execute-api.${cfg.accountB.region}.amazonaws.com' https://`);
    expect(outputs.curl_api_id_header.value).toContain("-H 'x-apigw-api-id: ${data.terraform_remote_state.");
    expect(outputs.curl_endpoint_alias.value).toMatch(new RegExp(`outputs\\.[\\w-]+apiid\\}-\\$\\{[^}]+endpointid\\}\\.execute-api\\.${cfg.accountB.region}\\.amazonaws\\.com`));
  });

  test("A's canary tells a name that leads to another endpoint by its address: every target expects B's VPC", () => {
    const targets = a.locals?.canary_targets;
    if (!cfg.accountA.canary) return expect(targets).toBeUndefined();
    expect(targets.map((t: any) => t.method)).toEqual(["private-dns", "host-header", "api-id-header", "endpoint-alias"]);
    for (const target of targets) expect(target.expectAddressIn).toBe(cfg.accountB.vpcCidr);
  });

  test("B's outputs that A reads are the only cross-stack values, and B reads nothing of A", () => {
    expect(Object.keys(b.output).filter((name) => name.startsWith("cross-stack-output-")).sort()).toEqual([
      "cross-stack-output-aws_api_gateway_rest_apirest-api_apiid",
      "cross-stack-output-aws_vpc_endpointexecute-api_endpointdns_entry0dns_name",
      "cross-stack-output-aws_vpc_endpointexecute-api_endpointdns_entry0hosted_zone_id",
      "cross-stack-output-aws_vpc_endpointexecute-api_endpointid",
      "cross-stack-output-aws_vpcnetwork_vpcid",
    ]);
    expect(b.data.terraform_remote_state).toBeUndefined();
  });
});

describe("configuration choices", () => {
  test("existing VPCs: no VPC is created, B filters on its configured VPC and recognizes A's by its VPC", () => {
    const { a, b } = synthProject(existingVpcs);
    const vpcA = existingVpcs.accountA.existingVpc!;
    const vpcB = existingVpcs.accountB.existingVpc!;
    expect(a.resource.aws_vpc).toBeUndefined();
    expect(b.resource.aws_vpc).toBeUndefined();
    expect(Object.values(all(a, "aws_route")).map((r: any) => r.route_table_id)).toEqual(vpcA.routeTableIds);
    expect(only(a, "aws_lambda_function").vpc_config.subnet_ids).toEqual(vpcA.subnetIds);
    expect(only(b, "aws_vpc_endpoint").subnet_ids).toEqual(vpcB.subnetIds);
    expect(b.locals!.peering_requesters["account-a"].vpc_id).toBe(vpcA.vpcId);
    expect(only(b, "aws_vpcs", "data").filter).toEqual([{ name: "vpc-id", values: [vpcB.vpcId] }]);
  });

  describe("account settings", () => {
    const { a, b } = synthProject(custom);

    test("credentials: a profile or an assumed role per account", () => {
      expect(a.provider.aws[0].assume_role).toEqual([{ role_arn: "arn:aws:iam::333333333333:role/deploy", external_id: "ext-1", session_name: "pets-demo-account-a" }]);
      expect(a.provider.aws[0].profile).toBeUndefined();
      expect(b.provider.aws[0].profile).toBe("account-b");
      expect(b.provider.aws[0].assume_role).toBeUndefined();
    });

    test("tags from the configuration are default tags of both providers", () => {
      expect(a.provider.aws[0].default_tags).toEqual([{ tags: { Project: "pets-demo", Stack: "account-a", ManagedBy: "cdktf", CostCenter: "42" } }]);
      expect(b.provider.aws[0].default_tags[0].tags.CostCenter).toBe("42");
    });

    test("the API Gateway CloudWatch role can be left to something else: not read, not set", () => {
      expect(b.resource.aws_api_gateway_account).toBeUndefined();
      expect(b.resource.aws_cloudformation_stack).toBeUndefined();
      expect((b as any).import).toBeUndefined();
      expect(only(b, "aws_api_gateway_stage").depends_on).toBeUndefined();
    });
  });

  test("each stack has the check blocks the registry lists for it, and the consumer's canary can be left out with its check", () => {
    const { a, b } = synthProject();
    const ids = (kind: string) => Object.entries(CHECKS).filter(([, info]) => info.stack === kind).map(([id]) => id).sort();
    // The canary's check lives in a module of its own (counted by var.canary_check).
    expect(Object.keys((a as any).check).sort()).toEqual(ids("consumer").filter((id) => id !== "canary_reaches_api"));
    expect(JSON.parse(readFileSync(path.join(canaryCheckModule().built, "main.tf.json"), "utf8")).check).toHaveProperty("canary_reaches_api");
    expect(Object.keys((b as any).check).sort()).toEqual(ids("account-b"));
    const without = synthProject(custom).a as any;
    expect(without.resource.aws_lambda_function).toBeUndefined();
    expect(without.module).toBeUndefined();
    expect(Object.keys(without.check)).toEqual(["peering_active"]);
  });

  test("by default the stage waits for the account's CloudWatch role", () => {
    expect(only(synthProject().b, "aws_api_gateway_stage").depends_on).toEqual(["aws_cloudformation_stack.apigateway-cloudwatch_role"]);
  });

  test("manageApiGatewayAccount false: the resource that read the setting is forgotten, never destroyed (Terraform >= 1.7)", () => {
    // GIVEN a deployment that managed the setting, WHEN the configuration stops managing it,
    // THEN the next apply drops the imported setting from the state without an API call.
    const b = synthProject(config({ accountB: { manageApiGatewayAccount: false } })).b;
    expect(b.resource.aws_api_gateway_account).toBeUndefined();
    expect(b.removed).toEqual([{ from: "aws_api_gateway_account.apigateway-cloudwatch_current", lifecycle: { destroy: false } }]);
    expect(b.terraform.required_version).toBe(">= 1.7.0");
  });

  describe("A and B in one account (examples/same-account)", () => {
    const { a, b } = synthProject(sameAccount);
    const defaults = (json: TerraformJson) => json.provider.aws[0].default_tags[0].tags;

    test("B recognizes A's request by the tag it carries, among the other peerings of its VPC in that account", () => {
      expect(b.locals!.peering_requesters["account-a"]).toMatchObject({ tag_key: "private-apigw:consumer", tag_value: "apigw-shared/account-a" });
      expect(only(a, "aws_vpc_peering_connection").tags["private-apigw:consumer"]).toBe("apigw-shared/account-a");
    });

    test("the accepter asks for exactly the tags the request has, default tags included, so neither deploy undoes the other", () => {
      const requested = { ...defaults(a), ...only(a, "aws_vpc_peering_connection").tags };
      const accepted = { ...defaults(b), ...b.locals!.peering_requesters["account-a"].accepter_tags };
      expect(accepted).toEqual(requested);
    });
  });

  test("China regions: the endpoint service, the API's names and every ARN come from the aws-cn partition", () => {
    const { a, b } = synthProject(china);
    expect(only(b, "aws_vpc_endpoint").service_name).toBe("cn.com.amazonaws.cn-north-1.execute-api");
    expect(only(b, "aws_vpc_endpoint_service", "data").service_name).toBe("cn.com.amazonaws.cn-north-1.execute-api");
    expect(only(a, "aws_route53_zone").name).toMatch(/\.execute-api\.cn-north-1\.amazonaws\.com\.cn$/);
    expect(a.output.curl_endpoint_alias.value).toContain(".execute-api.cn-north-1.amazonaws.com.cn/v1/pets");
    const template = JSON.parse(only(b, "aws_cloudformation_stack").template_body);
    expect(template.Resources.Role.Properties.Policies[0].PolicyDocument.Statement[0].Resource).toBe("arn:aws-cn:logs:cn-north-1:222222222222:log-group:*");
    expect(only(b, "aws_cloudformation_stack").count).toContain('"arn:aws-cn:iam::222222222222:role/private-apigw/apigateway-cloudwatch/"');
    expect(JSON.stringify([a, b])).not.toMatch(/arn:aws:|(?<!cn\.)com\.amazonaws\.cn-/);
  });
});

describe("many consumers (examples/many-consumers)", () => {
  const app = Testing.app({ outdir: path.join(tmpdir(), "cdktf-test-out") });
  const stacks = addStacks(app, manyConsumers);
  const { b } = synthProject(manyConsumers);

  test("one stack per consumer, after account A's, each with its provider pinned to its account and region", () => {
    expect(stacks.consumers.map((s) => s.node.id)).toEqual(["account-a", "consumer-payments", "consumer-orders", "consumer-billing"]);
    for (const [stack, consumer] of stacks.consumers.map((s, i) => [s, consumersOf(manyConsumers)[i]] as const)) {
      const json = JSON.parse(Testing.synth(stack));
      expect(json.provider.aws).toEqual([expect.objectContaining({ alias: stack.node.id.replace("-", "_"), region: consumer.account.region, allowed_account_ids: [consumer.account.accountId] })]);
      expect(only(json, "aws_vpc_peering_connection")).toMatchObject({ peer_owner_id: "222222222222", peer_region: "ap-northeast-1" });
      expect(only(json, "aws_route")).toMatchObject({ destination_cidr_block: "172.31.0.0/16" });
    }
  });

  test("B looks for requests from every consumer account, and recognizes each consumer's by account, region and VPC", () => {
    expect(only(b, "aws_vpc_peering_connections", "data").filter[0]).toEqual({ name: "requester-vpc-info.owner-id", values: ["111111111111", "333333333333", "444444444444"] });
    const requesters = Object.fromEntries(Object.entries<any>(b.locals!.peering_requesters).map(([key, r]) => [key, [r.account_id, r.region, r.cidr, r.vpc_id]]));
    expect(requesters).toEqual({
      "account-a": ["111111111111", "ap-northeast-1", "10.0.0.0/16", ""],
      "consumer-payments": ["333333333333", "us-east-1", "10.1.0.0/16", ""],
      "consumer-orders": ["444444444444", "ap-northeast-1", "10.2.0.0/16", "vpc-0c2c2c2c2c2c2c2c2"],
      "consumer-billing": ["444444444444", "ap-northeast-1", "10.3.0.0/16", "vpc-0c3c3c3c3c3c3c3c3"],
    });
  });

  test("B accepts and routes each consumer under its own key, and admits every consumer's CIDR", () => {
    expect(only(b, "aws_route")).toMatchObject({ for_each: "${local.peering_accepted}", destination_cidr_block: "${local.peering_requesters[each.key].cidr}" });
    expect(b.variable.allowed_source_cidrs.default).toEqual(["10.0.0.0/16", "10.1.0.0/16", "10.2.0.0/16", "10.3.0.0/16", "172.31.0.0/16"]);
  });

  test("a configuration with account A only keeps the two stacks it had", () => {
    expect(addStacks(Testing.app({ outdir: path.join(tmpdir(), "cdktf-test-out") }), config()).consumers.map((s) => s.node.id)).toEqual(["account-a"]);
  });
});

describe("backends", () => {
  test("local (default): relative state paths of this configuration's own, in the producer and in A's remote state alike", () => {
    const { a, b } = synthProject();
    const dir = "../../../state/private-apigw-222222222222-ap-northeast-1";
    expect(b.terraform.backend).toEqual({ local: { path: `${dir}/account-b.tfstate` } });
    expect(a.terraform.backend).toEqual({ local: { path: `${dir}/account-a.tfstate` } });
    expect(only(a, "terraform_remote_state", "data")).toMatchObject({ backend: "local", config: { path: `${dir}/account-b.tfstate` } });
  });

  test("local: another configuration (another name, or another account B) keeps its state apart", () => {
    const paths = [config(), config({ name: "prod" }), config({ accountB: { accountId: "999999999999" } })].map((cfg) => localStatePath(cfg, "account-b"));
    expect(paths).toEqual([
      "state/private-apigw-222222222222-ap-northeast-1/account-b.tfstate",
      "state/prod-222222222222-ap-northeast-1/account-b.tfstate",
      "state/private-apigw-999999999999-ap-northeast-1/account-b.tfstate",
    ]);
  });

  test("s3: a bucket and key per account, encrypted, locked; A reads B's state with its own credentials, never B's", () => {
    const { a, b } = synthProject(custom);
    expect(b.terraform.backend.s3).toEqual({ bucket: "b-state", key: "apigw/b.tfstate", region: "us-east-1", encrypt: true, use_lockfile: true, profile: "account-b" });
    expect(a.terraform.backend.s3).toEqual({
      bucket: "a-state", key: "pets-demo/account-a.tfstate", region: "eu-west-1", encrypt: true, dynamodb_table: "locks",
      assume_role: { role_arn: "arn:aws:iam::333333333333:role/deploy", external_id: "ext-1" },
    });
    const remote = only(a, "terraform_remote_state", "data").config;
    expect(remote).toEqual({ bucket: "b-state", key: "apigw/b.tfstate", region: "us-east-1", encrypt: true, assume_role: { role_arn: "arn:aws:iam::333333333333:role/deploy", external_id: "ext-1" }, workspace: undefined });
    expect(JSON.stringify(remote)).not.toContain("account-b");
  });

  test("s3 with backend.accountB.readRoleArn: every consumer reads B's state with that read-only role", () => {
    const withReader = config({ ...custom, backend: { ...custom.backend, accountB: { bucket: "b-state", readRoleArn: "arn:aws:iam::444444444444:role/read-b-state" } } } as never);
    const remote = only(synthProject(withReader).a, "terraform_remote_state", "data").config;
    expect(remote).toEqual({ bucket: "b-state", key: "pets-demo/account-b.tfstate", region: "us-east-2", encrypt: true, assume_role: { role_arn: "arn:aws:iam::444444444444:role/read-b-state" } });
  });

  test("s3 with backend.accountB.readRoleArn: a consumer with a named profile assumes the read role from that profile, not from the shell's default credentials", () => {
    // GIVEN account A deploys with a named profile (only named profiles exist on its machine)
    const withReader = config({
      ...custom,
      accountA: { ...custom.accountA, credentials: { profile: "team-a" } },
      backend: { ...custom.backend, accountB: { bucket: "b-state", readRoleArn: "arn:aws:iam::444444444444:role/read-b-state" } },
    } as never);
    // THEN A's read of B's state assumes the read role with the credentials of A's profile
    const remote = only(synthProject(withReader).a, "terraform_remote_state", "data").config;
    expect(remote).toMatchObject({ profile: "team-a", assume_role: { role_arn: "arn:aws:iam::444444444444:role/read-b-state" } });
  });

  test("cloud: one named workspace per stack, and A reads B's workspace", () => {
    const { a, b } = synthProject(china);
    expect(b.terraform.cloud).toEqual({ organization: "acme", workspaces: { name: "apigw-b" } });
    expect(a.terraform.cloud).toEqual({ organization: "acme", workspaces: { name: "apigw-a" } });
    expect(only(a, "terraform_remote_state", "data")).toMatchObject({ backend: "remote", config: { organization: "acme", workspaces: { name: "apigw-b" } } });
  });
});
