import type { NetworkAcl, NetworkAclEntry } from "@aws-sdk/client-ec2";
import { formatIpRange, halves, IpRange, parseIpRange, rangeContains } from "../policy/ip-ranges";

/**
 * Network ACLs evaluated as AWS does ("Network ACL rules", Amazon VPC User Guide): a subnet's ACL
 * holds numbered inbound and outbound rules; for a packet, the rules of its direction are read in
 * ascending rule number and the first one that matches it allows or denies it; the `*` rule
 * (32767, deny all) ends every list. Network ACLs are stateless, so the answers of a connection
 * need a rule of their own in the other direction. Works on `DescribeNetworkAcls` shapes
 * (`@aws-sdk/client-ec2`'s `NetworkAcl`), so an answer recorded from AWS can be evaluated as it is.
 */

/** A class of traffic through one subnet's network ACL. */
export interface Flow {
  /** `ingress`: into the subnet (the rules with `Egress: false`); `egress`: out of it. */
  readonly direction: "ingress" | "egress";
  /** TCP only: HTTPS and its answers. */
  readonly protocol: "tcp";
  /** Destination ports of the packets, both ends included (443, or 1024–65535 for the answers). */
  readonly ports: PortRange;
  /** The other end: the source of inbound packets, the destination of outbound ones (an IPv4 or IPv6 CIDR). */
  readonly peer: string;
}

/** Ports, both ends included. */
export interface PortRange {
  readonly from: number;
  readonly to: number;
}

/** The rule number AWS gives the `*` rule that ends each list. */
export const DEFAULT_RULE_NUMBER = 32767;

/** Addresses of the peer on some ports: a part of a flow. */
export interface FlowPart {
  /** A CIDR: the whole peer CIDR, or a block inside it. */
  readonly peer: string;
  readonly ports: PortRange;
}

/** A rule and the parts of a flow it decides. */
export interface Decision {
  /** The deciding rule's number; 32767 is the `*` rule (also when the list does not show it). */
  readonly ruleNumber: number;
  readonly action: "allow" | "deny";
  /** What of the flow this rule decides (rules before it decided the rest). */
  readonly parts: FlowPart[];
  /** True when it decides the whole flow: every address of the peer CIDR on every port. */
  readonly whole: boolean;
}

/** The verdict on a flow. */
export interface FlowVerdict {
  /** True when every address of the peer CIDR on every port of the range is allowed. */
  readonly allowed: boolean;
  /** Each rule that decides a part of the flow, in rule order (one, when it decides the whole flow). */
  readonly decisions: Decision[];
  /** The first rule that denies a part of the flow, when one does. */
  readonly deniedBy?: Decision;
}

/** A part of a flow not decided yet: a block of peer addresses times a port range. */
interface Piece {
  readonly range: IpRange;
  readonly ports: PortRange;
}

const ALL_PORTS: PortRange = { from: 0, to: 65535 };

/**
 * Evaluates `flow` against `acl`'s rules of its direction. A rule decides for the part of the flow
 * it matches: its protocol (`-1` is every protocol, `6` TCP), its port range (every port for
 * protocol `-1`) and its CIDR. A rule whose CIDR holds only part of the peer CIDR (or whose ports
 * hold only part of the range) decides for that part only; the rest goes on to the next rules.
 * The flow is allowed when every part of it ends at an allow rule, so an earlier deny of any
 * part fails it, naming that rule and the part. What no rule matches is denied by the `*` rule.
 * IPv6 rules never match an IPv4 peer, and the reverse.
 */
export function evaluateFlow(acl: Pick<NetworkAcl, "Entries">, flow: Flow): FlowVerdict {
  const peer = parseIpRange(flow.peer);
  if (!peer) throw new Error(`evaluateFlow: ${JSON.stringify(flow.peer)} is not a CIDR`);
  const rules = (acl.Entries ?? [])
    .filter((entry) => Boolean(entry.Egress) === (flow.direction === "egress"))
    .sort((x, y) => (x.RuleNumber ?? DEFAULT_RULE_NUMBER) - (y.RuleNumber ?? DEFAULT_RULE_NUMBER));
  let undecided: Piece[] = [{ range: peer, ports: flow.ports }];
  const decisions: Decision[] = [];
  for (const rule of rules) {
    if (undecided.length === 0) break;
    const matches = ruleSpace(rule, flow);
    if (!matches) continue;
    const next: Piece[] = [];
    const decided: Piece[] = [];
    for (const piece of undecided) {
      const inside = intersect(piece, matches);
      if (!inside) {
        next.push(piece);
        continue;
      }
      decided.push(inside);
      next.push(...subtract(piece, matches));
    }
    if (decided.length) decisions.push(decision(rule.RuleNumber ?? DEFAULT_RULE_NUMBER, rule.RuleAction === "allow" ? "allow" : "deny", decided, flow));
    undecided = next;
  }
  // The `*` rule: AWS lists it (32767, deny, 0.0.0.0/0 and ::/0); a list without it denies the same.
  if (undecided.length) decisions.push(decision(DEFAULT_RULE_NUMBER, "deny", undecided, flow));
  const deniedBy = decisions.find((d) => d.action === "deny");
  return { allowed: !deniedBy, decisions, ...(deniedBy ? { deniedBy } : {}) };
}

