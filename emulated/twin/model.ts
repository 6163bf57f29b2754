/**
 * The twin's model of the data plane: a plain data structure built, by pure functions, from what
 * the emulated accounts answer (`read.ts`), and consumed by the network builder, the resolvers and
 * the gateway. Nothing here comes from the configuration or the synth output.
 */
import type { AccountRead } from "./read";
import { block, contains, nth, toNumber } from "./cidr";

/** What a route leads to. A blackhole drops silently (a timeout for the caller). */
export type RouteTarget =
  | { readonly kind: "local" }
  | { readonly kind: "peering"; readonly peeringId: string; readonly peerVpcId: string }
  | { readonly kind: "blackhole"; readonly why: string };

export interface RouteModel {
  readonly destination: string;
  readonly target: RouteTarget;
}

export interface RouteTableModel {
  readonly id: string;
  readonly vpcId: string;
  readonly routes: RouteModel[];
}

/** A network ACL entry, as AWS evaluates it: in rule-number order, the first match decides. */
export interface AclEntry {
  readonly number: number;
  readonly egress: boolean;
  readonly allow: boolean;
  /** IP protocol number, or -1 for every protocol. */
  readonly protocol: number;
  readonly cidr: string;
  /** Destination ports (TCP, UDP), inclusive. @default - every port */
  readonly ports?: readonly [number, number];
}

export interface NetworkAclModel {
  readonly id: string;
  readonly vpcId: string;
  readonly entries: AclEntry[];
}

/** A security group rule: what it admits (ingress) or lets out (egress). */
export interface SecurityGroupRule {
  readonly protocol: number;
  readonly ports?: readonly [number, number];
  readonly cidrs: string[];
  /** Referenced groups: every address carrying one of them. */
  readonly groups: string[];
}

export interface SecurityGroupModel {
  readonly id: string;
  readonly name: string;
  readonly vpcId: string;
  readonly accountId: string;
  readonly ingress: SecurityGroupRule[];
  readonly egress: SecurityGroupRule[];
}

export interface VpcModel {
  readonly id: string;
  readonly accountId: string;
  readonly region: string;
  readonly cidr: string;
  /** The Route 53 Resolver's address: the VPC's base address + 2. */
  readonly resolver: string;
  /** The VPC's default security group (what a client launched without one gets). */
  readonly defaultSecurityGroup?: string;
}

export interface SubnetModel {
  readonly id: string;
  readonly vpcId: string;
  readonly accountId: string;
  readonly region: string;
  readonly cidr: string;
  readonly availabilityZone: string;
  /** Its explicit association, else the VPC's main table. */
  readonly routeTableId?: string;
  readonly networkAclId?: string;
}

/** One address in a subnet that the twin gives a namespace of its own. */
export interface HostModel {
  /** Stable id: the ENI id (an endpoint's or any other interface: an instance's), `client:<subnet>`, `function:<account>:<region>:<name>`. */
  readonly id: string;
  readonly kind: "endpoint" | "interface" | "client" | "function";
  readonly subnetId: string;
  readonly vpcId: string;
  readonly address: string;
  readonly securityGroups: string[];
  /** For an endpoint's interface: the endpoint. */
  readonly endpointId?: string;
  /** For a function: its name, account and region. */
  readonly functionName?: string;
  readonly accountId: string;
  readonly region: string;
}

export interface PeeringModel {
  readonly id: string;
  readonly status: string;
  readonly requester: { readonly vpcId: string; readonly accountId: string; readonly region: string };
  readonly accepter: { readonly vpcId: string; readonly accountId: string; readonly region: string };
}

export interface EndpointModel {
  readonly id: string;
  readonly accountId: string;
  readonly region: string;
  readonly vpcId: string;
  readonly serviceName: string;
  readonly privateDns: boolean;
  /** The interfaces' addresses, by subnet and zone. */
  readonly interfaces: { readonly subnetId: string; readonly availabilityZone: string; readonly address: string; readonly hostId: string }[];
  /** Regional name first, then one per zone (DnsEntries). */
  readonly dnsNames: string[];
  /** The endpoint policy (parsed); absent: full access. */
  readonly policy?: unknown;
}

export interface RecordModel {
  readonly name: string;
  readonly type: string;
  readonly ttl: number;
  readonly values: string[];
  readonly alias?: { readonly dnsName: string; readonly zoneId: string };
}

export interface ZoneModel {
  readonly id: string;
  readonly name: string;
  readonly accountId: string;
  readonly vpcIds: string[];
  readonly records: RecordModel[];
}

