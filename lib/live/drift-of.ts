/**
 * What changed outside Terraform, from a plan's JSON (`resource_drift`, and the refreshed resources
 * of its prior state): every attribute of a managed resource that the refresh found different
 * from the state, whether the configuration sets it or not, but for
 *
 * - attributes that other resources of the stacks own: a security group's rules (owned by its
 *   `aws_vpc_security_group_*_rule` resources), a route table's routes (its `aws_route`s), a
 *   role's inline and managed policies (its `aws_iam_role_policy` and attachments), an
 *   endpoint's or an API's policy (their policy resources). Those are compared with what the
 *   owners hold: an entry no owner accounts for is drift, named with the command that removes it
 *   (a deploy does not remove what the stack does not own); an owner changed or deleted shows as
 *   the owner's own drift;
 * - known noise, named below with the reason, attribute by attribute;
 * - a value read back in another form (null for an empty map or list, and back).
 */

/** One attribute changed outside Terraform. */
export interface DriftedAttribute {
  readonly name: string;
  readonly before: unknown;
  readonly after: unknown;
  /** What it is, for an entry added to a rule or route list: `rule added: tcp 443 from 0.0.0.0/0`. */
  readonly summary?: string;
  /** How to undo it when a deploy does not (an entry the stack does not own). */
  readonly fix?: string;
}

/** A resource that changed outside Terraform: what the last refresh found differs from the state. */
export interface Drift {
  readonly address: string;
  /** The resource type, `aws_route`. */
  readonly type: string;
  readonly change: "deleted" | "changed";
  /** The attributes that differ (none for a deleted resource). */
  readonly attributes: DriftedAttribute[];
}

/**
 * Attributes that change outside Terraform by design, by resource type: not drift. Every entry
 * says why; a new one is added only with the emulated suite's evidence (a plan after a clean
 * rollout that shows it).
 */
export const DRIFT_NOISE: Record<string, Record<string, string>> = {
  aws_vpc_peering_connection: {
    accept_status: "the requester's view of the acceptance: it becomes active when account B accepts",
    accepter: "peering options the accepter's account sets, once it has accepted",
    requester: "peering options, read back once the connection is active",
  },
  aws_vpc_peering_connection_accepter: {
    accept_status: "the connection's status, read back after the acceptance",
    accepter: "peering options, read back once the connection is active",
    requester: "peering options, read back once the connection is active",
  },
};

/** A list attribute (a group's rules, a table's routes) whose entries other resources of the stacks own. */
interface OwnedList {
  /** The owning resource type. */
  readonly owner: string;
  /** What of `entry` (of `resource`, its refreshed values) no owner's instance accounts for: each in words, with the command that removes it. */
  readonly unowned: (entry: any, resource: Record<string, any>, owners: Record<string, any>[]) => { summary: string; fix: string }[];
}

const protocolOf = (p: unknown) => (p === "-1" || p === "all" ? "-1" : String(p).toLowerCase() === "6" ? "tcp" : String(p).toLowerCase());
const portsOf = (from: unknown, to: unknown) => (from === to ? `${from}` : `${from}-${to}`);

/** A security group's rules: each source of an entry (a CIDR, a prefix list, a group) is one owned rule resource. */
function ownedRules(direction: "ingress" | "egress"): OwnedList {
  const word = direction === "ingress" ? "from" : "to";
  return {
    owner: `aws_vpc_security_group_${direction}_rule`,
    unowned: (entry, group, owners) => {
      const protocol = protocolOf(entry.protocol);
      const sources = [
        ...(entry.cidr_blocks ?? []).map((value: string) => ({ key: "cidr_ipv4", flag: "--cidr", value })),
        ...(entry.ipv6_cidr_blocks ?? []).map((value: string) => ({ key: "cidr_ipv6", flag: "--ip-permissions Ipv6Ranges=[{CidrIpv6=", value })),
        ...(entry.prefix_list_ids ?? []).map((value: string) => ({ key: "prefix_list_id", flag: "--ip-permissions PrefixListIds=[{PrefixListId=", value })),
        ...(entry.security_groups ?? []).map((value: string) => ({ key: "referenced_security_group_id", flag: "--source-group", value })),
      ];
      return sources
        .filter((source) => !owners.some((rule) =>
          rule.security_group_id === group.id &&
          rule[source.key] === source.value &&
          protocolOf(rule.ip_protocol) === protocol &&
          (protocol === "-1" || (Number(rule.from_port) === Number(entry.from_port) && Number(rule.to_port) === Number(entry.to_port)))))
        .map((source) => ({
          summary: `${direction} rule added: ${protocol === "-1" ? "all traffic" : `${protocol} ${portsOf(entry.from_port, entry.to_port)}`} ${word} ${source.value}`,
          fix: source.flag.endsWith("=")
            ? `aws ec2 revoke-security-group-${direction} --group-id ${group.id} (the rule of ${source.value}; see aws ec2 describe-security-group-rules --filters Name=group-id,Values=${group.id})`
            : `aws ec2 revoke-security-group-${direction} --group-id ${group.id} --protocol ${protocol === "-1" ? "all" : `${protocol} --port ${portsOf(entry.from_port, entry.to_port)}`} ${source.flag} ${source.value}`,
        }));
    },
  };
}

