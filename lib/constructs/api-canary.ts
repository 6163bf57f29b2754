import { CloudwatchLogGroup } from "@cdktf/provider-aws/lib/cloudwatch-log-group";
import { IamRole } from "@cdktf/provider-aws/lib/iam-role";
import { IamRolePolicy } from "@cdktf/provider-aws/lib/iam-role-policy";
import { LambdaFunction } from "@cdktf/provider-aws/lib/lambda-function";
import { SecurityGroup } from "@cdktf/provider-aws/lib/security-group";
import { VpcSecurityGroupEgressRule } from "@cdktf/provider-aws/lib/vpc-security-group-egress-rule";
import { AssetType, TerraformAsset, TerraformHclModule, TerraformLocal, TerraformProvider, TerraformStack, TerraformVariable } from "cdktf";
import { Construct } from "constructs";
import { createHash } from "crypto";
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from "fs";
import { tmpdir } from "os";
import * as path from "path";
import { checkBlock } from "../terraform/check-block";
import { AWS_PROVIDER } from "../terraform/cli";
import { CANARY_ERROR_HOPS } from "../checks";
import { DeterministicZip, deterministicZip } from "../canary/deterministic-zip";
import { hclExpression } from "../terraform/hcl";
import { policyLocal } from "../terraform/policy-document";
import { projectPath } from "../canary/project-path";

/** One call the canary makes: the contract of canary/index.js. */
export interface CanaryTarget {
  /** The access method's name, as results and messages show it (`private-dns`). */
  readonly method: string;
  /** The URL to call. */
  readonly url: string;
  /** The HTTP method. @default "GET" */
  readonly httpMethod?: string;
  /** Request headers (`Host`, `x-apigw-api-id`). @default - none */
  readonly headers?: Record<string, string>;
  /** The status that counts as success. @default 200 */
  readonly expectStatus?: number;
  /** The body that counts as success, surrounding whitespace ignored. @default - any body */
  readonly expectBody?: string;
  /**
   * The CIDR of the VPC that hosts the API's endpoint: a name that resolves outside it leads to
   * another endpoint, and the method does not apply from this VPC. @default - any address
   */
  readonly expectAddressIn?: string;
}

export interface ApiCanaryProps {
  /** Name of the function, its security group and its log group (see `canaryName`). */
  readonly functionName: string;
  /** Name of its IAM role: account-wide, so it names the region too (see `canaryRoleName`). */
  readonly roleName: string;
  /** The consumer's VPC. */
  readonly vpcId: string;
  /** The consumer's client subnets: the canary calls from where the workloads are. */
  readonly subnetIds: string[];
  /** CIDR of the VPC that hosts the API's endpoint: the one destination the canary may reach, on TCP 443. */
  readonly endpointVpcCidr: string;
  /** What the canary calls; may hold references to the API's stack. */
  readonly targets: CanaryTarget[];
  /** Retention of the function's log group, in days. */
  readonly logRetentionDays: number;
}

let packaged: { zip: DeterministicZip; built: string } | undefined;

/**
 * The canary's deployment package, zipped once per process (every consumer stack uses the same
 * one) and written once per content to a file, which TerraformAsset copies into each stack
 * directory (assets/<id>/<hash>/canary.zip).
 */
function canaryPackage(): { zip: DeterministicZip; built: string } {
  if (packaged) return packaged;
  const zip = deterministicZip({ "index.js": readFileSync(projectPath("canary/index.js")) });
  const built = path.join(tmpdir(), "private-apigw-canary", zip.sha256Hex, "canary.zip");
  if (!existsSync(built)) {
    mkdirSync(path.dirname(built), { recursive: true });
    // Renamed into place: a synth running at the same time never copies half a file.
    writeFileSync(`${built}.${process.pid}.tmp`, zip.bytes);
    renameSync(`${built}.${process.pid}.tmp`, built);
  }
  return (packaged = { zip, built });
}