/** A method of a deployed stage: what API Gateway serves for it. */
export interface RouteDefinition {
  readonly path: string;
  readonly method: string;
  readonly integration?: {
    readonly type: string;
    readonly requestTemplates: Record<string, string>;
    readonly passthroughBehavior?: string;
    /** By selection pattern ("default" for none). */
    readonly responses: { readonly pattern: string; readonly statusCode: string; readonly templates: Record<string, string> }[];
  };
}

export interface StageModel {
  readonly name: string;
  readonly deploymentId?: string;
  /** What the stage's deployment serves; absent when the export could not be read. */
  readonly routes?: RouteDefinition[];
  /** The resource policy as deployed. */
  readonly policy?: unknown;
  readonly problem?: string;
}

export interface ApiModel {
  readonly id: string;
  readonly accountId: string;
  readonly region: string;
  readonly name: string;
  readonly types: string[];
  readonly vpcEndpointIds: string[];
  readonly stages: StageModel[];
}

export interface FunctionModel {
  readonly name: string;
  readonly accountId: string;
  readonly region: string;
  readonly subnetIds: string[];
  readonly securityGroups: string[];
  readonly hostId?: string;
}

export interface TwinModel {
  readonly vpcs: VpcModel[];
  readonly subnets: SubnetModel[];
  readonly routeTables: RouteTableModel[];
  readonly networkAcls: NetworkAclModel[];
  readonly securityGroups: SecurityGroupModel[];
  readonly peerings: PeeringModel[];
  readonly endpoints: EndpointModel[];
  readonly zones: ZoneModel[];
  readonly apis: ApiModel[];
  readonly functions: FunctionModel[];
  readonly hosts: HostModel[];
  /** What the accounts hold that the twin cannot place (an interface address outside its subnet). */
  readonly problems: string[];
}

const PROTOCOLS: Record<string, number> = { "-1": -1, all: -1, tcp: 6, udp: 17, icmp: 1 };

function protocolNumber(value: string | undefined): number {
  if (value === undefined) return -1;
  return PROTOCOLS[value.toLowerCase()] ?? Number(value);
}

function portRange(protocol: number, from?: number, to?: number): readonly [number, number] | undefined {
  if (protocol !== 6 && protocol !== 17) return undefined;
  if (from === undefined || to === undefined || from === -1) return undefined;
  if (from === 0 && to === 65535) return undefined;
  return [from, to];
}

/** The policy as a document: AWS's escaped string (GetRestApi), a plain JSON string, or already parsed. */
export function parsePolicy(value: unknown): unknown {
  if (value === undefined || value === null || value === "") return undefined;
  if (typeof value !== "string") return value;
  try {
    return JSON.parse(value);
  } catch {
    return JSON.parse(JSON.parse(`"${value}"`));
  }
}

const trimDot = (name: string) => name.replace(/\.$/, "").toLowerCase();

/** The stage's routes from its export (Swagger 2.0 with API Gateway's extensions). */
export function stageRoutes(definition: any): RouteDefinition[] {
  const routes: RouteDefinition[] = [];
  for (const [path, operations] of Object.entries<any>(definition?.paths ?? {})) {
    for (const [verb, operation] of Object.entries<any>(operations ?? {})) {
      if (verb.startsWith("x-") || verb === "parameters") continue;
      const integration = operation?.["x-amazon-apigateway-integration"];
      routes.push({
        path,
        method: verb.toUpperCase(),
        integration: integration && {
          type: String(integration.type ?? "").toUpperCase(),
          requestTemplates: integration.requestTemplates ?? {},
          passthroughBehavior: integration.passthroughBehavior,
          responses: Object.entries<any>(integration.responses ?? {}).map(([pattern, r]) => ({ pattern, statusCode: String(r.statusCode), templates: r.responseTemplates ?? {} })),
        },
      });
    }
  }
  return routes;
}

/**
 * The model of every account read. Default VPCs are left out (AWS and moto give each account and
 * region one, whose CIDR is often another VPC's here). Client hosts: one per subnet, at the
 * subnet's last usable address, with the VPC's default group (an instance launched without one);
 * function hosts: one per function in a VPC, in its first subnet, below the client.
 */