const ROUTE_TARGETS = ["gateway_id", "nat_gateway_id", "vpc_peering_connection_id", "transit_gateway_id", "network_interface_id", "vpc_endpoint_id", "egress_only_gateway_id", "local_gateway_id", "carrier_gateway_id", "core_network_arn"];

/** A route table's routes: each is one owned `aws_route` (same table, same destination). */
const OWNED_ROUTES: OwnedList = {
  owner: "aws_route",
  unowned: (entry, table, owners) => {
    const destination = entry.cidr_block || entry.ipv6_cidr_block || entry.destination_prefix_list_id || "";
    if (owners.some((route) => route.route_table_id === table.id && (route.destination_cidr_block || route.destination_ipv6_cidr_block || route.destination_prefix_list_id) === destination)) return [];
    const target = ROUTE_TARGETS.map((key) => entry[key]).find((value) => value) ?? "(no target)";
    const flag = entry.ipv6_cidr_block ? "--destination-ipv6-cidr-block" : entry.destination_prefix_list_id ? "--destination-prefix-list-id" : "--destination-cidr-block";
    return [{ summary: `route added: ${destination} -> ${target}`, fix: `aws ec2 delete-route --route-table-id ${table.id} ${flag} ${destination}` }];
  },
};

/** A role's inline policies: each is one owned `aws_iam_role_policy` (same role, same name). */
const OWNED_INLINE_POLICIES: OwnedList = {
  owner: "aws_iam_role_policy",
  unowned: (entry, role, owners) =>
    !entry?.name || owners.some((policy) => policy.role === role.id && policy.name === entry.name)
      ? []
      : [{ summary: `inline policy added: ${entry.name}`, fix: `aws iam delete-role-policy --role-name ${role.id} --policy-name ${entry.name}` }],
};

/** A role's managed policies: each is one owned `aws_iam_role_policy_attachment`. */
const OWNED_MANAGED_POLICIES: OwnedList = {
  owner: "aws_iam_role_policy_attachment",
  unowned: (arn, role, owners) =>
    owners.some((attachment) => attachment.role === role.id && attachment.policy_arn === arn)
      ? []
      : [{ summary: `managed policy attached: ${arn}`, fix: `aws iam detach-role-policy --role-name ${role.id} --policy-arn ${arn}` }],
};

/**
 * Attributes another resource type owns, by resource type and attribute: lists compared entry by
 * entry; a policy, which its policy resource holds (whose own refresh shows when it changed).
 */
const OWNED: Record<string, Record<string, OwnedList | { readonly owner: string; readonly by: string }>> = {
  aws_security_group: { ingress: ownedRules("ingress"), egress: ownedRules("egress") },
  aws_route_table: { route: OWNED_ROUTES },
  aws_iam_role: { inline_policy: OWNED_INLINE_POLICIES, managed_policy_arns: OWNED_MANAGED_POLICIES },
  aws_vpc_endpoint: { policy: { owner: "aws_vpc_endpoint_policy", by: "vpc_endpoint_id" } },
  aws_api_gateway_rest_api: { policy: { owner: "aws_api_gateway_rest_api_policy", by: "rest_api_id" } },
};

/** The plan's resources as its refresh read them (its prior state), child modules included. */
function refreshed(plan: any): any[] {
  const collect = (module: any): any[] => [...(module?.resources ?? []), ...(module?.child_modules ?? []).flatMap(collect)];
  return collect(plan?.prior_state?.values?.root_module).filter((r) => r.mode === "managed");
}

