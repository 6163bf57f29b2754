import type { NetworkAcl, NetworkAclEntry } from "@aws-sdk/client-ec2";
import { evaluateFlow, Flow, ruleNumberToAllow } from "../../lib/network-acl/evaluate";
import recorded from "./describe-network-acls.json";

const acl = (name: keyof typeof recorded & string): NetworkAcl => (recorded as any)[name].NetworkAcls[0];
const entries = (...list: NetworkAclEntry[]): NetworkAcl => ({ Entries: list });
const rule = (RuleNumber: number, RuleAction: "allow" | "deny", CidrBlock: string, more: Partial<NetworkAclEntry> = {}): NetworkAclEntry =>
  ({ RuleNumber, RuleAction, CidrBlock, Egress: false, Protocol: "-1", ...more });
const tcp = (from: number, to = from) => ({ Protocol: "6", PortRange: { From: from, To: to } });

const HTTPS_IN: Flow = { direction: "ingress", protocol: "tcp", ports: { from: 443, to: 443 }, peer: "10.0.0.0/16" };
const HTTPS_OUT: Flow = { ...HTTPS_IN, direction: "egress", peer: "172.31.0.0/16" };
const ANSWERS_IN: Flow = { direction: "ingress", protocol: "tcp", ports: { from: 1024, to: 65535 }, peer: "172.31.0.0/16" };