export function buildModel(reads: AccountRead[]): TwinModel {
  const problems: string[] = [];
  const vpcs: VpcModel[] = [];
  const subnets: SubnetModel[] = [];
  const routeTables: RouteTableModel[] = [];
  const networkAcls: NetworkAclModel[] = [];
  const securityGroups: SecurityGroupModel[] = [];
  const peeringsById = new Map<string, PeeringModel>();
  const endpoints: EndpointModel[] = [];
  const zones = new Map<string, ZoneModel>();
  const apis: ApiModel[] = [];
  const functions: FunctionModel[] = [];
  const hosts: HostModel[] = [];

  for (const read of reads) {
    const { accountId, region } = read;
    const own = new Set(read.vpcs.filter((v) => !v.IsDefault).map((v) => v.VpcId!));
    for (const v of read.vpcs.filter((x) => own.has(x.VpcId!))) {
      const group = read.securityGroups.find((g) => g.VpcId === v.VpcId && g.GroupName === "default");
      vpcs.push({ id: v.VpcId!, accountId, region, cidr: v.CidrBlock!, resolver: nth(v.CidrBlock!, 2), defaultSecurityGroup: group?.GroupId });
    }
    const tables = read.routeTables.filter((t) => own.has(t.VpcId!));
    const acls = read.networkAcls.filter((a) => own.has(a.VpcId!));
    for (const s of read.subnets.filter((x) => own.has(x.VpcId!))) {
      const explicit = tables.find((t) => (t.Associations ?? []).some((a) => a.SubnetId === s.SubnetId));
      const main = tables.find((t) => t.VpcId === s.VpcId && (t.Associations ?? []).some((a) => a.Main));
      const acl = acls.find((a) => (a.Associations ?? []).some((x) => x.SubnetId === s.SubnetId)) ?? acls.find((a) => a.VpcId === s.VpcId && a.IsDefault);
      subnets.push({ id: s.SubnetId!, vpcId: s.VpcId!, accountId, region, cidr: s.CidrBlock!, availabilityZone: s.AvailabilityZone!, routeTableId: (explicit ?? main)?.RouteTableId, networkAclId: acl?.NetworkAclId });
    }
    for (const p of read.peerings) {
      const known = peeringsById.get(p.VpcPeeringConnectionId!);
      // The requester's view first (both accounts see the same status).
      if (known && p.RequesterVpcInfo?.OwnerId !== accountId) continue;
      peeringsById.set(p.VpcPeeringConnectionId!, {
        id: p.VpcPeeringConnectionId!,
        status: p.Status?.Code ?? "unknown",
        requester: { vpcId: p.RequesterVpcInfo?.VpcId ?? "", accountId: p.RequesterVpcInfo?.OwnerId ?? "", region: p.RequesterVpcInfo?.Region ?? region },
        accepter: { vpcId: p.AccepterVpcInfo?.VpcId ?? "", accountId: p.AccepterVpcInfo?.OwnerId ?? "", region: p.AccepterVpcInfo?.Region ?? region },
      });
    }
    for (const a of acls) {
      networkAcls.push({
        id: a.NetworkAclId!,
        vpcId: a.VpcId!,
        entries: (a.Entries ?? []).filter((e) => e.CidrBlock).map((e) => {
          const protocol = protocolNumber(e.Protocol);
          return { number: e.RuleNumber!, egress: !!e.Egress, allow: e.RuleAction === "allow", protocol, cidr: e.CidrBlock!, ports: portRange(protocol, e.PortRange?.From, e.PortRange?.To) };
        }).sort((x, y) => x.number - y.number),
      });
    }
    for (const g of read.securityGroups.filter((x) => own.has(x.VpcId!))) {
      const rules = (permissions: typeof g.IpPermissions) => (permissions ?? []).map((p) => {
        const protocol = protocolNumber(p.IpProtocol);
        return { protocol, ports: portRange(protocol, p.FromPort, p.ToPort), cidrs: (p.IpRanges ?? []).map((r) => r.CidrIp!).filter(Boolean), groups: (p.UserIdGroupPairs ?? []).map((u) => u.GroupId!).filter(Boolean) };
      });
      securityGroups.push({ id: g.GroupId!, name: g.GroupName ?? "", vpcId: g.VpcId!, accountId, ingress: rules(g.IpPermissions), egress: rules(g.IpPermissionsEgress) });
    }
    for (const e of read.endpoints.filter((x) => own.has(x.VpcId!) && (x.VpcEndpointType ?? "").toLowerCase() === "interface")) {
      const interfaces: EndpointModel["interfaces"][number][] = [];
      for (const id of e.NetworkInterfaceIds ?? []) {
        const eni = read.networkInterfaces.find((n) => n.NetworkInterfaceId === id);
        const subnet = subnets.find((s) => s.id === eni?.SubnetId);
        if (!eni || !subnet) {
          problems.push(`endpoint ${e.VpcEndpointId}: its network interface ${id} is not described in a subnet of its VPC`);
          continue;
        }
        if (!contains(subnet.cidr, eni.PrivateIpAddress!)) {
          problems.push(`endpoint ${e.VpcEndpointId}: its network interface ${id} has the address ${eni.PrivateIpAddress}, outside its subnet ${subnet.id} (${subnet.cidr}); the twin cannot place it (moto without the launcher's endpoint-network-interfaces correction)`);
          continue;
        }
        interfaces.push({ subnetId: subnet.id, availabilityZone: subnet.availabilityZone, address: eni.PrivateIpAddress!, hostId: id });
        hosts.push({ id, kind: "endpoint", subnetId: subnet.id, vpcId: subnet.vpcId, address: eni.PrivateIpAddress!, securityGroups: (eni.Groups ?? []).map((g) => g.GroupId!), endpointId: e.VpcEndpointId, accountId, region });
      }
      endpoints.push({
        id: e.VpcEndpointId!,
        accountId,
        region,
        vpcId: e.VpcId!,
        serviceName: e.ServiceName!,
        privateDns: !!e.PrivateDnsEnabled,
        interfaces,
        dnsNames: (e.DnsEntries ?? []).map((d) => trimDot(d.DnsName!)),
        policy: parsePolicy(e.PolicyDocument),
      });
    }
    // Every other network interface (an instance's, one made with the SDK) is an address of its own too.
    const endpointInterfaces = new Set(read.endpoints.flatMap((e) => e.NetworkInterfaceIds ?? []));
    for (const eni of read.networkInterfaces.filter((n) => !endpointInterfaces.has(n.NetworkInterfaceId!))) {
      const subnet = subnets.find((s) => s.id === eni.SubnetId);
      if (!subnet || !eni.PrivateIpAddress) continue;
      if (!contains(subnet.cidr, eni.PrivateIpAddress)) {
        problems.push(`network interface ${eni.NetworkInterfaceId} has the address ${eni.PrivateIpAddress}, outside its subnet ${subnet.id} (${subnet.cidr})`);
        continue;
      }
      hosts.push({ id: eni.NetworkInterfaceId!, kind: "interface", subnetId: subnet.id, vpcId: subnet.vpcId, address: eni.PrivateIpAddress, securityGroups: (eni.Groups ?? []).map((g) => g.GroupId!), accountId, region });
    }
    for (const { zone, vpcs: associated, records } of read.hostedZones) {
      if (!zone.Config?.PrivateZone) continue;
      zones.set(zone.Id!, {
        id: zone.Id!,
        name: trimDot(zone.Name!),
        accountId,
        vpcIds: associated.map((v) => v.VPCId!),
        records: records.map((r) => ({
          name: trimDot(r.Name!).replace(/^\\052/, "*"),
          type: r.Type!,
          ttl: r.TTL ?? 60,
          values: (r.ResourceRecords ?? []).map((x) => x.Value!),
          alias: r.AliasTarget ? { dnsName: trimDot(r.AliasTarget.DNSName!), zoneId: r.AliasTarget.HostedZoneId! } : undefined,
        })),
      });
    }
    for (const { api, stages } of read.restApis) {
      apis.push({
        id: api.id!,
        accountId,
        region,
        name: api.name ?? "",
        types: api.endpointConfiguration?.types ?? [],
        vpcEndpointIds: api.endpointConfiguration?.vpcEndpointIds ?? [],
        stages: stages.map(({ stage, definition, problem }) => ({
          name: stage.stageName!,
          deploymentId: stage.deploymentId,
          routes: definition ? stageRoutes(definition) : undefined,
          policy: definition ? parsePolicy((definition as any)["x-amazon-apigateway-policy"]) : undefined,
          problem: problem ?? (definition && !(definition as any).paths ? "the stage's export has no paths" : undefined),
        })),
      });
    }
    for (const f of read.functions) {
      const subnetIds = f.VpcConfig?.SubnetIds ?? [];
      if (!subnetIds.length) continue;
      functions.push({ name: f.FunctionName!, accountId, region, subnetIds, securityGroups: f.VpcConfig?.SecurityGroupIds ?? [] });
    }
  }

  for (const table of reads.flatMap((r) => r.routeTables.map((t) => ({ t, r })))) {
    if (!vpcs.some((v) => v.id === table.t.VpcId)) continue;
    routeTables.push({ id: table.t.RouteTableId!, vpcId: table.t.VpcId!, routes: (table.t.Routes ?? []).filter((r) => r.DestinationCidrBlock).map((r) => ({ destination: r.DestinationCidrBlock!, target: routeTarget(r, table.t.VpcId!, peeringsById, vpcs) })) });
  }

  // Clients and functions, at the top of each subnet, clear of every interface address.
  const taken = new Set(hosts.map((h) => h.address));
  const nextFree = (subnet: SubnetModel): string | undefined => {
    const b = block(subnet.cidr);
    for (let n = b.base + b.size - 2; n >= b.base + 4; n--) {
      const address = nth(subnet.cidr, n - b.base);
      if (!taken.has(address)) {
        taken.add(address);
        return address;
      }
    }
    problems.push(`subnet ${subnet.id} (${subnet.cidr}) has no free address for the twin`);
    return undefined;
  };
  for (const subnet of subnets) {
    const vpc = vpcs.find((v) => v.id === subnet.vpcId)!;
    const address = nextFree(subnet);
    if (address) hosts.push({ id: `client:${subnet.id}`, kind: "client", subnetId: subnet.id, vpcId: subnet.vpcId, address, securityGroups: vpc.defaultSecurityGroup ? [vpc.defaultSecurityGroup] : [], accountId: subnet.accountId, region: subnet.region });
  }
  const placed = functions.map((f) => {
    const subnet = subnets.find((s) => s.id === f.subnetIds[0]);
    if (!subnet) {
      problems.push(`function ${f.name}: its subnet ${f.subnetIds[0]} is not in a VPC the twin read`);
      return f;
    }
    const address = nextFree(subnet);
    if (!address) return f;
    const id = `function:${f.accountId}:${f.region}:${f.name}`;
    hosts.push({ id, kind: "function", subnetId: subnet.id, vpcId: subnet.vpcId, address, securityGroups: f.securityGroups, functionName: f.name, accountId: f.accountId, region: f.region });
    return { ...f, hostId: id };
  });

  const sortBy = <T>(items: T[], key: (t: T) => string) => items.sort((x, y) => key(x).localeCompare(key(y)));
  return {
    vpcs: sortBy(vpcs, (v) => v.id),
    subnets: sortBy(subnets, (s) => `${s.vpcId}/${toNumber(s.cidr.split("/")[0]).toString().padStart(10, "0")}`),
    routeTables: sortBy(routeTables, (t) => t.id),
    networkAcls: sortBy(networkAcls, (a) => a.id),
    securityGroups: sortBy(securityGroups, (g) => g.id),
    peerings: sortBy([...peeringsById.values()], (p) => p.id),
    endpoints: sortBy(endpoints, (e) => e.id),
    zones: sortBy([...zones.values()], (z) => z.id),
    apis: sortBy(apis, (a) => a.id),
    functions: sortBy(placed, (f) => `${f.accountId}/${f.region}/${f.name}`),
    hosts: sortBy(hosts, (h) => h.id),
    problems,
  };
}

