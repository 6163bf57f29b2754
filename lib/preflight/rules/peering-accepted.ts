import { instancesForA, requesterEntryOf, vpcOf } from "../facts";
import { Element, ProjectModel, literalList, sameValue } from "../model";
import { fail, pass, pending, Rule } from "../rule";

/** Article, item 1: the peering must be active, which takes B's acceptance. */
export const peeringAccepted: Rule = {
  id: "peering-accepted",
  hop: "3 Peering",
  title: "B accepts A's request: requests from A's account and region into B's VPC",
  fix: "Run `cdktf deploy account-b` once more after account-a (npm run deploy does); check that B's look-up filters requester-vpc-info.owner-id on A's account and accepter-vpc-info.vpc-id on B's VPC, and that B's stack lists A's account and region.",
  evaluate(model) {
    const accepter = model.b.all("aws_vpc_peering_connection_accepter")[0];
    if (!accepter) return fail("B has no aws_vpc_peering_connection_accepter: nothing will accept A's request.");
    const lookup = model.b.all("data.aws_vpc_peering_connections")[0];
    if (!lookup) return fail("B has no aws_vpc_peering_connections look-up for A's request.");
    const filters = Object.fromEntries((lookup.values.filter ?? []).map((f: any) => [f.name, f.values]));
    const accountA = model.a.provider.accountIds[0];
    const owners = literalList(model, "account-b", filters["requester-vpc-info.owner-id"]);
    if (!owners?.includes(accountA)) return fail(`the look-up's requester-vpc-info.owner-id is ${JSON.stringify(owners)}, not A's account ${accountA}.`);
    if (!filtersOwnVpc(model, filters["accepter-vpc-info.vpc-id"])) return fail("the look-up does not filter accepter-vpc-info.vpc-id on B's own VPC: it could accept requests into other VPCs.");
    const details = model.b.all("data.aws_vpc_peering_connection").find((d) => String(d.values.for_each ?? "").includes(lookup.address));
    if (!details || !String(accepter.values.for_each ?? "").startsWith("${local.")) return fail(`${accepter.address} does not accept what ${lookup.address} finds, matched to each consumer.`);
    if (model.b.planned) {
      const mine = instancesForA(model, accepter);
      return mine.length ? pass(`${accepter.address}["${model.a.name}"] accepts ${mine[0].vpc_peering_connection_id}`) : pending(`A's request is accepted once ${model.a.name} has requested it.`);
    }
    const requester = requesterEntryOf(model);
    if (!requester) return fail(`B's stack does not list ${model.a.name} among the consumers whose requests it accepts.`);
    if (requester.account_id !== accountA || requester.region !== model.a.provider.region) {
      return fail(`B expects ${model.a.name}'s request from account ${requester.account_id} in ${requester.region}, but A is account ${accountA} in ${model.a.provider.region}.`);
    }
    return pending(`${accepter.address}["${model.a.name}"] accepts A's request when account-b is deployed after ${model.a.name}`);
  },
};

/** Whether a filter value is B's VPC id: directly, or an element of a look-up that finds B's VPC. */
function filtersOwnVpc(model: ProjectModel, values: unknown): boolean {
  const vpc = vpcOf(model, "account-b");
  // A plan that has not read the look-up yet shows the filter as its reference.
  const value = Array.isArray(values) ? values : [values];
  if (!vpc || value.length !== 1 || value[0] === undefined) return false;
  if (sameValue(model, ["account-b", value[0]], ["account-b", vpc.idRef])) return true;
  const lookup = /(data\.aws_vpcs\.[\w-]+)\.ids/.exec(String(value[0]))?.[1];
  const vpcs: Element | undefined = lookup ? model.b.at(lookup) : undefined;
  if (!vpcs) return false;
  const byId = (vpcs.values.filter ?? []).find((f: any) => f.name === "vpc-id")?.values ?? [];
  if (byId.some((id: unknown) => sameValue(model, ["account-b", id], ["account-b", vpc.idRef]))) return true;
  const tags: Record<string, string> = vpcs.values.tags ?? {};
  return Object.keys(tags).length > 0 && Object.entries(tags).every(([key, value]) => vpc.element.values.tags?.[key] === value);
}
