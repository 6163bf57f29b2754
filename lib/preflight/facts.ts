import { cidrContains, Ipv4Block, parseIpv4Cidr } from "../config/cidr";
import { Element, literal, ProjectModel, StackModel, StackName } from "./model";

/** A stack's VPC as configured: created by the stack, or an existing one it looks up. */
export interface VpcFacts {
  readonly element: Element;
  /** `${aws_vpc.x.id}` or `${data.aws_vpc.x.id}`: how the stack refers to the VPC. */
  readonly idRef: string;
  /** The VPC's IPv4 CIDR, when the configuration states it. */
  readonly cidr?: string;
  readonly existing: boolean;
}

/** The stack's VPC: its aws_vpc, or the data aws_vpc of an existing one. */
export function vpcOf(model: ProjectModel, stack: StackName): VpcFacts | undefined {
  const s = stackOf(model, stack);
  const created = s.all("aws_vpc")[0];
  if (created) return { element: created, idRef: `\${${created.address}.id}`, cidr: literal(model, stack, created.values.cidr_block), existing: false };
  const existing = s.all("data.aws_vpc")[0];
  if (!existing) return undefined;
  // The existing VPC's CIDR is stated in the plan-time check that it has it.
  const check = (existing.values.lifecycle?.postcondition ?? []).map((p: any) => String(p.condition)).join(" ");
  const cidr = /cidr_block, "([\d./]+)"/.exec(check)?.[1] ?? literal(model, stack, existing.values.cidr_block);
  return { element: existing, idRef: `\${${existing.address}.id}`, cidr, existing: true };
}

/** The model of one stack. */
export function stackOf(model: ProjectModel, stack: StackName): StackModel {
  return stack === "account-a" ? model.a : model.b;
}

/** B's execute-api interface endpoint: the one B's stack creates, or the existing one it reads (`data.aws_vpc_endpoint.<x>_existing`). */
export function endpointOf(model: ProjectModel): Element | undefined {
  return model.b.all("aws_vpc_endpoint").find((e) => String(e.values.service_name ?? "").endsWith(".execute-api")) ?? model.b.all("data.aws_vpc_endpoint").find((e) => e.address.endsWith("_existing"));
}

/** Whether B reaches the APIs through an existing endpoint (the VPC's own), whose policy and private DNS are its owner's. */
export function endpointIsExisting(endpoint: Element): boolean {
  return endpoint.address.startsWith("data.");
}

/** One API of B, as the rules see it. */
export interface ApiFacts {
  /** Its name in the configuration; undefined for the PetStore, whose rows keep the ids they always had. */
  readonly name?: string;
  /** Its REST API: the resource B creates, or the data source that reads an existing one. */
  readonly api: Element;
  readonly existing: boolean;
  /** How B's stack refers to its id: `${aws_api_gateway_rest_api.<x>.id}`, or the existing API's literal id. */
  readonly idRef: string;
  /** The resource policy B attaches, when it does. */
  readonly policy?: Element;
  readonly deployment?: Element;
  readonly stage?: Element;
  /** The construct prefix of its resources in the consumer's stack (its private hosted zone and record). */
  readonly dnsPrefix: string;
}

/** B's APIs: the PetStore (`rest-api_*`), or each of `apis` (`api-<name>_*`). */
export function apisOf(model: ProjectModel): ApiFacts[] {
  const prefixOf = (element: Element) => /^(?:data\.)?[\w]+\.([\w-]+?)_[\w-]+$/.exec(element.address)?.[1] ?? "";
  const inside = (type: string, prefix: string) => model.b.all(type).find((e) => prefixOf(e) === prefix);
  const created = model.b.all("aws_api_gateway_rest_api");
  const existing = model.b.all("data.aws_api_gateway_rest_api");
  return [...created, ...existing].map((api): ApiFacts => {
    const prefix = prefixOf(api);
    const name = prefix === "rest-api" ? undefined : prefix.replace(/^api-/, "");
    const isExisting = api.address.startsWith("data.");
    // An existing API's id is the one its stage's definition is exported from.
    const exported = isExisting ? inside("data.aws_api_gateway_export", prefix) : undefined;
    return {
      name,
      api,
      existing: isExisting,
      idRef: isExisting ? String(exported?.values.rest_api_id ?? "") : `\${${api.address}.id}`,
      policy: inside("aws_api_gateway_rest_api_policy", prefix),
      deployment: inside("aws_api_gateway_deployment", prefix),
      stage: inside("aws_api_gateway_stage", prefix),
      dnsPrefix: name === undefined ? "api-dns" : `api-dns-${name}`,
    };
  });
}