/** Where a route leads: `local`, an *active* peering whose other VPC the twin has, or a blackhole that says why. */
function routeTarget(route: any, vpcId: string, peerings: Map<string, PeeringModel>, vpcs: VpcModel[]): RouteTarget {
  if (route.GatewayId === "local") return { kind: "local" };
  if (route.VpcPeeringConnectionId) {
    const peering = peerings.get(route.VpcPeeringConnectionId);
    if (!peering) return { kind: "blackhole", why: `peering ${route.VpcPeeringConnectionId} no longer exists` };
    if (peering.status !== "active") return { kind: "blackhole", why: `peering ${peering.id} is ${peering.status}, not active` };
    const peerVpcId = peering.requester.vpcId === vpcId ? peering.accepter.vpcId : peering.requester.vpcId;
    if (!vpcs.some((v) => v.id === peerVpcId)) return { kind: "blackhole", why: `peering ${peering.id} leads to ${peerVpcId}, which is in no account the twin reads` };
    return { kind: "peering", peeringId: peering.id, peerVpcId };
  }
  const target = route.GatewayId ?? route.NatGatewayId ?? route.TransitGatewayId ?? route.NetworkInterfaceId ?? route.InstanceId ?? "an unknown target";
  return { kind: "blackhole", why: `${target} is not emulated by the twin` };
}

/** The peering connections that carry traffic: active, with both VPCs in the model. */
export function activeLinks(model: TwinModel): PeeringModel[] {
  const has = (id: string) => model.vpcs.some((v) => v.id === id);
  return model.peerings.filter((p) => p.status === "active" && has(p.requester.vpcId) && has(p.accepter.vpcId));
}
