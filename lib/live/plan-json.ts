/**
 * Reads what `npm run doctor` and `npm run drift` need from `terraform show -json`, of a plan (a
 * refresh-only or a normal plan of a deployed stack) or of a state (the stored results of the
 * last plan or apply): both carry a top-level `checks` array and the resources as Terraform last
 * read them, data sources of check blocks included; a plan also carries its resource changes and
 * what changed outside Terraform.
 */

/** The result of one check block. */
export interface CheckBlockResult {
  /** The check block's name (`peering_active`). */
  readonly name: string;
  /** `pass`, `fail`, `error` (its data source could not be read) or `unknown` (not evaluated yet). */
  readonly status: "pass" | "fail" | "error" | "unknown";
  /** The problems reported: the assertions' error messages, or the data source's error. */
  readonly problems: string[];
}

/** One access method as the canary last reported it (canary/index.js's result). */
export interface CanaryMethodResult {
  readonly method: string;
  readonly url: string;
  readonly ok: boolean;
  readonly status?: number;
  readonly ms: number;
  readonly error?: string;
}

/** The check blocks' results in a plan or state JSON document. */
export function checkBlockResults(json: any): CheckBlockResult[] {
  return (json?.checks ?? [])
    .filter((entry: any) => entry?.address?.kind === "check")
    .map((entry: any) => ({
      name: String(entry.address.name),
      status: (["pass", "fail", "error", "unknown"].includes(entry.status) ? entry.status : "unknown") as CheckBlockResult["status"],
      problems: (entry.instances ?? []).flatMap((instance: any) => (instance.problems ?? []).map((problem: any) => String(problem.message))),
    }));
}

/** The resources as Terraform last read them: a plan's prior state, or a state's values. */
export function liveResources(json: any): any[] {
  const root = json?.prior_state?.values?.root_module ?? json?.values?.root_module;
  const collect = (module: any): any[] => [...(module?.resources ?? []), ...(module?.child_modules ?? []).flatMap(collect)];
  return collect(root);
}

/** The canary's per-method results, as its check block last read them; undefined when there are none. */
export function canaryResults(json: any): CanaryMethodResult[] | undefined {
  const invocation = liveResources(json).find((r) => r.mode === "data" && r.type === "aws_lambda_invocation" && r.name === "canary");
  const result = invocation?.values?.result;
  if (typeof result !== "string") return undefined;
  try {
    const parsed = JSON.parse(result);
    return Array.isArray(parsed?.results) ? parsed.results : undefined;
  } catch {
    return undefined;
  }
}

/** A change a plan proposes to a managed resource. Data source reads are not changes: every plan reads check blocks' data sources again. */
export interface ProposedChange {
  /** `aws_route.peering_route-1["account-a"]`. */
  readonly address: string;
  /** Terraform's actions: `create`, `update`, `delete`, or `delete`+`create` (replace). */
  readonly actions: string[];
}

/** The managed-resource changes of a plan's JSON (`terraform show -json <plan>`). */
export function proposedChanges(plan: any): ProposedChange[] {
  return (plan?.resource_changes ?? [])
    .filter((c: any) => c.mode === "managed" && !(c.change?.actions ?? []).every((a: string) => a === "no-op"))
    .map((c: any) => ({ address: String(c.address), actions: c.change.actions.map(String) }));
}

export { apiLabel, apiOfAddress, DRIFT_NOISE, deployUndoes, describeDrift, driftOf, type Drift, type DriftedAttribute } from "./drift-of";