/** The resources of a plan's JSON that changed outside Terraform (see the file's comment). */
export function driftOf(plan: any): Drift[] {
  const live = refreshed(plan);
  const ownersOf = (type: string) => live.filter((r) => r.type === type).map((r) => r.values ?? {});
  return (plan?.resource_drift ?? [])
    .filter((d: any) => d.mode === "managed")
    .flatMap((d: any): Drift[] => {
      const address = String(d.address);
      const type = String(d.type);
      const before = d.change?.before ?? {};
      const after = d.change?.after;
      if (after === null || (d.change?.actions ?? []).includes("delete")) return [{ address, type, change: "deleted", attributes: [] }];
      const noise = DRIFT_NOISE[type] ?? {};
      const attributes = [...new Set([...Object.keys(before), ...Object.keys(after ?? {})])]
        .filter((name) => !(name in noise) && !sameValue(before[name], after?.[name]))
        .sort()
        .flatMap((name): DriftedAttribute[] => {
          const owned = OWNED[type]?.[name];
          if (!owned) return [{ name, before: before[name], after: after?.[name] }];
          const owners = ownersOf(owned.owner);
          if ("by" in owned) return owners.some((o) => o[owned.by] === after?.id) ? [] : [{ name, before: before[name], after: after?.[name] }];
          return (after?.[name] ?? []).flatMap((entry: any) => owned.unowned(entry, after, owners).map((described) => ({ name, before: undefined, after: entry, ...described })));
        });
      return attributes.length ? [{ address, type, change: "changed", attributes }] : [];
    });
}

/** Equal, with null, "", {} and [] all read as "nothing". */
export function sameValue(x: unknown, y: unknown): boolean {
  const empty = (v: unknown) => v === null || v === undefined || v === "" || (Array.isArray(v) && v.length === 0) || (typeof v === "object" && v !== null && Object.keys(v).length === 0);
  if (empty(x) && empty(y)) return true;
  if (Array.isArray(x) && Array.isArray(y)) return x.length === y.length && x.every((v, i) => sameValue(v, y[i]));
  if (x && y && typeof x === "object" && typeof y === "object" && !Array.isArray(x) && !Array.isArray(y)) {
    const keys = new Set([...Object.keys(x), ...Object.keys(y)]);
    return [...keys].every((k) => sameValue((x as any)[k], (y as any)[k]));
  }
  return x === y;
}

/**
 * The API a resource address belongs to, by the stacks' construct names: `api-<name>_*` in account
 * B, `api-dns-<name>_*` (its private hosted zone) in a consumer; none for the PetStore's.
 */
export function apiOfAddress(address: string): string | undefined {
  // The PetStore's zone in a consumer is api-dns_*: no API name.
  if (/\.api-dns_(?:zone|alias)\b/.test(address)) return undefined;
  return /\.api-dns-([a-z0-9-]+?)_(?:zone|alias)\b/.exec(address)?.[1] ?? /^(?:data\.)?\w+\.api-([a-z0-9-]+?)_[\w-]+/.exec(address)?.[1];
}

/** ` (API <name>)` for a resource of one of the APIs, else nothing. */
export function apiLabel(address: string): string {
  const api = apiOfAddress(address);
  return api ? ` (API ${api})` : "";
}

/** One line for a drifted resource: what changed, values shortened, and how to undo what a deploy does not. */
export function describeDrift(drift: Drift): string {
  if (drift.change === "deleted") return `${drift.address}${apiLabel(drift.address)} was deleted outside Terraform`;
  const short = (v: unknown) => {
    const text = JSON.stringify(v ?? null);
    return text.length > 80 ? `${text.slice(0, 77)}...` : text;
  };
  const describe = (a: DriftedAttribute) =>
    a.summary ? `${a.summary} (remove it: ${a.fix}; a deploy does not remove ${OWNED_WORDS[a.name] ?? "what"} this stack does not own)` : `${a.name} ${short(a.before)} -> ${short(a.after)}`;
  return `${drift.address}${apiLabel(drift.address)} was changed outside Terraform: ${drift.attributes.map(describe).join("; ")}`;
}

/** What the entries of an owned list are, in a fix's words. */
const OWNED_WORDS: Record<string, string> = { route: "routes", ingress: "rules", egress: "rules", inline_policy: "inline policies", managed_policy_arns: "policy attachments" };

/** Whether a deploy of the stack puts the drift back (false for entries the stack does not own). */
export function deployUndoes(drift: Drift): boolean {
  return drift.attributes.every((a) => !a.fix);
}