/**
 * A Lambda function in the consumer's client subnets that calls the private API by every access
 * method (canary/index.js), and a check block that invokes it at the end of every plan and apply:
 * the answer to "does A really reach the API?", with the failed methods and the hop to look at.
 * It may open HTTPS to the endpoint's VPC only, and write only to its own log group.
 */
export class ApiCanary extends Construct {
  /** The function's name. */
  readonly functionName: string;

  constructor(scope: Construct, id: string, props: ApiCanaryProps) {
    super(scope, id);
    const { zip, built } = canaryPackage();
    const bundle = new TerraformAsset(this, "package", { path: built, type: AssetType.FILE, assetHash: zip.sha256Hex.slice(0, 16) });

    const logGroup = new CloudwatchLogGroup(this, "logs", { name: `/aws/lambda/${props.functionName}`, retentionInDays: props.logRetentionDays });
    const role = new IamRole(this, "role", {
      name: props.roleName,
      description: "Runs the canary that calls the private API through account B's endpoint",
      assumeRolePolicy: policyLocal(this, "trust-policy", {
        Version: "2012-10-17",
        Statement: [{ Effect: "Allow", Principal: { Service: "lambda.amazonaws.com" }, Action: "sts:AssumeRole" }],
      }).json,
    });
    const permissions = new IamRolePolicy(this, "permissions", {
      role: role.name,
      name: "network-interfaces-and-own-logs",
      policy: policyLocal(this, "permissions-document", {
        Version: "2012-10-17",
        Statement: [
          {
            // What Lambda needs to attach the function to the subnets (AWSLambdaVPCAccessExecutionRole's
            // EC2 actions). They take no resource-level restriction for this use: an AWS limitation.
            Sid: "NetworkInterfaces",
            Effect: "Allow",
            Action: ["ec2:CreateNetworkInterface", "ec2:DescribeNetworkInterfaces", "ec2:DescribeSubnets", "ec2:DeleteNetworkInterface", "ec2:AssignPrivateIpAddresses", "ec2:UnassignPrivateIpAddresses"],
            Resource: "*",
          },
          { Sid: "OwnLogs", Effect: "Allow", Action: ["logs:CreateLogStream", "logs:PutLogEvents"], Resource: `${logGroup.arn}:*` },
        ],
      }).json,
    });
    const securityGroup = new SecurityGroup(this, "security-group", {
      name: props.functionName,
      description: "The canary: no ingress; HTTPS to the API endpoint's VPC only",
      vpcId: props.vpcId,
      tags: { Name: props.functionName },
      // Destroyed before the role's permissions: Lambda deletes a VPC function's network
      // interfaces after the function, asynchronously, with the function's role. The group (and
      // the subnets) cannot go while the interfaces remain, so its permissions must outlive them.
      dependsOn: [permissions],
    });
    new VpcSecurityGroupEgressRule(this, "https-to-endpoint-vpc", {
      securityGroupId: securityGroup.id,
      description: "HTTPS to the execute-api endpoint through the peering",
      ipProtocol: "tcp",
      fromPort: 443,
      toPort: 443,
      cidrIpv4: props.endpointVpcCidr,
    });
    // A local, so that the API's names from the other stack resolve as plain values inside it.
    const targets = new TerraformLocal(this, "targets", props.targets);
    const fn = new LambdaFunction(this, "function", {
      functionName: props.functionName,
      description: "Calls the private API by every access method; answers one JSON document",
      role: role.arn,
      runtime: "nodejs22.x",
      handler: "index.handler",
      filename: bundle.path,
      sourceCodeHash: zip.sha256Base64,
      // Every method runs in parallel with a 3 s deadline; the rest is the cold start in a VPC.
      timeout: 15,
      memorySize: 128,
      vpcConfig: { subnetIds: props.subnetIds, securityGroupIds: [securityGroup.id] },
      // Values read from the API's stack are sensitive in Terraform; none of these is a secret.
      environment: { variables: { CANARY_TARGETS: `\${nonsensitive(jsonencode(local.${targets.friendlyUniqueId}))}` } },
      loggingConfig: { logFormat: "Text", logGroup: logGroup.name },
      dependsOn: [permissions, logGroup],
    });
    this.functionName = fn.functionName;

    // The check that invokes it on every plan and apply lives in a module of its own, counted by
    // a variable: a workspace whose plans run with a read-only identity (speculative plans, HCP
    // Terraform health assessments) turns the invocation off with canary_check = false, no new
    // synth needed. (Terraform supports no count on a check block's own data source.)
    const enabled = new TerraformVariable(this, "check", {
      type: "bool",
      default: true,
      description: "Whether every plan and apply invokes the canary (its check block). Plans then need lambda:InvokeFunction on it; set false for a workspace whose plans run with a read-only identity.",
    });
    const { built: moduleDir, hash } = canaryCheckModule();
    const source = new TerraformAsset(this, "check-module", { path: moduleDir, type: AssetType.DIRECTORY, assetHash: hash });
    const stackProvider = TerraformStack.of(this).node.findAll().find((c): c is TerraformProvider => c instanceof TerraformProvider && c.terraformProviderSource === "aws");
    const check = new TerraformHclModule(this, "reaches-api", {
      source: `./${source.path}`,
      // The module directory is the asset above; cdktf would otherwise copy it once more.
      skipAssetCreationFromLocalModules: true,
      variables: { function_name: fn.functionName },
      providers: stackProvider ? [stackProvider] : undefined,
      // Read after the function has changed, not with the function of the previous deploy.
      dependsOn: [fn],
    });
    check.addOverride("count", `\${var.${enabled.friendlyUniqueId} ? 1 : 0}`);
  }
}

