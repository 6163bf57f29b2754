import { CANARY_ERROR_HOPS, CHECKS, CheckId, CheckInfo } from "../checks";
import { cidrsOverlap, parseIpv4Cidr } from "../config/cidr";
import { vpcOf } from "../preflight/facts";
import { canaryResults, checkBlockResults, deployUndoes, describeDrift, Drift, driftOf, liveResources } from "../live/plan-json";
import { ProjectModel, withLiveInstances } from "../preflight/model";
import { CheckResult, runPreflight } from "../preflight/run-preflight";
import { NETWORK_ACL_HOPS } from "./network-acl-hop";

/** A stack as the doctor read it: its model from synth, and `terraform show -json` of it live. */
export interface LiveStack {
  /** The stack id (`account-a`). */
  readonly stack: string;
  /** `terraform show -json` of a refresh-only plan, or of the state. */
  readonly json: any;
}

/** The hop of the path each kind of resource serves, in a consumer's stack and in account B's. */
const HOPS: Record<"consumer" | "account-b", Record<string, string>> = {
  consumer: {
    aws_vpc: "1 A: client VPC",
    aws_subnet: "1 A: client VPC",
    aws_route_table: "1 A: client VPC",
    aws_route_table_association: "1 A: client VPC",
    aws_route: "2 A: routes",
    aws_vpc_peering_connection: "3 Peering",
    aws_route53_zone: "5 A: private DNS",
    aws_route53_record: "5 A: private DNS",
  },
  "account-b": {
    aws_vpc_peering_connection_accepter: "3 Peering",
    aws_route: "4 B: routes",
    aws_route_table: "4 B: routes",
    aws_route_table_association: "4 B: routes",
    aws_vpc: "6 B: endpoint",
    aws_subnet: "6 B: endpoint",
    aws_vpc_endpoint: "6 B: endpoint",
    aws_vpc_endpoint_policy: "6 B: endpoint",
    aws_security_group: "6 B: endpoint",
    aws_vpc_security_group_ingress_rule: "6 B: endpoint",
  },
};

/** The hop a resource of `stack` serves: the canary's are end to end, the API's at the API. */
function hopOf(stack: string, type: string): string {
  if (stack === "account-b") return HOPS["account-b"][type] ?? "7 B: API";
  return HOPS.consumer[type] ?? CHECKS.canary_reaches_api.hop;
}

/**
 * The doctor's rows, in preflight's format and hop order: every preflight rule on the deployed
 * stacks (the synthesized configuration with the instances that exist), each resource changed
 * outside Terraform as a failure of its hop, every check block's last result, each access
 * method as the canary last reported it, and `more` (rows read outside Terraform: the network
 * ACLs, see ./network-acl-hop.ts) at their hops.
 */
export function doctorReport(synthesized: ProjectModel, consumer: LiveStack, accountB: LiveStack, more: CheckResult[] = []): CheckResult[] {
  const live: ProjectModel = {
    a: withLiveInstances(synthesized.a, liveResources(consumer.json)),
    b: withLiveInstances(synthesized.b, liveResources(accountB.json)),
  };
  const drift = [...driftRows(consumer, consumer.stack), ...driftRows(accountB, consumer.stack, vpcOf(live, "account-a")?.cidr)];
  const ambiguous = ambiguousRequests(accountB.json)[consumer.stack];
  const rules = runPreflight(live).flatMap((row): CheckResult[] => {
    if (ambiguous && (row.id === "peering-accepted" || row.id === "b-route-to-a")) return [unaccepted(row, consumer.stack, ambiguous)];
    // What drift explains is not waiting for a deploy: its rows say what changed.
    if (row.status === "pending" && drift.some((d) => d.hop === row.hop)) return [];
    return [row.status === "fail" ? deployFirst(row, drift) : row];
  });
  const rows: CheckResult[] = [...rules, ...drift, ...checkRows(accountB, consumer.stack), ...checkRows(consumer, consumer.stack), ...canaryRows(consumer), ...more];
  // Stable sort by hop: the path from A's subnets to the API, as preflight prints it.
  return rows.map((row, index) => ({ row, index })).sort((x, y) => x.row.hop.localeCompare(y.row.hop) || x.index - y.index).map(({ row }) => row);
}

/** A failing row for a consumer that B left unaccepted because its account has several requests into B's VPC. */
function unaccepted(row: CheckResult, consumer: string, requests: string[]): CheckResult {
  const why = `account B cannot tell ${consumer}'s peering request from the others of its account and region into B's VPC (${requests.join(", ")}), so it accepts none of them`;
  return {
    ...row,
    status: "fail",
    message: row.id === "peering-accepted" ? `${row.message.split(":")[0]}: ${why}.` : `${row.message.split(":")[0]}: B routes nothing to ${consumer}: ${why}.`,
    fix: CHECKS.peering_unambiguous.fix,
  };
}

/** B's `ambiguous_peering_requests` output: the requests of each consumer left unaccepted. */
function ambiguousRequests(json: any): Record<string, string[]> {
  const outputs = json?.planned_values?.outputs ?? json?.values?.outputs ?? {};
  const value = outputs.ambiguous_peering_requests?.value;
  return value && typeof value === "object" ? value : {};
}

/**
 * A failing rule on a hop where something the deploy puts back was changed outside Terraform:
 * the rule reads the deployed resources, so it may fail because of that change (a rule revoked by
 * hand is "no rule admits A", whose own fix, a configuration change, would be wrong). The hop, not
 * the resource type, decides: a change on the hop may be why (the wording says "may").
 * Deploying comes first; the rule's own fix only if it still fails after.
 */
