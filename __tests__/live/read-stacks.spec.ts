import { explain } from "../../lib/live/read-stacks";

describe("what the doctor and drift say when terraform cannot read a stack", () => {
  const target = { stack: "account-a", setting: "accountA", accountId: "111111111111" };

  test("a plan stopped by one of the stacks' plan-time checks: the check's own message, on the stack's line", () => {
    // GIVEN terraform's output for a client subnet on a route table that gets no route to B
    const output = [
      "Planning failed. Terraform encountered an error while generating this plan.",
      "",
      "Error: Resource postcondition failed",
      "",
      "  on cdk.tf.json line 68, in data.aws_route_tables.network_existing-subnet-1-route-table.lifecycle.postcondition[0]:",
      '  68:               "condition": "${contains(...)}",',
      "    ├────────────────",
      "    │ self.ids is empty list of string",
      "",
      "Subnet subnet-0a0a0a0a0a0a0a0a1 (accountA.existingVpc.subnetIds) uses route",
      "table rtb-0a0a0a0a0a0a0a0a9 (the VPC's main route table: ...), which is not in",
      "accountA.existingVpc.routeTableIds (rtb-0a0a0a0a0a0a0a0a1). Add that table to",
      "accountA.existingVpc.routeTableIds, or associate the subnet with one of the tables listed.",
      "",
    ].join("\n");
    // THEN
    expect(explain(target, "plan -refresh-only", { output })).toBe(
      "account-a (account 111111111111): terraform plan -refresh-only stopped on a check of the configuration: Subnet subnet-0a0a0a0a0a0a0a0a1 (accountA.existingVpc.subnetIds) uses route table rtb-0a0a0a0a0a0a0a0a9 (the VPC's main route table: ...), which is not in accountA.existingVpc.routeTableIds (rtb-0a0a0a0a0a0a0a0a1). Add that table to accountA.existingVpc.routeTableIds, or associate the subnet with one of the tables listed.",
    );
  });

  test("another error: terraform's first error line", () => {
    expect(explain(target, "plan", { output: "Error: Invalid provider configuration\n\nsomething\n" })).toBe(
      "account-a (account 111111111111): terraform plan failed: Invalid provider configuration",
    );
  });
});
