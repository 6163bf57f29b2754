import { ApiGatewayLoggingRole } from "../../lib/constructs/api-gateway-logging-role";
import { synthConstruct } from "../helpers/synth-construct";
import { only } from "../helpers/terraform-json";

describe("ApiGatewayLoggingRole", () => {
  const json: any = synthConstruct((scope) => new ApiGatewayLoggingRole(scope, "logging", { name: "demo", accountId: "222222222222", region: "cn-north-1" }));

  test("can be assumed by API Gateway for this account only", () => {
    const trust = only(json, "aws_iam_role").assume_role_policy;
    expect(trust).toContain('"Principal" = {"Service" = "apigateway.amazonaws.com"}');
    expect(trust).toContain('"Condition" = {"StringEquals" = {"aws:SourceAccount" = "222222222222"}}');
  });

  test("may write logs only to this account's log groups in this region, in the region's partition", () => {
    const policy = only(json, "aws_iam_role_policy").policy;
    expect(policy).toContain('"Resource" = "arn:aws-cn:logs:cn-north-1:222222222222:log-group:*"');
    expect(policy).not.toMatch(/"Resource" = "\*"/);
  });

  test("is set as the account's CloudWatch role once its permissions exist", () => {
    expect(only(json, "aws_api_gateway_account")).toMatchObject({
      cloudwatch_role_arn: "${aws_iam_role.logging_role.arn}",
      reset_on_delete: true,
      depends_on: ["aws_iam_role_policy.logging_write-logs"],
    });
  });
});
