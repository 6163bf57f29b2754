/**
 * The Linux network that stands for the model, as data: namespaces, links, and the `ip` and `nft`
 * text each namespace gets. Pure, so that what the twin builds can be read and tested without
 * root; `network.ts` applies it (and only what changed since the last plan).
 *
 * - A router namespace per VPC: a bridge per subnet at the subnet's base address + 1 (AWS's VPC
 *   router address), the resolver's address (base + 2) on its loopback, a link per active peering,
 *   and policy routing by source subnet: traffic from a subnet is routed by *its* route table
 *   (`local` goes on to the VPC's connected subnets; a peering route to the peer router; a
 *   blackhole, a route to something the twin does not emulate, and anything unrouted are dropped
 *   silently: the caller times out, as in a VPC). Network ACLs are stateless nftables rules where a
 *   subnet meets the router, in rule-number order, the first match deciding, the last a deny.
 *   A peering link carries only traffic between the two VPCs' CIDRs (no transit).
 * - A host namespace per address the twin places (an endpoint's interface, a client per subnet, a
 *   function), linked to its subnet's bridge, with its security groups as stateful nftables rules
 *   (traffic to and from the VPC's resolver is never filtered, as AWS documents for Amazon DNS).
 */
import { activeLinks, AclEntry, HostModel, NetworkAclModel, SecurityGroupRule, TwinModel } from "./model";
import { block, nth, toAddress } from "./cidr";

/** Stable names for the twin's namespaces and links, by what they stand for. */
export interface Names {
  /** The namespace name for `key` (`vpc:<id>`, `host:<id>`). */
  namespace(key: string): string;
  /** A small number unique within the run for `key` (a subnet, a host, a peering). */
  index(key: string): number;
}

export interface NamespacePlan {
  readonly name: string;
  /** What it stands for: `vpc:<id>` or `host:<id>`. */
  readonly key: string;
  readonly kind: "router" | "host";
  /** `sysctl -w` settings, before any link is made. */
  readonly sysctl: string[];
  /** `ip -batch` lines run once, when the namespace is made (after its sysctls). */
  readonly setup: string[];
  /** `ip -batch` lines that set its routing; run again whenever they change. */
  readonly routing: string[];
  /** Its whole nftables ruleset; loaded again whenever it changes. */
  readonly nft: string;
}

/** A veth pair; each end's `ip -batch` lines run in its namespace once the pair exists. */
export interface LinkPlan {
  readonly key: string;
  readonly a: { readonly ns: string; readonly name: string; readonly setup: string[] };
  readonly b: { readonly ns: string; readonly name: string; readonly setup: string[] };
}

export interface NetworkPlan {
  readonly namespaces: NamespacePlan[];
  readonly links: LinkPlan[];
  /** A resolver per VPC: in the router namespace, at base + 2. */
  readonly resolvers: { readonly ns: string; readonly vpcId: string; readonly address: string }[];
  /** A gateway per execute-api endpoint interface, in its host namespace. */
  readonly gateways: { readonly ns: string; readonly endpointId: string; readonly hostId: string; readonly address: string }[];
  /** The host namespace of every host, by host id. */
  readonly hostNamespaces: Record<string, string>;
}

const PEERING_LINKS = "169.254.0.0";

function protocolMatch(protocol: number, ports: readonly [number, number] | undefined): string {
  const name = protocol === 6 ? "tcp" : protocol === 17 ? "udp" : protocol === 1 ? "icmp" : String(protocol);
  if (protocol === -1) return "";
  const range = ports ? ` ${name} dport ${ports[0] === ports[1] ? ports[0] : `${ports[0]}-${ports[1]}`}` : "";
  return `meta l4proto ${name}${range}`;
}

const join = (...parts: string[]) => parts.filter(Boolean).join(" ");

/** A locally administered MAC address for subnet bridge `i`, the same for the bridge's whole life. */
export function bridgeMac(i: number): string {
  return `02:74:77:${[(i >> 16) & 0xff, (i >> 8) & 0xff, i & 0xff].map((n) => n.toString(16).padStart(2, "0")).join(":")}`;
}
const addressMatch = (direction: "saddr" | "daddr", cidr: string) => (cidr === "0.0.0.0/0" ? "" : `ip ${direction} ${cidr}`);

