import { ApiGatewayCloudWatchRole } from "../../lib/constructs/api-gateway-cloudwatch-role";
import { synthConstruct } from "../helpers/synth-construct";
import { only } from "../helpers/terraform-json";

describe("ApiGatewayCloudWatchRole", () => {
  const json: any = synthConstruct((scope) =>
    new ApiGatewayCloudWatchRole(scope, "cloudwatch", { name: "demo", accountId: "222222222222", region: "cn-north-1", provider: scope.provider }),
  );
  const stack = only(json, "aws_cloudformation_stack");
  const template = JSON.parse(stack.template_body);

  test("reads the region's setting by importing it, and never writes it: no argument, every change ignored", () => {
    // GIVEN the synthesized stack, THEN the account setting is imported, through the stack's provider
    expect(json.import).toEqual([{ id: "api-gateway-account", to: "aws_api_gateway_account.cloudwatch_current", provider: "aws.test" }]);
    // Without ignore_changes, the unset cloudwatch_role_arn plans as null and the update clears the region's setting.
    expect(only(json, "aws_api_gateway_account")).toMatchObject({ provider: "aws.test", lifecycle: { ignore_changes: "all" } });
  });

  test("is never destroyed: a destroy of the stack stops before resetting the region's setting (hashicorp/aws's next major version resets it when the resource is destroyed)", () => {
    // The project's destroy forgets it first (lib/deploy/kept-on-destroy.ts); a plain `terraform destroy` stops with an error naming it.
    expect(only(json, "aws_api_gateway_account").lifecycle).toEqual({ ignore_changes: "all", prevent_destroy: true });
  });

  test("creates its role only when the setting is empty or already names a role under its own path", () => {
    const current = "aws_api_gateway_account.cloudwatch_current.cloudwatch_role_arn";
    expect(stack.count).toBe(
      `\${(${current} == null ? "" : ${current}) == "" || startswith((${current} == null ? "" : ${current}), "arn:aws-cn:iam::222222222222:role/demo/apigateway-cloudwatch/") ? 1 : 0}`,
    );
  });

  test("keeps the role and the setting when the stack is deleted (other APIs of the region may use them), but not when its creation fails", () => {
    expect(Object.keys(template.Resources)).toEqual(["Role", "Account"]);
    // Retain would also keep them when the stack's creation fails and rolls back: a role left behind at every failed attempt.
    for (const resource of Object.values<any>(template.Resources)) expect(resource).toMatchObject({ DeletionPolicy: "RetainExceptOnCreate", UpdateReplacePolicy: "Retain" });
    expect(template.Resources.Account.Properties).toEqual({ CloudWatchRoleArn: { "Fn::GetAtt": ["Role", "Arn"] } });
    expect(stack).toMatchObject({ name: "demo-apigateway-cloudwatch-role", capabilities: ["CAPABILITY_IAM"] });
  });

  test("a failed first creation rolls back, which is what removes RetainExceptOnCreate resources; a deployed stack is not replaced for it", () => {
    // CloudFormation deletes a RetainExceptOnCreate resource "if the stack operation that created the resource is rolled back"
    // (DeletionPolicy attribute); OnFailure DELETE deletes the stack instead, where the policy retains like Retain.
    expect(stack.on_failure).toBe("ROLLBACK");
    // on_failure forces a new stack (hashicorp/aws), and only matters when one is created: a stack made with DELETE stays.
    expect(stack.lifecycle).toEqual({ ignore_changes: ["on_failure"] });
  });

  test("the role: assumed by API Gateway with the documented trust policy, writing only to this account's log groups in this region", () => {
    const role = template.Resources.Role.Properties;
    expect(role.Path).toBe("/demo/apigateway-cloudwatch/");
    expect(role.RoleName).toBeUndefined();
    expect(role.AssumeRolePolicyDocument.Statement).toEqual([{ Effect: "Allow", Principal: { Service: "apigateway.amazonaws.com" }, Action: "sts:AssumeRole" }]);
    const [statement] = role.Policies[0].PolicyDocument.Statement;
    expect(statement.Resource).toBe("arn:aws-cn:logs:cn-north-1:222222222222:log-group:*");
    expect(statement.Action).toContain("logs:PutLogEvents");
  });
});
