import { instancesForA, requesterEntryOf, routeTableRefsOf, subnetNote, subnetRouteTablesOf, subnetsOffTables, vpcOf } from "../facts";
import { literal } from "../model";
import { fail, pass, pending, Rule } from "../rule";

/** Article, item 2: the destination subnets need a route back to the source VPC. */
export const bRouteToA: Rule = {
  id: "b-route-to-a",
  hop: "4 B: routes",
  title: "every route table of B's endpoint subnets routes A's CIDR through the accepted peering",
  fix: "Add a route to accountA.vpcCidr through the accepted peering in each endpoint route table (accountB.existingVpc.routeTableIds), and make it hold the table each endpoint subnet uses: add that table to accountB.existingVpc.routeTableIds, or associate the subnet with a listed table.",
  evaluate(model) {
    const cidrA = vpcOf(model, "account-a")?.cidr;
    const accepter = model.b.all("aws_vpc_peering_connection_accepter")[0];
    if (!cidrA || !accepter) return fail("A's CIDR is unknown or B accepts no peering.");
    const tables = routeTableRefsOf(model, "account-b");
    // Synthesized: each consumer's CIDR comes from B's list of consumers, by stack id; planned: it is known.
    const requesterCidr = requesterEntryOf(model)?.cidr;
    const destination = (route: { values: Record<string, any> }) =>
      /\[each\.key\]\.cidr\}$/.test(String(route.values.destination_cidr_block)) ? requesterCidr : literal(model, "account-b", route.values.destination_cidr_block);
    const routes = model.b.all("aws_route").filter((route) => (model.b.planned ? instancesForA(model, route).some((i) => i.destination_cidr_block === cidrA) : destination(route) === cidrA));
    const missing = tables.filter((table) => !routes.some((route) => route.values.route_table_id === table));
    if (model.b.planned && routes.length === 0 && model.b.all("aws_route").some((route) => route.values.for_each === accepter.values.for_each)) {
      return pending("B's routes to A follow the acceptance.");
    }
    if (tables.length === 0 || missing.length) return fail(`no route to ${cidrA} in ${missing.join(", ") || "any route table of B"}.`);
    const subnets = subnetRouteTablesOf(model, "account-b");
    const astray = subnetsOffTables(subnets, tables.map((table) => literal(model, "account-b", table) ?? table));
    if (astray.length) return fail(`endpoint subnets use route tables that get no route to ${cidrA}: ${astray.join("; ")}.`);
    const viaPeering = routes.every((route) => route.values.for_each === accepter.values.for_each || String(route.values.vpc_peering_connection_id).includes(accepter.address));
    if (!viaPeering) return fail(`B's routes to ${cidrA} do not go through the peering B accepts.`);
    if (model.b.planned) return pass(`${tables.length} route table(s) route ${cidrA} through the peering${subnetNote(subnets, "endpoint")}`);
    return pending(`${tables.length} route table(s) get a route to ${cidrA} with the acceptance${subnetNote(subnets, "endpoint")}`);
  },
};
