/**
 * Reads what `npm run doctor` needs from `terraform show -json`, of a plan (a refresh-only plan
 * of a deployed stack) or of a state (the stored results of the last plan or apply, where remote
 * execution forbids `plan -out`): both carry a top-level `checks` array and the resources as
 * Terraform last read them, data sources of check blocks included.
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

/** Whether the document shows a deployed stack: any managed resource in its state. */
export function isDeployed(json: any): boolean {
  return liveResources(json).some((resource) => resource.mode === "managed");
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
