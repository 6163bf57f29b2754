import { peeringRequestOf, vpcOf } from "../facts";
import { literal, sameValue } from "../model";
import { fail, pass, Rule } from "../rule";

/** Article, item 1: the peering must connect A's VPC to B's VPC in B's account and region. */
export const peeringRequestTarget: Rule = {
  id: "peering-request-target",
  hop: "3 Peering",
  title: "A requests the peering from its VPC to B's VPC, account and region",
  fix: "Point A's aws_vpc_peering_connection at B's VPC id (from account-b's stack), peer_owner_id = accountB.accountId, peer_region = accountB.region.",
  evaluate(model) {
    const peering = peeringRequestOf(model);
    if (!peering) return fail("A has no aws_vpc_peering_connection.");
    const vpcA = vpcOf(model, "account-a");
    const vpcB = vpcOf(model, "account-b");
    const problems: string[] = [];
    if (!vpcA || !sameValue(model, ["account-a", peering.values.vpc_id], ["account-a", vpcA.idRef])) problems.push("vpc_id is not A's VPC");
    if (!vpcB || !sameValue(model, ["account-a", peering.values.peer_vpc_id], ["account-b", vpcB.idRef])) problems.push("peer_vpc_id is not B's VPC");
    const owner = literal(model, "account-a", peering.values.peer_owner_id);
    if (owner !== model.b.provider.accountIds[0]) problems.push(`peer_owner_id is ${owner ?? "unset"}, B's account is ${model.b.provider.accountIds[0] ?? "unknown"}`);
    const region = literal(model, "account-a", peering.values.peer_region) ?? model.a.provider.region;
    if (region !== model.b.provider.region) problems.push(`peer_region is ${region}, B's region is ${model.b.provider.region}`);
    return problems.length ? fail(`${peering.address}: ${problems.join("; ")}.`) : pass(`${peering.address} targets B's VPC in ${owner} / ${region}`);
  },
};