describe("evaluateFlow: a network ACL as AWS evaluates it", () => {
  test("GIVEN a VPC's default ACL (allow all, IPv4 and IPv6) THEN 443 and the answers pass, each by rule 100", () => {
    for (const flow of [HTTPS_IN, HTTPS_OUT, ANSWERS_IN]) {
      expect(evaluateFlow(acl("default"), flow)).toEqual({
        allowed: true,
        decisions: [{ ruleNumber: 100, action: "allow", parts: [{ peer: flow.peer, ports: flow.ports }], whole: true }],
      });
    }
  });

  test("GIVEN a deny of 443 numbered before the allow THEN 443 is denied by that rule, the whole flow", () => {
    const verdict = evaluateFlow(acl("deny-https-first"), HTTPS_IN);
    expect(verdict.allowed).toBe(false);
    expect(verdict.deniedBy).toEqual({ ruleNumber: 90, action: "deny", parts: [{ peer: "10.0.0.0/16", ports: { from: 443, to: 443 } }], whole: true });
  });

  test("GIVEN the same two rules numbered the other way round THEN the allow comes first and decides: rule order, not list order", () => {
    const swapped = entries(rule(100, "deny", "10.0.0.0/8", tcp(443)), rule(90, "allow", "0.0.0.0/0"));
    expect(evaluateFlow(swapped, HTTPS_IN)).toMatchObject({ allowed: true, decisions: [{ ruleNumber: 90, whole: true }] });
  });

  test("GIVEN an ACL that allows 443 both ways but no ephemeral ports THEN the call goes out and its answers are denied by the * rule", () => {
    expect(evaluateFlow(acl("https-only"), HTTPS_OUT)).toMatchObject({ allowed: true });
    expect(evaluateFlow(acl("https-only"), ANSWERS_IN).deniedBy).toEqual({ ruleNumber: 32767, action: "deny", parts: [{ peer: "172.31.0.0/16", ports: { from: 1024, to: 65535 } }], whole: true });
  });

  test("GIVEN protocol -1 THEN it matches TCP on every port, with no port range; a UDP (17) or ICMP (1) rule never matches TCP", () => {
    expect(evaluateFlow(entries(rule(100, "allow", "0.0.0.0/0")), ANSWERS_IN).allowed).toBe(true);
    const notTcp = entries(rule(10, "deny", "0.0.0.0/0", { Protocol: "17", PortRange: { From: 443, To: 443 } }), rule(20, "deny", "0.0.0.0/0", { Protocol: "1" }), rule(30, "allow", "0.0.0.0/0", tcp(443)));
    expect(evaluateFlow(notTcp, HTTPS_IN)).toMatchObject({ allowed: true, decisions: [{ ruleNumber: 30 }] });
  });

  test("GIVEN a port range that holds only part of the ephemeral ports THEN the rest falls to the * rule, which the verdict names with those ports", () => {
    const linuxOnly = entries(rule(100, "allow", "0.0.0.0/0", tcp(32768, 60999)));
    const verdict = evaluateFlow(linuxOnly, ANSWERS_IN);
    expect(verdict.allowed).toBe(false);
    expect(verdict.decisions.map((d) => [d.ruleNumber, d.action])).toEqual([[100, "allow"], [32767, "deny"]]);
    expect(verdict.deniedBy!.parts).toEqual([{ peer: "172.31.0.0/16", ports: { from: 1024, to: 32767 } }, { peer: "172.31.0.0/16", ports: { from: 61000, to: 65535 } }]);
  });

  test("GIVEN a deny whose CIDR holds part of the peer's THEN it decides that part only and fails the flow, naming the part", () => {
    const partDenied = entries(rule(90, "deny", "10.0.128.0/17", tcp(443)), rule(100, "allow", "0.0.0.0/0"));
    const verdict = evaluateFlow(partDenied, HTTPS_IN);
    expect(verdict.deniedBy).toEqual({ ruleNumber: 90, action: "deny", parts: [{ peer: "10.0.128.0/17", ports: { from: 443, to: 443 } }], whole: false });
    expect(verdict.decisions[1]).toMatchObject({ ruleNumber: 100, action: "allow", parts: [{ peer: "10.0.0.0/17" }] });
  });

  test("GIVEN allows that together cover the peer's CIDR THEN it passes, each deciding its part; one that covers half leaves the other half to the * rule", () => {
    const halves = entries(rule(100, "allow", "10.0.0.0/17"), rule(110, "allow", "10.0.128.0/17"));
    expect(evaluateFlow(halves, HTTPS_IN)).toMatchObject({ allowed: true, decisions: [{ ruleNumber: 100, whole: false }, { ruleNumber: 110, whole: false }] });
    const half = entries(rule(100, "allow", "10.0.0.0/17"));
    expect(evaluateFlow(half, HTTPS_IN).deniedBy).toMatchObject({ ruleNumber: 32767, parts: [{ peer: "10.0.128.0/17" }] });
  });

  test("GIVEN a rule whose CIDR is inside the peer's, denying, numbered after a whole allow THEN the allow has decided already", () => {
    expect(evaluateFlow(entries(rule(100, "allow", "10.0.0.0/8"), rule(110, "deny", "10.0.1.0/24")), HTTPS_IN).allowed).toBe(true);
  });

  test("GIVEN IPv6 rules only THEN an IPv4 peer matches none of them: denied by the * rule", () => {
    expect(evaluateFlow(entries(rule(100, "allow", undefined as any, { Ipv6CidrBlock: "::/0" })), HTTPS_IN).deniedBy).toMatchObject({ ruleNumber: 32767 });
  });

  test("GIVEN egress rules only THEN an inbound flow is denied: directions are separate lists", () => {
    expect(evaluateFlow(entries(rule(100, "allow", "0.0.0.0/0", { Egress: true })), HTTPS_IN).allowed).toBe(false);
  });
});

describe("ruleNumberToAllow: where a rule that allows the flow goes", () => {
  test("below the rule that denies it: the highest free number", () => {
    const denied = acl("deny-https-first");
    expect(ruleNumberToAllow(denied, HTTPS_IN, evaluateFlow(denied, HTTPS_IN))).toBe(89);
  });

  test("denied by the * rule only: the next multiple of 10 after the last rule of that direction", () => {
    const https = acl("https-only");
    expect(ruleNumberToAllow(https, ANSWERS_IN, evaluateFlow(https, ANSWERS_IN))).toBe(110);
  });

  test("denied by rule 1: no number is free below it", () => {
    const first = entries(rule(1, "deny", "0.0.0.0/0"));
    expect(ruleNumberToAllow(first, HTTPS_IN, evaluateFlow(first, HTTPS_IN))).toBeUndefined();
  });
});