let checkModulePackage: { built: string; hash: string } | undefined;

/**
 * The module that holds the canary's check block (`canary_reaches_api`, invoking the function named
 * by its `function_name` variable), written once per content to a directory that TerraformAsset
 * copies into each stack directory.
 */
export function canaryCheckModule(): { built: string; hash: string } {
  if (checkModulePackage) return checkModulePackage;
  const answer = "data.aws_lambda_invocation.canary.result";
  const result = `jsondecode(${answer})`;
  const hops = hclExpression(CANARY_ERROR_HOPS);
  const module = {
    terraform: { required_providers: { aws: { source: "hashicorp/aws", version: AWS_PROVIDER.version } } },
    variable: { function_name: { type: "string", description: "The canary function to invoke" } },
    check: {
      canary_reaches_api: checkBlock({
        data: { type: "aws_lambda_invocation", name: "canary", config: { function_name: "${var.function_name}", input: "{}" } },
        assertions: [{
          condition: `\${${result}.ok == true}`,
          // An answer that is not the canary's (an older function, a runtime error) names itself.
          errorMessage: `The canary \${var.function_name} \${try("cannot reach the API by: \${join("; ", [for r in ${result}.results : "\${r.method} (\${r.url}): \${r.error} -> look at \${lookup(${hops}, split(":", r.error)[0], "the API")}" if !r.ok])}", "answered \${jsonencode(substr(${answer}, 0, 300))}, which is not a canary result: deploy this stack again (the function's code may be another's)")}.`,
        }],
      }),
    },
  };
  const text = `${JSON.stringify(module, null, 2)}\n`;
  const hash = createHash("sha256").update(text).digest("hex").slice(0, 16);
  const built = path.join(tmpdir(), "private-apigw-canary-check", hash);
  if (!existsSync(path.join(built, "main.tf.json"))) {
    mkdirSync(built, { recursive: true });
    // Renamed into place: a synth running at the same time never copies half a file.
    writeFileSync(path.join(built, `main.tf.json.${process.pid}.tmp`), text);
    renameSync(path.join(built, `main.tf.json.${process.pid}.tmp`), path.join(built, "main.tf.json"));
  }
  return (checkModulePackage = { built, hash });
}