/** One ACL direction as an nftables chain: allow goes on (`return`), deny drops, nothing matched drops. */
function aclChain(name: string, acl: NetworkAclModel | undefined, egress: boolean): string {
  const entries: AclEntry[] = (acl?.entries ?? []).filter((e) => e.egress === egress).sort((x, y) => x.number - y.number);
  const lines = entries.map((e) => `    ${join(addressMatch(egress ? "daddr" : "saddr", e.cidr), protocolMatch(e.protocol, e.ports), e.allow ? "return" : "drop")} comment "rule ${e.number}"`);
  return `  chain ${name} {\n${[...lines, '    drop comment "the default deny (*)"'].join("\n")}\n  }`;
}

function sgRules(rules: SecurityGroupRule[], direction: "saddr" | "daddr", groupAddresses: (id: string) => string[]): string[] {
  const lines: string[] = [];
  for (const rule of rules) {
    const sources = [...rule.cidrs, ...rule.groups.flatMap(groupAddresses)];
    for (const source of sources) lines.push(`    ${join(addressMatch(direction, source), protocolMatch(rule.protocol, rule.ports), "accept")}`);
  }
  return lines;
}

/** The plan for `model`. */
export function planNetwork(model: TwinModel, names: Names): NetworkPlan {
  const namespaces: NamespacePlan[] = [];
  const links: LinkPlan[] = [];
  const hostNamespaces: Record<string, string> = {};
  const groupAddresses = (id: string) => model.hosts.filter((h) => h.securityGroups.includes(id)).map((h) => h.address);
  const peerings = activeLinks(model);

  for (const vpc of model.vpcs) {
    const router = names.namespace(`vpc:${vpc.id}`);
    const subnets = model.subnets.filter((s) => s.vpcId === vpc.id);
    const setup = ["link set lo up", `address add ${vpc.resolver}/32 dev lo`];
    const routing = ["rule flush", "rule add priority 32766 lookup main", "rule add priority 32767 lookup default", "route replace blackhole default"];
    const forward: string[] = [];
    const chains: string[] = [];
    for (const subnet of subnets) {
      const i = names.index(`subnet:${subnet.id}`);
      const bridge = `b${i}`;
      const b = block(subnet.cidr);
      // A fixed address: a bridge otherwise takes its lowest port's, and changes it when that port
      // goes (a function removed from the subnet), while its hosts keep the old one for the
      // gateway in their ARP caches: their packets to the gateway and the resolver vanish for
      // seconds (CI: a dig from billing's subnet after its canary was destroyed).
      setup.push(`link add ${bridge} address ${bridgeMac(i)} type bridge`, `address add ${nth(subnet.cidr, 1)}/${b.prefix} dev ${bridge}`, `link set ${bridge} up`);
      const table = 1000 + i;
      routing.push(`rule add priority ${table} iif ${bridge} from ${subnet.cidr} lookup ${table}`, `route flush table ${table}`);
      const routes = model.routeTables.find((t) => t.id === subnet.routeTableId)?.routes ?? [];
      for (const route of routes) {
        if (route.target.kind === "local") routing.push(`route add throw ${route.destination} table ${table}`);
        else if (route.target.kind === "peering") {
          const peering = peerings.find((p) => p.id === (route.target as any).peeringId)!;
          const k = names.index(`peering:${peering.id}`);
          const mine = peering.requester.vpcId === vpc.id ? 1 : 2;
          routing.push(`route add ${route.destination} via ${toAddress(block(`${PEERING_LINKS}/16`).base + 4 * k + (3 - mine))} table ${table}`);
        } else routing.push(`route add blackhole ${route.destination} table ${table}`);
      }
      if (!routes.some((r) => r.destination === "0.0.0.0/0")) routing.push(`route add blackhole default table ${table}`);
      const acl = model.networkAcls.find((a) => a.id === subnet.networkAclId);
      forward.push(`    iifname "${bridge}" jump out_${i}`, `    oifname "${bridge}" jump in_${i}`);
      chains.push(aclChain(`out_${i}`, acl, true), aclChain(`in_${i}`, acl, false));
    }
    for (const peering of peerings.filter((p) => p.requester.vpcId === vpc.id || p.accepter.vpcId === vpc.id)) {
      const k = names.index(`peering:${peering.id}`);
      const peerVpc = model.vpcs.find((v) => v.id === (peering.requester.vpcId === vpc.id ? peering.accepter.vpcId : peering.requester.vpcId))!;
      forward.unshift(`    iifname "p${k}" ip saddr != ${peerVpc.cidr} drop`, `    iifname "p${k}" ip daddr != ${vpc.cidr} drop`, `    oifname "p${k}" ip daddr != ${peerVpc.cidr} drop`);
    }
    const nft = [
      "table inet twin {",
      "  chain forward {",
      "    type filter hook forward priority 0; policy accept;",
      ...forward,
      "  }",
      ...chains,
      "  chain input {",
      "    type filter hook input priority 0; policy accept;",
      // The resolver answers its own VPC only.
      `    ip daddr ${vpc.resolver} ip saddr != ${vpc.cidr} drop`,
      "  }",
      "}",
    ].join("\n");
    namespaces.push({
      name: router,
      key: `vpc:${vpc.id}`,
      kind: "router",
      sysctl: ["net.ipv4.ip_forward=1", "net.ipv4.conf.all.rp_filter=0", "net.ipv4.conf.default.rp_filter=0", "net.ipv4.conf.all.send_redirects=0", "net.ipv4.conf.default.send_redirects=0", "net.bridge.bridge-nf-call-iptables=0"],
      setup,
      routing,
      nft: `${nft}\n`,
    });
  }

  for (const peering of peerings) {
    const k = names.index(`peering:${peering.id}`);
    const base = block(`${PEERING_LINKS}/16`).base + 4 * k;
    const [a, b] = [names.namespace(`vpc:${peering.requester.vpcId}`), names.namespace(`vpc:${peering.accepter.vpcId}`)];
    links.push({
      key: `peering:${peering.id}`,
      a: { ns: a, name: `p${k}`, setup: [`address add ${toAddress(base + 1)}/30 dev p${k}`, `link set p${k} up`] },
      b: { ns: b, name: `p${k}`, setup: [`address add ${toAddress(base + 2)}/30 dev p${k}`, `link set p${k} up`] },
    });
  }

  for (const host of model.hosts) {
    const subnet = model.subnets.find((s) => s.id === host.subnetId);
    if (!subnet) continue;
    const ns = names.namespace(`host:${host.id}`);
    hostNamespaces[host.id] = ns;
    const i = names.index(`host:${host.id}`);
    const vpc = model.vpcs.find((v) => v.id === host.vpcId)!;
    links.push({
      key: `host:${host.id}`,
      a: { ns: names.namespace(`vpc:${host.vpcId}`), name: `h${i}`, setup: [`link set h${i} master b${names.index(`subnet:${subnet.id}`)}`, `link set h${i} up`] },
      b: { ns, name: "eth0", setup: [`address add ${host.address}/${block(subnet.cidr).prefix} dev eth0`, "link set eth0 up", `route add default via ${nth(subnet.cidr, 1)}`] },
    });
    namespaces.push({ name: ns, key: `host:${host.id}`, kind: "host", sysctl: [], setup: ["link set lo up"], routing: [], nft: hostRuleset(host, model, vpc.resolver, groupAddresses) });
  }

  const resolvers = model.vpcs.map((v) => ({ ns: names.namespace(`vpc:${v.id}`), vpcId: v.id, address: v.resolver }));
  const gateways = model.hosts
    .filter((h) => h.kind === "endpoint" && model.endpoints.some((e) => e.id === h.endpointId && e.serviceName.endsWith(".execute-api")))
    .map((h) => ({ ns: hostNamespaces[h.id], endpointId: h.endpointId!, hostId: h.id, address: h.address }));
  return { namespaces, links, resolvers, gateways, hostNamespaces };
}

/** A host's security groups, stateful: replies to what was admitted pass; nothing else unless a rule says so. */
function hostRuleset(host: HostModel, model: TwinModel, resolver: string, groupAddresses: (id: string) => string[]): string {
  const groups = model.securityGroups.filter((g) => host.securityGroups.includes(g.id));
  const ingress = groups.flatMap((g) => sgRules(g.ingress, "saddr", groupAddresses));
  const egress = groups.flatMap((g) => sgRules(g.egress, "daddr", groupAddresses));
  return [
    "table inet twin {",
    "  chain input {",
    "    type filter hook input priority 0; policy drop;",
    '    iif "lo" accept',
    "    ct state established,related accept",
    ...ingress,
    "  }",
    "  chain output {",
    "    type filter hook output priority 0; policy drop;",
    '    oif "lo" accept',
    "    ct state established,related accept",
    `    ip daddr ${resolver} meta l4proto { tcp, udp } th dport 53 accept`,
    ...egress,
    "  }",
    "}",
    "",
  ].join("\n");
}