function deployFirst(row: CheckResult, drift: CheckResult[]): CheckResult {
  const undone = drift.filter((d) => d.hop === row.hop && d.fix.startsWith("Deploy "));
  if (!undone.length) return row;
  const stacks = [...new Set(undone.map((d) => d.id.split(":")[0]))];
  const what = undone.map((d) => d.id.split(":drift:")[1]).join(", ");
  return { ...row, fix: `Deploy ${stacks.join(" and ")} first: ${what} changed outside Terraform on this hop (see its row), which this check may be failing for. If it still fails after the deploy: ${row.fix}` };
}

/** The key of one of B's resources kept per something (`aws_route.x["account-a"]` -> `account-a`), if it has one. */
const keyOf = (address: string) => /\["([^"]+)"\]$/.exec(address)?.[1];

/** The stack a key of B's resources names (`["account-a"]`, `["consumer-orders"]`), if it names one. */
function consumerKey(address: string): string | undefined {
  const key = keyOf(address);
  return key && (key === "account-a" || key.startsWith("consumer-")) ? key : undefined;
}

/** The CIDR a key of B's resources names (`["10.0.0.0/16"]`: an allowed source range), if it names one. */
function cidrKey(address: string) {
  const key = keyOf(address);
  return key ? parseIpv4Cidr(key) : undefined;
}

/**
 * One failing row per resource of `stack` changed or deleted outside Terraform. Account B's
 * resources kept per consumer (`["<stack id>"]`) are shown in that consumer's report only, those
 * kept per source range (`["10.0.0.0/16"]`) in the reports of consumers whose VPC CIDR
 * (`consumerCidr`, when known) shares addresses with it; those keyed otherwise (by API) in every
 * consumer's.
 */
function driftRows({ stack, json }: LiveStack, consumer: string, consumerCidr?: string): CheckResult[] {
  const consumerBlock = consumerCidr ? parseIpv4Cidr(consumerCidr) : undefined;
  const onThisPath = (address: string) => {
    const key = consumerKey(address);
    if (key) return key === consumer;
    const range = cidrKey(address);
    return !range || !consumerBlock || cidrsOverlap(range, consumerBlock);
  };
  return driftOf(json)
    .filter((d: Drift) => stack !== "account-b" || onThisPath(d.address))
    .map((d) => ({
      id: `${stack}:drift:${d.address}`,
      hop: hopOf(stack, d.type),
      status: "fail" as const,
      message: `${describeDrift(d)} (a refresh-only plan of ${stack} shows it)`,
      fix: deployUndoes(d)
        ? `Deploy ${stack} to put it back as configured (npm run deploy deploys every stack); if the change was meant, make it in the configuration instead.`
        : `Remove what was added by hand: ${d.attributes.filter((a) => a.fix).map((a) => a.fix).join("; ")}. A deploy does not remove it: ${stack} does not own it.`,
    }));
}

/**
 * One row per check block of the stack, with the hop and the fix of its kind. A failing account-b
 * check about some consumers is shown in the reports of the consumers it names only.
 */
function checkRows({ stack, json }: LiveStack, consumer: string): CheckResult[] {
  return checkBlockResults(json).flatMap((check): CheckResult[] => {
    const info: CheckInfo | undefined = CHECKS[check.name as CheckId];
    if (!info) return [];
    const id = `${stack}:${check.name}`;
    switch (check.status) {
      case "pass":
        return [{ id, hop: info.hop, status: "pass", message: `${info.title}: holds`, fix: "" }];
      case "unknown":
        return [{ id, hop: info.hop, status: "pending", message: `${info.title}: not evaluated (changes of ${stack} are waiting to be applied)`, fix: "" }];
      default: {
        const problems = check.problems.join(" ");
        if (info.namesConsumers && !new RegExp(`(^|[^\\w-])${consumer}([^\\w-]|$)`).test(problems)) {
          return [{ id, hop: info.hop, status: "pass", message: `${info.title}: holds for ${consumer} (it fails for another consumer)`, fix: "" }];
        }
        return [{
          id,
          hop: info.hop,
          status: "fail",
          message: `${info.title}: ${check.status === "error" ? "could not be read: " : ""}${problems || "failed"}`,
          fix: info.fix,
        }];
      }
    }
  });
}

/** One row per access method the canary last called; one row saying so when a workspace turned its check off. */
function canaryRows({ stack, json }: LiveStack): CheckResult[] {
  const turnedOff = json?.variables?.canary_check?.value === false;
  if (turnedOff) {
    return [{
      id: `${stack}:canary_check`,
      hop: CHECKS.canary_reaches_api.hop,
      status: "pending",
      message: `the canary's check is turned off in ${stack} (canary_check = false): no plan invokes it, so this path is not tested end to end`,
      fix: "",
    }];
  }
  return (canaryResults(json) ?? []).map((result) => {
    const errorClass = result.error?.split(":")[0] ?? "";
    const hop = CANARY_ERROR_HOPS[errorClass];
    return {
      id: `${stack}:canary:${result.method}`,
      hop: CHECKS.canary_reaches_api.hop,
      status: result.ok ? ("pass" as const) : ("fail" as const),
      message: result.ok ? `${result.method}: ${result.url} answered ${result.status} in ${result.ms} ms` : `${result.method}: ${result.url}: ${result.error}`,
      // A call that never connects may also be dropped by a network ACL: the doctor checks those at their own hops.
      fix: result.ok ? "" : `Look at ${hop ?? "the API"}${errorClass === "connect" || errorClass === "timeout" ? `, and the network ACLs (${NETWORK_ACL_HOPS.consumer}, ${NETWORK_ACL_HOPS["account-b"]})` : ""}.`,
    };
  });
}
