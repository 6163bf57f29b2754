import { failedConditions } from "../../lib/terraform/diagnostics";

// As terraform 1.11 prints a postcondition of the stacks that stops a plan (-no-color).
const PLAN_OUTPUT = `data.aws_vpc.network_existing-vpc: Reading...
data.aws_vpc.network_existing-vpc: Read complete after 0s [id=vpc-0a0a0a0a0a0a0a0a0]

Planning failed. Terraform encountered an error while generating this plan.

Error: Resource postcondition failed

  on cdk.tf.json line 68, in data.aws_route_tables.network_existing-subnet-1-route-table.lifecycle.postcondition[0]:
  68:               "condition": "\${contains([\\"rtb-0a0a0a0a0a0a0a0a1\\",\\"rtb-0a0a0a0a0a0a0a0a2\\"], try(self.ids[0], data.aws_route_tables.network_existing-vpc-main-route-table.ids[0], \\"\\"))}",
    ├────────────────
    │ data.aws_route_tables.network_existing-vpc-main-route-table.ids[0] is "rtb-0a0a0a0a0a0a0a0a9"
    │ self.ids is empty list of string

Subnet subnet-0a0a0a0a0a0a0a0a1 (accountA.existingVpc.subnetIds) uses route
table rtb-0a0a0a0a0a0a0a0a9 (the VPC's main route table: the subnet has no
route table association of its own), which is not in
accountA.existingVpc.routeTableIds (rtb-0a0a0a0a0a0a0a0a1,
rtb-0a0a0a0a0a0a0a0a2): the routes to the peer VPC go into those tables only,
so the subnet's traffic to it has no route. Add that table to
accountA.existingVpc.routeTableIds, or associate the subnet with one of the
tables listed.

Error: No valid credential sources found

  with provider["registry.terraform.io/hashicorp/aws"].account_a,
  on cdk.tf.json line 20, in provider.aws[0]:

Please see https://registry.terraform.io/providers/hashicorp/aws
`;

describe("failedConditions", () => {
  test("gives the message of each condition that stopped the run, on one line, without the location and values", () => {
    expect(failedConditions(PLAN_OUTPUT)).toEqual([
      "Subnet subnet-0a0a0a0a0a0a0a0a1 (accountA.existingVpc.subnetIds) uses route table rtb-0a0a0a0a0a0a0a0a9 (the VPC's main route table: the subnet has no route table association of its own), " +
        "which is not in accountA.existingVpc.routeTableIds (rtb-0a0a0a0a0a0a0a0a1, rtb-0a0a0a0a0a0a0a0a2): the routes to the peer VPC go into those tables only, so the subnet's traffic to it has no route. " +
        "Add that table to accountA.existingVpc.routeTableIds, or associate the subnet with one of the tables listed.",
    ]);
  });

  test("other errors are not conditions", () => {
    expect(failedConditions("Error: No valid credential sources found\n\nPlease see https://registry.terraform.io/providers/hashicorp/aws\n")).toEqual([]);
  });
});
