import { readFileSync } from "fs";
import * as path from "path";
import { ApiCanary, canaryCheckModule } from "../../lib/constructs/api-canary";
import { deterministicZip } from "../../lib/canary/deterministic-zip";
import { synthConstruct } from "../helpers/synth-construct";
import { only } from "../helpers/terraform-json";

describe("ApiCanary", () => {
  const json: any = synthConstruct((scope) =>
    new ApiCanary(scope, "canary", {
      functionName: "demo-account-a-canary",
      roleName: "demo-account-a-canary-apne1",
      vpcId: "vpc-aaaaaaaa",
      subnetIds: ["subnet-1", "subnet-2"],
      endpointVpcCidr: "172.31.0.0/16",
      targets: [{ method: "host-header", url: "https://vpce.example/v1/pets", headers: { Host: "api.example" }, expectBody: '[{"id":1}]' }],
      logRetentionDays: 14,
    }),
  );
  const fn = only(json, "aws_lambda_function");

  test("runs canary/index.js on Node.js 22 in the given subnets, from a zip whose hash depends on the source only", () => {
    const zip = deterministicZip({ "index.js": readFileSync(path.join(__dirname, "../../canary/index.js")) });
    expect(fn).toMatchObject({
      function_name: "demo-account-a-canary",
      runtime: "nodejs22.x",
      handler: "index.handler",
      filename: `assets/canary_package/${zip.sha256Hex.slice(0, 16)}/canary.zip`,
      source_code_hash: zip.sha256Base64,
      vpc_config: { subnet_ids: ["subnet-1", "subnet-2"], security_group_ids: ["${aws_security_group.canary_security-group.id}"] },
      logging_config: { log_format: "Text", log_group: "${aws_cloudwatch_log_group.canary_logs.name}" },
    });
  });

  test("gets its targets from a local, so that the other stack's names and a JSON body survive as values", () => {
    expect(fn.environment.variables.CANARY_TARGETS).toBe("${nonsensitive(jsonencode(local.canary_targets))}");
    expect(json.locals.canary_targets).toEqual([{ method: "host-header", url: "https://vpce.example/v1/pets", headers: { Host: "api.example" }, expectBody: '[{"id":1}]' }]);
  });

  test("may open TCP 443 to the endpoint's VPC only, and accepts nothing", () => {
    const group = only(json, "aws_security_group");
    expect(group.ingress).toBeUndefined();
    expect(group.egress).toBeUndefined();
    expect(json.resource.aws_vpc_security_group_ingress_rule).toBeUndefined();
    expect(only(json, "aws_vpc_security_group_egress_rule")).toMatchObject({ cidr_ipv4: "172.31.0.0/16", ip_protocol: "tcp", from_port: 443, to_port: 443 });
  });

  test("is assumed by Lambda only, manages its network interfaces and writes to its own log group only", () => {
    expect(only(json, "aws_iam_role").assume_role_policy).toBe("${jsonencode(local.canary_trust-policy)}");
    expect(json.locals["canary_trust-policy"].Statement).toEqual([{ Effect: "Allow", Principal: { Service: "lambda.amazonaws.com" }, Action: "sts:AssumeRole" }]);
    expect(only(json, "aws_iam_role_policy").policy).toBe("${jsonencode(local.canary_permissions-document)}");
    const [network, logs] = json.locals["canary_permissions-document"].Statement;
    expect(network).toMatchObject({ Sid: "NetworkInterfaces", Resource: "*" });
    expect(logs).toEqual({ Sid: "OwnLogs", Effect: "Allow", Action: ["logs:CreateLogStream", "logs:PutLogEvents"], Resource: "${aws_cloudwatch_log_group.canary_logs.arn}:*" });
    expect(only(json, "aws_cloudwatch_log_group")).toMatchObject({ name: "/aws/lambda/demo-account-a-canary", retention_in_days: 14 });
  });

  test("its permissions outlive its network interfaces on destroy: the security group depends on them", () => {
    // Lambda deletes a VPC function's interfaces after the function, with the function's role; the
    // group cannot be deleted while they remain, so Terraform destroys the permissions after it.
    expect(only(json, "aws_security_group").depends_on).toEqual(["aws_iam_role_policy.canary_permissions"]);
    expect(fn.depends_on).toEqual(expect.arrayContaining(["aws_iam_role_policy.canary_permissions"]));
  });

  test("its check is a module counted by the canary_check variable: on unless a workspace turns it off, invoking it after it has changed", () => {
    expect(json.variable.canary_check).toMatchObject({ type: "bool", default: true });
    expect(json.check).toBeUndefined();
    expect(json.module["canary_reaches-api"]).toMatchObject({
      count: "${var.canary_check ? 1 : 0}",
      function_name: "${aws_lambda_function.canary_function.function_name}",
      providers: { aws: "aws.test" },
      depends_on: ["aws_lambda_function.canary_function"],
      source: `./assets/canary_check-module/${canaryCheckModule().hash}`,
    });
  });

  test("its check block invokes the function and lists each failed method with the hop to look at", () => {
    const module = JSON.parse(readFileSync(path.join(canaryCheckModule().built, "main.tf.json"), "utf8"));
    expect(module.terraform.required_providers.aws).toEqual({ source: "hashicorp/aws", version: "5.100.0" });
    const check = module.check.canary_reaches_api;
    expect(check.data.aws_lambda_invocation.canary).toEqual({ function_name: "${var.function_name}", input: "{}" });
    expect(check.assert[0].condition).toBe("${try(jsondecode(data.aws_lambda_invocation.canary.result).ok == true, false)}");
    const message = check.assert[0].error_message;
    // An answer that is not the canary's makes the check fail and say so, never an error.
    expect(message).toContain('${try("cannot reach the API by: ');
    expect(message).toContain(", \"answered ${jsonencode(substr(data.aws_lambda_invocation.canary.result, 0, 300))}, which is not a canary result");
    expect(message).toContain('[for r in jsondecode(data.aws_lambda_invocation.canary.result).results : "${r.method} (${r.url}): ${r.error} -> look at ${lookup(');
    expect(message).toContain('"dns" = "5 A: private DNS (the consumer\'s private hosted zone of the API\'s name)"');
    expect(message).toContain('split(":", r.error)[0], "the API")}" if !r.ok]');
  });
});
