import { existsSync, readdirSync, readFileSync } from "fs";
import * as path from "path";
import { apiLabel } from "../live/drift-of";

/** What changed in one stack's synthesized JSON between two synths. */
export interface StackDiff {
  readonly stack: string;
  /** `added`: the stack is new; `removed`: it is gone; `changed` or `unchanged`. */
  readonly status: "added" | "removed" | "changed" | "unchanged";
  /** Addresses (`aws_route.peering_route-1`, `data.aws_vpcs.x`, `output.vpc_id`, `local.x`, `check.x`) only in the new synth. */
  readonly added: string[];
  /** Addresses only in the old synth. */
  readonly removed: string[];
  /** Addresses in both whose configuration differs. */
  readonly changed: string[];
}

/** The stacks of a cdktf output directory, by id: their cdk.tf.json, parsed. */
function stacksIn(outdir: string): Record<string, any> {
  const dir = path.join(outdir, "stacks");
  if (!existsSync(dir)) return {};
  return Object.fromEntries(readdirSync(dir).filter((s) => existsSync(path.join(dir, s, "cdk.tf.json"))).map((s) => [s, JSON.parse(readFileSync(path.join(dir, s, "cdk.tf.json"), "utf8"))]));
}

/** Every addressable block of a stack's JSON, by address, its cdktf metadata left out. */
function blocks(json: any): Map<string, string> {
  const found = new Map<string, string>();
  const add = (address: string, value: unknown) => found.set(address, JSON.stringify(value, (key, v) => (key === "//" ? undefined : v)));
  for (const [kind, prefix] of [["resource", ""], ["data", "data."]] as const) {
    for (const [type, byName] of Object.entries<any>(json?.[kind] ?? {})) for (const [name, body] of Object.entries(byName)) add(`${prefix}${type}.${name}`, body);
  }
  for (const kind of ["output", "variable", "locals", "check"] as const) {
    for (const [name, body] of Object.entries<any>(json?.[kind] ?? {})) add(`${kind === "locals" ? "local" : kind}.${name}`, body);
  }
  for (const kind of ["terraform", "provider", "import"] as const) if (json?.[kind] !== undefined) add(kind, json[kind]);
  return found;
}

/** Compares two cdktf output directories (`cdktf.out` of the base branch and of the pull request), stack by stack. */
export function synthDiff(baseOutdir: string, headOutdir: string): StackDiff[] {
  const base = stacksIn(baseOutdir);
  const head = stacksIn(headOutdir);
  return [...new Set([...Object.keys(base), ...Object.keys(head)])].sort().map((stack) => {
    const before = blocks(base[stack]);
    const after = blocks(head[stack]);
    const added = [...after.keys()].filter((a) => !before.has(a)).sort();
    const removed = [...before.keys()].filter((a) => !after.has(a)).sort();
    const changed = [...after.keys()].filter((a) => before.has(a) && before.get(a) !== after.get(a)).sort();
    const status = !(stack in base) ? "added" : !(stack in head) ? "removed" : added.length + removed.length + changed.length ? "changed" : "unchanged";
    return { stack, status, added, removed, changed };
  });
}

/** The file in a synth output directory that names the configuration it was built from (see `synthesize`). */
export const BUILT_FROM_FILE = "built-from.json";

/**
 * What the synth in `outdir` was built from, for the header: the configuration file it recorded
 * (relative to the project), "nothing synthesized" without stacks, or that it recorded none (a
 * synth of an older version).
 */
export function builtFrom(outdir: string): string {
  if (Object.keys(stacksIn(outdir)).length === 0) return "nothing synthesized";
  const record = path.join(outdir, BUILT_FROM_FILE);
  const configFile = existsSync(record) ? JSON.parse(readFileSync(record, "utf8")).configFile : undefined;
  return typeof configFile === "string" ? configFile : "a configuration the synth did not record";
}

/**
 * The comparison as Markdown for a pull request: one section per stack that changed, under a
 * header naming what each side was built from (once when they are the same).
 */
export function formatSynthDiff(diffs: StackDiff[], sources: { readonly base: string; readonly head: string }): string {
  const changed = diffs.filter((d) => d.status !== "unchanged");
  const built = sources.base === sources.head ? sources.head : `base: ${sources.base}; head: ${sources.head}`;
  const head = `### Synthesized stacks (${built}): ${changed.length ? `${changed.length} of ${diffs.length} changed` : "no change"}`;
  // Each address of one of the APIs names it (`api-orders_*`, a consumer's `api-dns-orders_*`).
  const list = (sign: string, addresses: string[]) => addresses.map((a) => `    ${sign} ${a}${apiLabel(a)}`);
  const sections = changed.map((d) => [
    `- \`${d.stack}\`: ${d.status === "changed" ? `${d.added.length} added, ${d.changed.length} changed, ${d.removed.length} removed` : `stack ${d.status}`}`,
    ...(d.status === "changed" ? ["", "  ```diff", ...list("+", d.added), ...list("~", d.changed), ...list("-", d.removed), "  ```"] : []),
  ].join("\n"));
  return [head, "", ...sections].join("\n") + "\n";
}
