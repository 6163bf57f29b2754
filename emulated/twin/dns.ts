/**
 * What Route 53 Resolver answers inside one VPC (its base address + 2), as pure functions: the
 * private hosted zones associated with the VPC (the most specific zone that contains the name
 * decides, and a name it does not hold is NXDOMAIN there, never looked up elsewhere), the private
 * DNS zone of each interface endpoint in the VPC with private DNS on, and the public names every
 * VPC resolves (an endpoint's regional and zonal `vpce-...` names, the `<api-id>-<vpce-id>` name of
 * each API associated with an endpoint); NXDOMAIN for anything else. Nothing is forwarded.
 */
import type { EndpointModel, TwinModel } from "./model";

export interface DnsRecord {
  readonly name: string;
  readonly type: "A" | "CNAME";
  readonly ttl: number;
  readonly data: string;
}

export interface DnsAnswer {
  readonly rcode: "NOERROR" | "NXDOMAIN";
  readonly answers: DnsRecord[];
}

/** One zone as the resolver holds it: records by owner name (`*.zone` for a wildcard). */
export interface ResolverZone {
  readonly name: string;
  /** Where it comes from, for messages (`private hosted zone Z...`, `private DNS of vpce-...`). */
  readonly source: string;
  readonly records: { readonly name: string; readonly type: "A" | "CNAME"; readonly ttl: number; readonly data: string[] }[];
}

/** Everything one VPC's resolver answers from. */
export interface ResolverView {
  readonly vpcId: string;
  readonly vpcCidr: string;
  readonly address: string;
  /** Private zones of this VPC (hosted zones associated with it, endpoints' private DNS). */
  readonly zones: ResolverZone[];
  /** Public names: each with its addresses. */
  readonly public: Record<string, string[]>;
}

const TTL = 60;
const lower = (name: string) => name.replace(/\.$/, "").toLowerCase();
const within = (name: string, zone: string) => name === zone || name.endsWith(`.${zone}`);

/** The endpoint's private DNS domain (`execute-api.<region>.amazonaws.com`) from its service name. */
export function privateDnsDomain(endpoint: EndpointModel): string {
  const [prefix, rest] = endpoint.serviceName.split(".amazonaws.");
  const [region, ...service] = (rest ?? "").split(".");
  return `${service.join(".")}.${region}.${prefix === "cn.com" ? "amazonaws.com.cn" : "amazonaws.com"}`;
}

/** The public names and their addresses: endpoints' names, and `<api-id>-<vpce-id>` for associated APIs. */
export function publicNames(model: TwinModel): Record<string, string[]> {
  const names: Record<string, string[]> = {};
  for (const endpoint of model.endpoints) {
    const all = endpoint.interfaces.map((i) => i.address);
    if (!all.length) continue;
    endpoint.dnsNames.forEach((name, i) => {
      // Entry 0 is regional (every zone's interface); the others are zonal (`...-<zone>.`).
      const zonal = i > 0 ? endpoint.interfaces.filter((x) => name.split(".")[0].endsWith(`-${x.availabilityZone}`)).map((x) => x.address) : all;
      names[name] = zonal.length ? zonal : all;
    });
    const domain = privateDnsDomain(endpoint);
    for (const api of model.apis.filter((a) => a.vpcEndpointIds.includes(endpoint.id) && a.region === endpoint.region)) {
      names[`${api.id}-${endpoint.id}.${domain}`] = all;
    }
  }
  return names;
}

/** What the resolver of `vpcId` answers from. */
export function resolverView(model: TwinModel, vpcId: string): ResolverView {
  const vpc = model.vpcs.find((v) => v.id === vpcId);
  if (!vpc) throw new Error(`no VPC ${vpcId} in the twin's model`);
  const publicRecords = publicNames(model);
  const zones: ResolverZone[] = [];
  for (const zone of model.zones.filter((z) => z.vpcIds.includes(vpcId))) {
    const records: ResolverZone["records"][number][] = [];
    for (const record of zone.records) {
      if (record.type !== "A" && record.type !== "CNAME") continue;
      if (record.alias) {
        // Route 53 answers an alias with its target's records, under the alias's own name.
        const target = publicRecords[lower(record.alias.dnsName)] ?? zone.records.find((r) => lower(r.name) === lower(record.alias!.dnsName) && !r.alias)?.values ?? [];
        if (target.length) records.push({ name: lower(record.name), type: "A", ttl: TTL, data: target });
        continue;
      }
      records.push({ name: lower(record.name), type: record.type, ttl: record.ttl, data: record.values.map(lower) });
    }
    zones.push({ name: zone.name, source: `private hosted zone ${zone.id} (${zone.accountId})`, records });
  }
  for (const endpoint of model.endpoints.filter((e) => e.vpcId === vpcId && e.privateDns && e.interfaces.length)) {
    const domain = privateDnsDomain(endpoint);
    const addresses = endpoint.interfaces.map((i) => i.address);
    zones.push({
      name: domain,
      source: `private DNS of ${endpoint.id}`,
      // The article's dig from B: a name under the domain is a CNAME to the domain, which has the addresses.
      records: [
        { name: domain, type: "A", ttl: TTL, data: addresses },
        { name: `*.${domain}`, type: "CNAME", ttl: TTL, data: [domain] },
      ],
    });
  }
  return { vpcId, vpcCidr: vpc.cidr, address: vpc.resolver, zones, public: publicRecords };
}

/** The resolver's answer to `name`/`type` (A, AAAA, CNAME, anything). CNAMEs are followed in the same view. */
export function answer(view: ResolverView, name: string, type: string): DnsAnswer {
  const answers: DnsRecord[] = [];
  let current = lower(name);
  for (let hops = 0; hops < 8; hops++) {
    const found = lookup(view, current);
    if (!found) return { rcode: answers.length ? "NOERROR" : "NXDOMAIN", answers };
    if (found.type === "CNAME" && type !== "CNAME") {
      answers.push({ name: current, type: "CNAME", ttl: found.ttl, data: found.data[0] });
      current = found.data[0];
      continue;
    }
    if (found.type === type || (type === "ANY")) answers.push(...found.data.map((data) => ({ name: current, type: found.type, ttl: found.ttl, data })));
    // Another type of an existing name: NOERROR with no answer (NODATA).
    return { rcode: "NOERROR", answers };
  }
  return { rcode: "NOERROR", answers };
}

/** The record set for `name`, or undefined for NXDOMAIN (most specific private zone first, then public names). */
function lookup(view: ResolverView, name: string): { type: "A" | "CNAME"; ttl: number; data: string[] } | undefined {
  const zone = view.zones.filter((z) => within(name, z.name)).sort((x, y) => y.name.length - x.name.length)[0];
  if (zone) {
    const exact = zone.records.find((r) => r.name === name);
    if (exact) return exact;
    // A wildcard covers names below its parent that the zone does not hold otherwise.
    const wildcard = zone.records.find((r) => r.name.startsWith("*.") && within(name, r.name.slice(2)) && name !== r.name.slice(2));
    return wildcard;
  }
  const addresses = view.public[name];
  return addresses ? { type: "A", ttl: TTL, data: addresses } : undefined;
}