/** B's first REST API (the PetStore, or the first of `apis`). */
export function restApiOf(model: ProjectModel): Element | undefined {
  return apisOf(model)[0]?.api;
}

/** The consumer's private hosted zone for an API, and its record. */
export function zoneOf(model: ProjectModel, api: ApiFacts): { zone?: Element; record?: Element } {
  const zone = model.a.all("aws_route53_zone").find((z) => z.address === `aws_route53_zone.${api.dnsPrefix}_zone`);
  const record = model.a.all("aws_route53_record").find((r) => r.address === `aws_route53_record.${api.dnsPrefix}_alias`);
  return { zone, record };
}

/** A's peering request. */
export function peeringRequestOf(model: ProjectModel): Element | undefined {
  return model.a.all("aws_vpc_peering_connection")[0];
}

/** Route tables of a stack whose subnets must route to the peer: created ones, or the routes' own. */
export function routeTableRefsOf(model: ProjectModel, stack: StackName): string[] {
  const s = stackOf(model, stack);
  const created = s.all("aws_route_table").map((t) => `\${${t.address}.id}`);
  const routed = s.all("aws_route").map((r) => String(r.values.route_table_id));
  return [...new Set([...created, ...routed])];
}

/** The route table a configured subnet of an existing VPC uses, as the stack's plan-time look-up found it. */
export interface SubnetRouteTable {
  readonly subnetId: string;
  /** The table's id; undefined when nothing was read yet (synthesized stacks). */
  readonly routeTableId?: string;
  /** True when the subnet has no association of its own and uses the VPC's main table. */
  readonly main: boolean;
}

/**
 * The route table each configured subnet of an existing VPC uses, from the stack's look-ups
 * (`data.aws_route_tables` by `association.subnet-id`, else the one by `association.main`) as a
 * plan or the live state read them. Empty for a VPC the stack creates (it associates its subnets).
 */
export function subnetRouteTablesOf(model: ProjectModel, stack: StackName): SubnetRouteTable[] {
  const lookups = stackOf(model, stack).all("data.aws_route_tables");
  const filterOf = (element: Element, name: string): string[] | undefined =>
    (element.values.filter ?? []).find((f: any) => f?.name === name)?.values;
  const found = (element: Element | undefined): string | undefined => {
    const ids = element?.instances?.[0]?.ids;
    return Array.isArray(ids) && typeof ids[0] === "string" ? ids[0] : undefined;
  };
  const main = found(lookups.find((e) => filterOf(e, "association.main")));
  return lookups.flatMap((element) => {
    const subnetId = filterOf(element, "association.subnet-id")?.[0];
    if (!subnetId) return [];
    const own = found(element);
    const read = (element.instances?.length ?? 0) > 0;
    return [{ subnetId, routeTableId: own ?? (read ? main : undefined), main: read && !own }];
  });
}

/** `subnet-1 uses rtb-9 (the VPC's main route table)`, for each subnet whose table is not one of `tables`. */
export function subnetsOffTables(subnets: SubnetRouteTable[], tables: string[]): string[] {
  return subnets
    .filter((s) => s.routeTableId !== undefined && !tables.includes(s.routeTableId))
    .map((s) => `${s.subnetId} uses ${s.routeTableId}${s.main ? " (the VPC's main route table)" : ""}`);
}