/** The addresses and ports `rule` matches for `flow`'s protocol, or undefined when it cannot match. */
function ruleSpace(rule: NetworkAclEntry, flow: Flow): Piece | undefined {
  const protocol = String(rule.Protocol ?? "");
  const everyProtocol = protocol === "-1" || protocol.toLowerCase() === "all";
  if (!everyProtocol && !(protocol === "6" || protocol.toLowerCase() === flow.protocol)) return undefined;
  const range = parseIpRange(rule.CidrBlock ?? rule.Ipv6CidrBlock ?? "");
  if (!range) return undefined;
  const ports = everyProtocol || !rule.PortRange ? ALL_PORTS : { from: rule.PortRange.From ?? 0, to: rule.PortRange.To ?? 65535 };
  return { range, ports };
}

function intersect(piece: Piece, rule: Piece): Piece | undefined {
  const range = rangeContains(rule.range, piece.range) ? piece.range : rangeContains(piece.range, rule.range) ? rule.range : undefined;
  const from = Math.max(piece.ports.from, rule.ports.from);
  const to = Math.min(piece.ports.to, rule.ports.to);
  return range && from <= to ? { range, ports: { from, to } } : undefined;
}

/** What of `piece` lies outside `rule`: its addresses outside the rule's CIDR (all its ports), and those inside on the ports outside the rule's range. */
function subtract(piece: Piece, rule: Piece): Piece[] {
  const inside = intersect(piece, rule);
  if (!inside) return [piece];
  const outsideAddresses = rangeMinus(piece.range, rule.range).map((range) => ({ range, ports: piece.ports }));
  const outsidePorts: PortRange[] = [
    ...(piece.ports.from < inside.ports.from ? [{ from: piece.ports.from, to: inside.ports.from - 1 }] : []),
    ...(inside.ports.to < piece.ports.to ? [{ from: inside.ports.to + 1, to: piece.ports.to }] : []),
  ];
  return [...outsideAddresses, ...outsidePorts.map((ports) => ({ range: inside.range, ports }))];
}

/** The CIDR blocks that make up `block` less `cut` (CIDR blocks nest or are disjoint). */
function rangeMinus(block: IpRange, cut: IpRange): IpRange[] {
  if (rangeContains(cut, block)) return [];
  if (!rangeContains(block, cut)) return [block];
  return halves(block).flatMap((half) => rangeMinus(half, cut));
}

function decision(ruleNumber: number, action: "allow" | "deny", pieces: Piece[], flow: Flow): Decision {
  const parts = pieces.map((piece) => ({ peer: formatIpRange(piece.range), ports: piece.ports }));
  const whole = parts.length === 1 && parts[0].peer === formatIpRange(parseIpRange(flow.peer)!) && parts[0].ports.from === flow.ports.from && parts[0].ports.to === flow.ports.to;
  return { ruleNumber, action, parts, whole };
}

/**
 * A free rule number for an allow rule that lets the whole of `flow` through `acl`: below the
 * first rule that denies part of it (the highest free number there, so the rules the user already
 * ordered keep their order), or, when only the `*` rule denies it, the next multiple of 10 after
 * the last numbered rule of that direction. Undefined when no number is free below the deny.
 */
export function ruleNumberToAllow(acl: Pick<NetworkAcl, "Entries">, flow: Flow, verdict: FlowVerdict): number | undefined {
  const used = new Set((acl.Entries ?? []).filter((e) => Boolean(e.Egress) === (flow.direction === "egress")).map((e) => e.RuleNumber ?? DEFAULT_RULE_NUMBER));
  const deny = verdict.deniedBy?.ruleNumber ?? DEFAULT_RULE_NUMBER;
  if (deny === DEFAULT_RULE_NUMBER) {
    const last = Math.max(0, ...[...used].filter((n) => n < DEFAULT_RULE_NUMBER));
    const next = (Math.floor(last / 10) + 1) * 10;
    if (next < DEFAULT_RULE_NUMBER) return next;
  }
  for (let n = deny - 1; n >= 1; n--) if (!used.has(n)) return n;
  return undefined;
}
