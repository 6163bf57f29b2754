import { mkdtempSync, rmSync } from "fs";
import { tmpdir } from "os";
import * as path from "path";
import { command, CommandResult, pool, setUpTerraform, terraformVersion } from "../terraform/cli";
import { ConfigError, EXAMPLE_CONFIG_FILE, loadConfig } from "../config/load-config";
import { consumersOf } from "../config/consumers";
import { Config } from "../config/schema";
import { ConsumerReport, formatReports, modelsFromSynth, reportsAsJson } from "../preflight/run-preflight";
import { synthesize } from "../../stacks/app";
import { doctorReport, LiveStack } from "./doctor-report";
import { isDeployed } from "./terraform-json";

/** What a doctor run printed and its exit code: 0 all passes, 1 something fails, 2 could not check. */
export interface DoctorRun {
  readonly code: 0 | 1 | 2;
  readonly stdout: string;
  readonly stderr: string;
}

/** A stack of the project and the account it deploys into. */
interface StackTarget {
  readonly stack: string;
  /** Where the configuration describes its account: `accountB`, `accountA`, `consumers.<i>`. */
  readonly setting: string;
  readonly accountId: string;
}

const USAGE = "usage: npm run doctor -- [--json]";

/**
 * Checks the deployed stacks with the user's credentials and the configured backend: reads each
 * stack live with Terraform (a refresh-only plan, or the state's stored check results where the
 * backend runs remotely and forbids `plan -out`), then reports every preflight rule on the live
 * stacks, every check block and the canary's per-method results. Never throws.
 */
export async function doctor(argv: string[], env: NodeJS.ProcessEnv = process.env): Promise<DoctorRun> {
  const unknown = argv.filter((arg) => arg !== "--json");
  if (unknown.length) return couldNotCheck([`doctor: unexpected argument ${JSON.stringify(unknown[0])}; ${USAGE}`]);
  let config: Config;
  const configFile = env.CONFIG_FILE || EXAMPLE_CONFIG_FILE;
  try {
    config = loadConfig(configFile);
  } catch (error) {
    if (error instanceof ConfigError) return couldNotCheck([`doctor: invalid configuration ${error.message}`]);
    throw error;
  }
  const version = terraformVersion(env);
  if (!version) return couldNotCheck(["doctor: terraform is not on PATH: install Terraform >= 1.11 (https://developer.hashicorp.com/terraform/install), then run the doctor again."]);

  const outdir = path.resolve(env.CDKTF_OUTDIR || "cdktf.out");
  synthesize(config, outdir);
  const terraformEnv = setUpTerraform(env).env;
  const targets: StackTarget[] = [
    { stack: "account-b", setting: "accountB", accountId: config.accountB.accountId },
    ...consumersOf(config).map((c) => ({ stack: c.stackId, setting: c.setting, accountId: c.account.accountId })),
  ];
  const readings = await pool(3, targets.map((target) => () => readLive(config, target, path.join(outdir, "stacks", target.stack), terraformEnv)));
  const problems = readings.flatMap((reading) => ("problem" in reading ? [reading.problem] : []));
  if (problems.length) return couldNotCheck(problems);

  const live = Object.fromEntries(readings.map((reading) => [(reading as LiveStack).stack, reading as LiveStack]));
  // One path per consumer: its stack and account B's.
  const reports: ConsumerReport[] = modelsFromSynth(outdir).map((model) => ({ consumer: model.a.name, results: doctorReport(model, live[model.a.name], live["account-b"]) }));
  const allPass = reports.every((report) => report.results.every((row) => row.status === "pass"));
  const stdout = argv.includes("--json") ? reportsAsJson(reports) : `${formatReports(reports, "not evaluated yet, or waiting for the next deploy of account-b")}\n`;
  return { code: allPass ? 0 : 1, stdout, stderr: "" };
}

function couldNotCheck(lines: string[]): DoctorRun {
  return { code: 2, stdout: "", stderr: `${lines.join("\n")}\n` };
}

/** Reads one stack live: its JSON, or one line saying why it could not be read and what to do. */
async function readLive(config: Config, target: StackTarget, dir: string, env: NodeJS.ProcessEnv): Promise<LiveStack | { problem: string }> {
  const who = `${target.stack} (account ${target.accountId})`;
  const run = (args: string[]) => command("terraform", [...args, "-no-color"], dir, env);
  const init = await run(["init", "-input=false"]);
  if (init.code !== 0) return { problem: explain(who, target, "init", init) };
  const state = await run(["show", "-json"]);
  if (state.code !== 0) return { problem: explain(who, target, "show", state) };
  const stateJson = parseJson(state.stdout);
  if (!isDeployed(stateJson)) return { problem: `${who}: not deployed (no resources in its state in the ${config.backend.type} backend): run npm run deploy first.` };
  // Remote execution keeps plans in the workspace: read the results of its last run from the state.
  if (config.backend.type === "cloud") return { stack: target.stack, json: stateJson };
  const planDir = mkdtempSync(path.join(tmpdir(), "doctor-"));
  const planFile = path.join(planDir, `${target.stack}.tfplan`);
  try {
    const plan = await run(["plan", "-refresh-only", "-input=false", "-lock=false", `-out=${planFile}`]);
    if (plan.code !== 0) return { problem: explain(who, target, "plan -refresh-only", plan) };
    const shown = await run(["show", "-json", planFile]);
    if (shown.code !== 0) return { problem: explain(who, target, "show", shown) };
    return { stack: target.stack, json: parseJson(shown.stdout) };
  } finally {
    rmSync(planDir, { recursive: true, force: true });
  }
}

/** The JSON document `terraform show -json` prints (`{}` for an empty state). */
function parseJson(stdout: string): any {
  return stdout.trim() ? JSON.parse(stdout) : {};
}

/** One line: which stack and account could not be read, why, and what to do. */
function explain(who: string, target: StackTarget, step: string, result: CommandResult): string {
  const text = result.output;
  // The error Terraform printed that matches `pattern`, else its first one.
  const errorLine = (pattern?: RegExp) => {
    const errors = [...text.matchAll(/Error: ([^\n]+)/g)].map((m) => m[1].trim());
    return errors.find((e) => pattern?.test(e)) ?? errors[0] ?? text.trim().split("\n").pop() ?? "";
  };
  const noCredentials = /No valid credential sources found|NoCredentialProviders|failed to refresh cached credentials|InvalidClientTokenId|ExpiredToken|security token included in the request is (invalid|expired)/i;
  const detail = errorLine(noCredentials.test(text) ? noCredentials : undefined);
  if (noCredentials.test(text)) {
    return `${who}: no usable AWS credentials for this account: set AWS_PROFILE or ${target.setting}.credentials, or log in, then run the doctor again (terraform ${step}: ${detail}).`;
  }
  if (/not allowed|allowed_account_ids/i.test(text) && /account/i.test(detail)) {
    return `${who}: the credentials in use are for another account: use credentials of ${target.setting}.accountId (terraform ${step}: ${detail}).`;
  }
  if (/Unable to find remote state/.test(text)) return `${who}: account-b's state cannot be read or does not exist: deploy account-b first (terraform ${step}: ${detail}).`;
  return `${who}: terraform ${step} failed: ${detail}`;
}
