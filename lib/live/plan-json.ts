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

/** One attribute changed outside Terraform. */
export interface DriftedAttribute {
  readonly name: string;
  readonly before: unknown;
  readonly after: unknown;
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
 * The resources of a plan's JSON that changed outside Terraform (`resource_drift`): deleted, or
 * with an argument the configuration sets now different. Attributes AWS computes (a route table's
 * inline routes once routes are added, a request's accept status once accepted) change by design
 * and are not drift; nor is a value read back in another form (null for an empty map or list, and
 * back: the provider stores some attributes one way on create and the other way once refreshed).
 */
export function driftOf(plan: any): Drift[] {
  const configured = new Map<string, Set<string>>(
    (plan?.configuration?.root_module?.resources ?? []).map((r: any) => [String(r.address), new Set(Object.keys(r.expressions ?? {}))]),
  );
  return (plan?.resource_drift ?? [])
    .filter((d: any) => d.mode === "managed")
    .flatMap((d: any): Drift[] => {
      const before = d.change?.before ?? {};
      const after = d.change?.after;
      if (after === null || (d.change?.actions ?? []).includes("delete")) return [{ address: String(d.address), type: String(d.type), change: "deleted", attributes: [] }];
      const set = configured.get(String(d.address).replace(/\[[^\]]*\]$/, ""));
      const attributes = [...new Set([...Object.keys(before), ...Object.keys(after ?? {})])]
        .filter((name) => (!set || set.has(name)) && !sameValue(before[name], after?.[name]))
        .sort()
        .map((name) => ({ name, before: before[name], after: after?.[name] }));
      return attributes.length ? [{ address: String(d.address), type: String(d.type), change: "changed", attributes }] : [];
    });
}

/** Equal, with null, "", {} and [] all read as "nothing". */
function sameValue(x: unknown, y: unknown): boolean {
  const empty = (v: unknown) => v === null || v === undefined || v === "" || (Array.isArray(v) && v.length === 0) || (typeof v === "object" && v !== null && Object.keys(v).length === 0);
  if (empty(x) && empty(y)) return true;
  if (Array.isArray(x) && Array.isArray(y)) return x.length === y.length && x.every((v, i) => sameValue(v, y[i]));
  if (x && y && typeof x === "object" && typeof y === "object" && !Array.isArray(x) && !Array.isArray(y)) {
    const keys = new Set([...Object.keys(x), ...Object.keys(y)]);
    return [...keys].every((k) => sameValue((x as any)[k], (y as any)[k]));
  }
  return x === y;
}

/** One line for a drifted resource: what changed, values shortened. */
export function describeDrift(drift: Drift): string {
  if (drift.change === "deleted") return `${drift.address} was deleted outside Terraform`;
  const short = (v: unknown) => {
    const text = JSON.stringify(v ?? null);
    return text.length > 80 ? `${text.slice(0, 77)}...` : text;
  };
  return `${drift.address} was changed outside Terraform: ${drift.attributes.map((a) => `${a.name} ${short(a.before)} -> ${short(a.after)}`).join("; ")}`;
}
