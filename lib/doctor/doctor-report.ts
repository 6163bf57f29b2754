import { CANARY_ERROR_HOPS, CHECKS, CheckId, CheckInfo } from "../checks";
import { ProjectModel, withLiveInstances } from "../preflight/model";
import { CheckResult, runPreflight } from "../preflight/run-preflight";
import { canaryResults, checkBlockResults, liveResources } from "./terraform-json";

/** A stack as the doctor read it: its model from synth, and `terraform show -json` of it live. */
export interface LiveStack {
  /** The stack id (`account-a`). */
  readonly stack: string;
  /** `terraform show -json` of a refresh-only plan, or of the state. */
  readonly json: any;
}

/**
 * The doctor's rows, in preflight's format and hop order: every preflight rule on the deployed
 * stacks (the synthesized configuration with the instances that exist), every check block's last
 * result, and each access method as the canary last reported it.
 */
export function doctorReport(synthesized: ProjectModel, consumer: LiveStack, accountB: LiveStack): CheckResult[] {
  const live: ProjectModel = {
    a: withLiveInstances(synthesized.a, liveResources(consumer.json)),
    b: withLiveInstances(synthesized.b, liveResources(accountB.json)),
  };
  const rows: CheckResult[] = [...runPreflight(live), ...checkRows(accountB), ...checkRows(consumer), ...canaryRows(consumer)];
  // Stable sort by hop: the path from A's subnets to the API, as preflight prints it.
  return rows.map((row, index) => ({ row, index })).sort((x, y) => x.row.hop.localeCompare(y.row.hop) || x.index - y.index).map(({ row }) => row);
}

/** One row per check block of the stack, with the hop and the fix of its kind. */
function checkRows({ stack, json }: LiveStack): CheckResult[] {
  return checkBlockResults(json).flatMap((check): CheckResult[] => {
    const info: CheckInfo | undefined = CHECKS[check.name as CheckId];
    if (!info) return [];
    const id = `${stack}:${check.name}`;
    switch (check.status) {
      case "pass":
        return [{ id, hop: info.hop, status: "pass", message: `${info.title}: holds`, fix: "" }];
      case "unknown":
        return [{ id, hop: info.hop, status: "pending", message: `${info.title}: not evaluated (changes of ${stack} are waiting to be applied)`, fix: "" }];
      default:
        return [{
          id,
          hop: info.hop,
          status: "fail",
          message: `${info.title}: ${check.status === "error" ? "could not be read: " : ""}${check.problems.join(" ") || "failed"}`,
          fix: info.fix,
        }];
    }
  });
}

/** One row per access method the canary last called. */
function canaryRows({ stack, json }: LiveStack): CheckResult[] {
  return (canaryResults(json) ?? []).map((result) => {
    const errorClass = result.error?.split(":")[0] ?? "";
    const hop = CANARY_ERROR_HOPS[errorClass];
    return {
      id: `${stack}:canary:${result.method}`,
      hop: CHECKS.canary_reaches_api.hop,
      status: result.ok ? ("pass" as const) : ("fail" as const),
      message: result.ok ? `${result.method}: ${result.url} answered ${result.status} in ${result.ms} ms` : `${result.method}: ${result.url}: ${result.error}`,
      fix: result.ok ? "" : `Look at ${hop ?? "the API"}.`,
    };
  });
}