/** What is known of the subnets' own tables: the tables read, or that the plan reads them. */
export function subnetNote(subnets: SubnetRouteTable[], kind: string): string {
  if (subnets.length === 0) return "";
  const read = subnets.filter((s) => s.routeTableId);
  if (read.length === 0) return `; the table each ${kind} subnet uses is checked when planning`;
  return `; the ${kind} subnets use ${read.map((s) => `${s.routeTableId}${s.main ? " (main)" : ""} (${s.subnetId})`).join(", ")}`;
}

/** Whether the element's lifecycle postconditions mention `text` (plan-time checks of existing VPCs). */
export function postconditionMentions(element: Element, text: string): boolean {
  return (element.values.lifecycle?.postcondition ?? []).some((p: any) => String(p.condition).includes(text));
}

/**
 * What B's stack expects of consumer A: A's entry in the local that B's routes read their
 * destination from (`${local.<requesters>[each.key].cidr}`, keyed by A's stack id). Synthesized
 * stacks only: plan JSON carries no locals.
 */
export function requesterEntryOf(model: ProjectModel): Record<string, unknown> | undefined {
  const local = model.b.all("aws_route").map((route) => /^\$\{local\.([\w-]+)\[each\.key\]\.cidr\}$/.exec(String(route.values.destination_cidr_block))?.[1]).find(Boolean);
  const requesters = local ? (model.b.locals[local] as Record<string, Record<string, unknown>> | undefined) : undefined;
  return requesters?.[model.a.name];
}

/** The planned instances of `element` for consumer A (keyed by its stack id). */
export function instancesForA(model: ProjectModel, element: Element): Record<string, any>[] {
  return (element.instances ?? []).filter((_, i) => element.instanceKeys?.[i] === model.a.name);
}

/** Which part of A's CIDR a list of admitted ranges covers. */
export interface AdmittedPart {
  /** Every address of A's CIDR is admitted. */
  readonly whole: boolean;
  /** The admitted ranges inside A's CIDR (when not whole), or A's CIDR itself (when whole). */
  readonly ranges: string[];
}

/** The part of `cidrA` that `admitted` covers: whole, some ranges inside it, or nothing. */
export function admittedPart(cidrA: string, admitted: string[]): AdmittedPart {
  const blockA = parseIpv4Cidr(cidrA)!;
  const blocks = admitted.map((range) => ({ range, block: parseIpv4Cidr(range) })).filter((r): r is { range: string; block: Ipv4Block } => r.block !== undefined);
  if (blocks.some((r) => cidrContains(r.block, blockA))) return { whole: true, ranges: [cidrA] };
  return { whole: false, ranges: blocks.filter((r) => cidrContains(blockA, r.block)).map((r) => r.range) };
}

/**
 * The CIDRs of the subnets the consumer's canary runs in, when the synthesized stack states them
 * (subnets it creates); undefined when it has no canary or runs it in subnets it does not describe.
 */
export function canarySubnetCidrs(model: ProjectModel): string[] | undefined {
  const canary = model.a.all("aws_lambda_function")[0];
  const subnets: unknown[] = canary?.values.vpc_config?.[0]?.subnet_ids ?? canary?.values.vpc_config?.subnet_ids ?? [];
  if (!canary || !Array.isArray(subnets) || subnets.length === 0) return undefined;
  const cidrs = subnets.map((ref) => {
    const address = /^\$\{(aws_subnet\.[\w-]+)\.id\}$/.exec(String(ref))?.[1];
    return address ? literal(model, "account-a", model.a.at(address)?.values.cidr_block) : undefined;
  });
  return cidrs.every((c): c is string => c !== undefined) ? cidrs : undefined;
}

/** The canary subnets outside the admitted part of A (their calls are denied: the canary's checks would always fail). */
export function canaryOutside(model: ProjectModel, admitted: string[]): string[] {
  const subnets = canarySubnetCidrs(model) ?? [];
  const blocks = admitted.map(parseIpv4Cidr).filter((b): b is Ipv4Block => b !== undefined);
  return subnets.filter((subnet) => !blocks.some((block) => cidrContains(block, parseIpv4Cidr(subnet)!)));
}
