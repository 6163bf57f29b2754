import { buildModel } from "../../emulated/twin/model";
import { Names, planNetwork } from "../../emulated/twin/network-plan";
import { IDS, recorded } from "./recorded";

function names(): Names {
  const indexes = new Map<string, number>();
  const index = (key: string) => (indexes.has(key) ? indexes.get(key)! : (indexes.set(key, indexes.size + 1), indexes.size));
  return { index, namespace: (key: string) => `twin-test-${index(`ns:${key}`)}` };
}

describe("planNetwork", () => {
  test("a router namespace per VPC and a namespace per host; a link per active peering and per host", () => {
    const model = buildModel(recorded());
    const plan = planNetwork(model, names());
    expect(plan.namespaces.filter((n) => n.kind === "router").map((n) => n.key).sort()).toEqual([`vpc:${IDS.vpcA}`, `vpc:${IDS.vpcB}`]);
    expect(plan.namespaces.filter((n) => n.kind === "host")).toHaveLength(model.hosts.length);
    expect(plan.links.map((l) => l.key)).toContain(`peering:${IDS.peering}`);
    expect(plan.gateways.map((g) => g.address).sort()).toEqual(IDS.endpointAddresses);
  });

  test("each subnet's bridge has an address of its own from the start (a Linux bridge otherwise takes its lowest port's and changes it when that port goes, while its hosts' ARP entries for the gateway keep the old one)", () => {
    const plan = planNetwork(buildModel(recorded()), names());
    const bridges = plan.namespaces.filter((n) => n.kind === "router").flatMap((n) => n.setup.filter((l) => / type bridge$/.test(l)));
    expect(bridges.length).toBeGreaterThan(1);
    for (const line of bridges) expect(line).toMatch(/^link add b\d+ address 02:74:77:[0-9a-f]{2}:[0-9a-f]{2}:[0-9a-f]{2} type bridge$/);
    const macs = bridges.map((l) => l.split(" ")[4]);
    expect(new Set(macs).size).toBe(macs.length);
  });

  test("A's client subnet is routed by its own table: B's CIDR to the peer router, the VPC onward, everything else dropped silently", () => {
    const plan = planNetwork(buildModel(recorded()), names());
    const router = plan.namespaces.find((n) => n.key === `vpc:${IDS.vpcA}`)!;
    const table = /lookup (\d+)$/.exec(router.routing.find((l) => l.includes("from 10.0.0.0/20"))!)![1];
    expect(router.routing.filter((l) => l.endsWith(`table ${table}`) && l.startsWith("route add"))).toEqual([
      `route add throw 10.0.0.0/16 table ${table}`,
      expect.stringMatching(new RegExp(`^route add 172\\.31\\.0\\.0/16 via 169\\.254\\.\\d+\\.\\d+ table ${table}$`)),
      `route add blackhole default table ${table}`,
    ]);
  });

  test("GIVEN A's route to B deleted THEN nothing routes B's CIDR: the default blackhole takes it", () => {
    const reads = recorded();
    const table = reads[0].routeTables.find((t) => t.RouteTableId === IDS.routeTableA)!;
    table.Routes = table.Routes!.filter((r) => r.DestinationCidrBlock !== "172.31.0.0/16");
    const router = planNetwork(buildModel(reads), names()).namespaces.find((n) => n.key === `vpc:${IDS.vpcA}`)!;
    expect(router.routing.some((l) => l.startsWith("route add 172.31.0.0/16"))).toBe(false);
  });

  test("network ACL entries become a stateless chain in rule-number order, ending in the default deny", () => {
    const reads = recorded();
    const acl = reads[1].networkAcls.find((a) => a.VpcId === IDS.vpcB)!;
    acl.Entries!.push({ RuleNumber: 50, Protocol: "6", RuleAction: "deny", Egress: false, CidrBlock: "10.0.0.0/16", PortRange: { From: 443, To: 443 } });
    const router = planNetwork(buildModel(reads), names()).namespaces.find((n) => n.key === `vpc:${IDS.vpcB}`)!;
    const chain = /chain in_\d+ \{\n([^}]*)\}/.exec(router.nft)![1].trim().split("\n").map((l) => l.trim());
    expect(chain).toEqual([
      'ip saddr 10.0.0.0/16 meta l4proto tcp tcp dport 443 drop comment "rule 50"',
      'return comment "rule 100"',
      // AWS (and moto) list the default deny as rule 32767; the chain ends in one of its own too.
      'drop comment "rule 32767"',
      'drop comment "the default deny (*)"',
    ]);
  });

  test("the endpoint's interfaces admit TCP 443 from the allowed CIDRs only, statefully; the canary may reach B's CIDR on 443 and its resolver", () => {
    const model = buildModel(recorded());
    const plan = planNetwork(model, names());
    const eni = plan.namespaces.find((n) => n.key === `host:${model.endpoints[0].interfaces[0].hostId}`)!;
    expect(eni.nft).toContain("ct state established,related accept");
    expect(eni.nft).toContain("ip saddr 10.0.0.0/16 meta l4proto tcp tcp dport 443 accept");
    expect(eni.nft).toContain("ip saddr 172.31.0.0/16 meta l4proto tcp tcp dport 443 accept");
    const canary = plan.namespaces.find((n) => n.key.startsWith("host:function:"))!;
    expect(canary.nft).toMatch(/chain output \{[^}]*ip daddr 10\.0\.0\.2 meta l4proto \{ tcp, udp \} th dport 53 accept\n\s*ip daddr 172\.31\.0\.0\/16 meta l4proto tcp tcp dport 443 accept\n\s*\}/);
  });

  test("a peering link carries only the two VPCs' CIDRs", () => {
    const router = planNetwork(buildModel(recorded()), names()).namespaces.find((n) => n.key === `vpc:${IDS.vpcB}`)!;
    expect(router.nft).toMatch(/iifname "p\d+" ip saddr != 10\.0\.0\.0\/16 drop/);
    expect(router.nft).toMatch(/oifname "p\d+" ip daddr != 10\.0\.0\.0\/16 drop/);
  });
});
