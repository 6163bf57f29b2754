import { readFileSync } from "fs";
import * as path from "path";
import { ProjectModel, stackFromPlan, stackFromSynth } from "./model";
import { Rule, Status } from "./rule";
import { RULES } from "./rules";

/** One row of the report; the `--json` output is `{ "checks": CheckResult[] }`. */
export interface CheckResult {
  readonly id: string;
  readonly hop: string;
  readonly status: Status;
  readonly message: string;
  readonly fix: string;
}

/** Evaluates every rule against `model`, in path order. */
export function runPreflight(model: ProjectModel, rules: Rule[] = RULES): CheckResult[] {
  return rules.map((rule) => {
    const finding = rule.evaluate(model);
    return { id: rule.id, hop: rule.hop, status: finding.status, message: `${rule.title}: ${finding.message}`, fix: finding.status === "fail" ? rule.fix : "" };
  });
}

/** Reads both stacks from a directory laid out like cdktf.out (`stacks/<stack>/cdk.tf.json`). */
export function modelFromSynth(outdir: string): ProjectModel {
  const read = (stack: string) => JSON.parse(readFileSync(path.join(outdir, "stacks", stack, "cdk.tf.json"), "utf8"));
  return { a: stackFromSynth("account-a", read("account-a")), b: stackFromSynth("account-b", read("account-b")) };
}

/** Reads both stacks from `terraform show -json` files of their plans. */
export function modelFromPlans(planA: string, planB: string): ProjectModel {
  const read = (file: string) => JSON.parse(readFileSync(file, "utf8"));
  return { a: stackFromPlan("account-a", read(planA)), b: stackFromPlan("account-b", read(planB)) };
}

/**
 * The report as a table for people: one line per check, and the fix under each failure.
 * @param pendingMeans what `pending` means in the summary line @default - preflight's meaning
 */
export function formatTable(results: CheckResult[], pendingMeans = "hold after the second deploy of account-b"): string {
  const mark: Record<Status, string> = { pass: "pass", fail: "FAIL", pending: "pending" };
  const lines = ["| hop | check | result | what to change |", "|---|---|---|---|"];
  for (const r of results) {
    lines.push(`| ${r.hop} | \`${r.id}\` | ${mark[r.status]} | ${r.status === "fail" ? `${r.message} Fix: ${r.fix}` : r.message} |`);
  }
  const count = (status: Status) => results.filter((r) => r.status === status).length;
  lines.push("", `${count("pass")} passed, ${count("fail")} failed, ${count("pending")} pending (${pendingMeans})`);
  return lines.join("\n");
}
