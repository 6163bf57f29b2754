import { cidrsOverlap, parseIpv4Cidr } from "../../config/cidr";
import { vpcOf } from "../facts";
import { fail, pass, Rule } from "../rule";

/** AWS refuses to peer VPCs whose CIDRs overlap. */
export const cidrsDisjoint: Rule = {
  id: "cidrs-disjoint",
  hop: "3 Peering",
  title: "A's and B's VPC CIDRs do not overlap",
  fix: "Choose accountA.vpcCidr and accountB.vpcCidr without common addresses.",
  evaluate(model) {
    const a = vpcOf(model, "account-a")?.cidr;
    const b = vpcOf(model, "account-b")?.cidr;
    const blockA = a ? parseIpv4Cidr(a) : undefined;
    const blockB = b ? parseIpv4Cidr(b) : undefined;
    if (!blockA || !blockB) return fail(`cannot read both VPC CIDRs (A: ${a ?? "unknown"}, B: ${b ?? "unknown"}).`);
    return cidrsOverlap(blockA, blockB) ? fail(`${a} and ${b} overlap.`) : pass(`${a} and ${b} are disjoint`);
  },
};
