import { existsSync, readdirSync, readFileSync } from "fs";
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
  return rules.flatMap((rule) => [rule.evaluate(model)].flat().map((finding) => ({
    // A rule about the APIs names the API in its row: `phz-name[orders]`, "API orders: ...".
    id: finding.api ? `${rule.id}[${finding.api}]` : rule.id,
    hop: rule.hop,
    status: finding.status,
    message: `${finding.api ? `API ${finding.api}: ` : ""}${rule.title}: ${finding.message}`,
    fix: finding.status === "fail" ? rule.fix : "",
  })));
}

/**
 * The consumer stacks of a directory laid out like cdktf.out: every stack but account-b, account-a
 * first. The manifest names the stacks of the last synth (a removed consumer's directory may remain).
 */
export function consumerStacksIn(outdir: string): string[] {
  const manifest = path.join(outdir, "manifest.json");
  const stacks = existsSync(manifest) ? Object.keys(JSON.parse(readFileSync(manifest, "utf8")).stacks ?? {}) : readdirSync(path.join(outdir, "stacks"));
  return stacks.filter((stack) => stack !== "account-b").sort((x, y) => Number(y === "account-a") - Number(x === "account-a") || x.localeCompare(y));
}

/** Reads the path of each consumer from a directory laid out like cdktf.out (`stacks/<stack>/cdk.tf.json`). */
export function modelsFromSynth(outdir: string): ProjectModel[] {
  const read = (stack: string) => JSON.parse(readFileSync(path.join(outdir, "stacks", stack, "cdk.tf.json"), "utf8"));
  const b = stackFromSynth("account-b", read("account-b"));
  return consumerStacksIn(outdir).map((stack) => ({ a: stackFromSynth(stack, read(stack)), b }));
}

/** Reads the path of each consumer from `terraform show -json` files of plans, by stack id (account-b's included). */
export function modelsFromPlans(plans: Record<string, string>): ProjectModel[] {
  const b = stackFromPlan("account-b", readPlan(plans["account-b"]));
  return Object.keys(plans).filter((stack) => stack !== "account-b").map((stack) => ({ a: stackFromPlan(stack, readPlan(plans[stack])), b }));
}

/** A file given as a plan that is not one; the message names it, what it is, and what is expected. */
export class NotAPlan extends Error {
  constructor(
    readonly file: string,
    message: string,
  ) {
    super(message);
    this.name = "NotAPlan";
  }
}

/**
 * `terraform show -json <plan file>` output, read from `file`. Anything else (a state, `{}`, a
 * synthesized stack) is refused: read as a plan it would fail every check, with fixes that do not
 * apply.
 * @throws NotAPlan
 */
export function readPlan(file: string): any {
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new NotAPlan(file, code === "ENOENT" ? `no such file ${file}` : `cannot read ${file} (${(error as Error).message})`);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new NotAPlan(file, `${file} is not JSON (${(error as Error).message.split("\n")[0]}): is it terraform show output without -json?`);
  }
  const what = notAPlan(json);
  if (what) throw new NotAPlan(file, `${file} is ${what}, not a plan; expected the JSON of a plan file: terraform plan -out=<plan file>, then terraform show -json <plan file>`);
  return json;
}

/** What `json` is when it is not `terraform show -json` of a plan file; undefined for a plan. */
function notAPlan(json: unknown): string | undefined {
  if (Array.isArray(json)) return "a JSON list";
  if (typeof json !== "object" || json === null) return `a JSON ${json === null ? "null" : typeof json}`;
  const doc = json as Record<string, unknown>;
  const isObject = (value: unknown) => typeof value === "object" && value !== null;
  if (Object.keys(doc).length === 0) return "an empty JSON object";
  if (typeof doc.format_version === "string" && isObject(doc.planned_values) && isObject(doc.configuration)) return undefined;
  if (typeof doc.version === "number" && "lineage" in doc) return "a state file (terraform.tfstate)";
  if (typeof doc.format_version === "string" && ("values" in doc || !("planned_values" in doc))) return "the JSON of a state (terraform show -json without a plan file)";
  if ("resource" in doc || "provider" in doc || "//" in doc) return "a synthesized stack (cdk.tf.json): check synthesized stacks with --stacks <dir>";
  return "JSON without the format_version, planned_values and configuration of a plan";
}

/** The checks of one consumer's path. */
export interface ConsumerReport {
  /** The consumer's stack id. */
  readonly consumer: string;
  readonly results: CheckResult[];
}

/** The reports as tables: one table, or one per consumer, each under a heading, when there are several. */
export function formatReports(reports: ConsumerReport[], pendingMeans?: string): string {
  if (reports.length === 1) return formatTable(reports[0].results, pendingMeans);
  return reports.map((report) => `### ${report.consumer} -> account-b\n\n${formatTable(report.results, pendingMeans)}`).join("\n\n");
}

/**
 * The `--json` form: `{"checks": [...], "problems": [...]}`; with several consumers, each id is
 * prefixed with its consumer (`consumer-x/peering-accepted`). `problems` are the lines saying why
 * it could not check (then `checks` is empty).
 */
export function reportsAsJson(reports: ConsumerReport[], problems: string[] = []): string {
  const checks = reports.flatMap((report) => (reports.length === 1 ? report.results : report.results.map((r) => ({ ...r, id: `${report.consumer}/${r.id}` }))));
  return `${JSON.stringify({ checks, problems }, null, 2)}\n`;
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
