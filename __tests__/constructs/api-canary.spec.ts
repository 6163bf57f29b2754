import { readFileSync } from "fs";
import * as path from "path";
import { ApiCanary } from "../../lib/constructs/api-canary";
import { deterministicZip } from "../../lib/canary/deterministic-zip";
import { synthConstruct } from "../helpers/synth-construct";
import { only } from "../helpers/terraform-json";

describe("ApiCanary", () => {
  const json: any = synthConstruct((scope) =>
    new ApiCanary(scope, "canary", {
      functionName: "demo-account-a-canary",
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
    expect(only(json, "aws_iam_role").assume_role_policy).toContain('"Principal" = {"Service" = "lambda.amazonaws.com"}');
    const policy = only(json, "aws_iam_role_policy").policy;
    expect(policy).toContain('"Resource" = "${aws_cloudwatch_log_group.canary_logs.arn}:*"');
    expect(policy).toContain('"Action" = ["logs:CreateLogStream", "logs:PutLogEvents"]');
    expect(only(json, "aws_cloudwatch_log_group")).toMatchObject({ name: "/aws/lambda/demo-account-a-canary", retention_in_days: 14 });
  });

  test("its check block invokes it after it has changed, and lists each failed method with the hop to look at", () => {
    const check = json.check.canary_reaches_api;
    expect(check.data.aws_lambda_invocation.canary).toEqual({
      provider: "aws.test",
      function_name: "${aws_lambda_function.canary_function.function_name}",
      input: "{}",
      depends_on: ["aws_lambda_function.canary_function"],
    });
    expect(check.assert[0].condition).toBe("${jsondecode(data.aws_lambda_invocation.canary.result).ok}");
    const message = check.assert[0].error_message;
    expect(message).toContain('[for r in jsondecode(data.aws_lambda_invocation.canary.result).results : "${r.method} (${r.url}): ${r.error} -> look at ${lookup(');
    expect(message).toContain('"dns" = "5 A: private DNS (the consumer\'s private hosted zone of the API\'s name)"');
    expect(message).toContain('split(":", r.error)[0], "the API")}" if !r.ok]');
  });
});
