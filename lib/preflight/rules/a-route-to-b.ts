import { peeringRequestOf, routeTableRefsOf, subnetNote, subnetRouteTablesOf, subnetsOffTables, vpcOf } from "../facts";
import { literal, sameValue } from "../model";
import { fail, pass, Rule } from "../rule";

/** Article, item 2: the source subnets need a route to the other VPC through the peering. */
export const aRouteToB: Rule = {
  id: "a-route-to-b",
  hop: "2 A: routes",
  title: "every client route table in A routes B's CIDR through the peering",
  fix: "Add a route to accountB.vpcCidr through the peering connection in each client route table (accountA.existingVpc.routeTableIds), and make it hold the table each client subnet uses: add that table to accountA.existingVpc.routeTableIds, or associate the subnet with a listed table.",
  evaluate(model) {
    const peering = peeringRequestOf(model);
    const cidrB = vpcOf(model, "account-b")?.cidr;
    if (!peering || !cidrB) return fail("A has no peering request, or B's VPC CIDR is unknown.");
    const tables = routeTableRefsOf(model, "account-a");
    if (tables.length === 0) return fail("A has no route tables for its client subnets.");
    const missing = tables.filter((table) => !model.a.all("aws_route").some((route) =>
      route.values.route_table_id === table &&
      literal(model, "account-a", route.values.destination_cidr_block) === cidrB &&
      sameValue(model, ["account-a", route.values.vpc_peering_connection_id], ["account-a", `\${${peering.address}.id}`])));
    if (missing.length) return fail(`no route to ${cidrB} through ${peering.address} in ${missing.join(", ")}.`);
    const subnets = subnetRouteTablesOf(model, "account-a");
    const astray = subnetsOffTables(subnets, tables.map((table) => literal(model, "account-a", table) ?? table));
    if (astray.length) return fail(`client subnets use route tables without the route to ${cidrB}: ${astray.join("; ")}.`);
    return pass(`${tables.length} route table(s) route ${cidrB} through ${peering.address}${subnetNote(subnets, "client")}`);
  },
};
