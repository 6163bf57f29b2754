import { existsSync, mkdtempSync, rmSync } from "fs";
import { tmpdir } from "os";
import * as path from "path";
import { consumersOf } from "../config/consumers";
import { Config } from "../config/schema";
import { command, CommandResult, startSharedProvider } from "../terraform/cli";
import { failedConditions } from "../terraform/diagnostics";
import { streamedPlan } from "./plan-stream";

/** A stack of the project and the account it deploys into. */
export interface StackTarget {
  readonly stack: string;
  /** Where the configuration describes its account: `accountB`, `accountA`, `consumers.<i>`. */
  readonly setting: string;
  readonly accountId: string;
}

/** Every stack of `config`: account-b first, then each consumer. */
export function stackTargets(config: Config): StackTarget[] {
  return [
    { stack: "account-b", setting: "accountB", accountId: config.accountB.accountId },
    ...consumersOf(config).map((c) => ({ stack: c.stackId, setting: c.setting, accountId: c.account.accountId })),
  ];
}

/** A deployed stack as Terraform read it: `terraform show -json` of a plan, or of its state. */
export interface StackReading {
  readonly stack: string;
  readonly json: any;
  /** Whether `json` is a plan's (else the state's). */
  readonly plan: boolean;
}

/** A stack that has no resources in its state. */
export interface NotDeployed {
  readonly stack: string;
  readonly notDeployed: string;
}

/** A stack that could not be read: one line saying which, why, and what to do. */
export interface Unreadable {
  readonly stack: string;
  readonly problem: string;
}

/**
 * Reads one deployed stack with Terraform, in its synthesized directory `dir`:
 * - `refresh-only`: a refresh-only plan (what exists, check results, what changed outside
 *   Terraform). With a `cloud` backend, whose remote runs keep the plan, the state instead: the
 *   check results of the workspace's last run.
 * - `plan`: a normal plan (what deploying would change, and what changed outside Terraform). With
 *   a `cloud` backend this is a saved cloud plan (Terraform >= 1.6; reading its JSON needs the
 *   workspace's permission to read plans).
 */
export async function readStack(config: Config, target: StackTarget, dir: string, env: NodeJS.ProcessEnv, mode: "refresh-only" | "plan"): Promise<StackReading | NotDeployed | Unreadable> {
  const who = describeTarget(target);
  let commandEnv = env;
  const terraform = (args: string[]) => command("terraform", [...args, "-no-color"], dir, commandEnv);
  // A directory already initialized is used as it is (init costs a second or more per stack);
  // when Terraform says it needs init after all (a changed backend or provider), it runs, once.
  let initDone = false;
  const init = () => ((initDone = true), terraform(["init", "-input=false"]));
  const run = async (args: string[]) => {
    const result = await terraform(args);
    if (result.code === 0 || initDone || !/terraform init|Backend initialization required|Required plugins are not installed|Inconsistent dependency lock file/i.test(result.output)) return result;
    const again = await init();
    return again.code === 0 ? terraform(args) : again;
  };
  if (!existsSync(path.join(dir, ".terraform", "terraform.tfstate"))) {
    const first = await init();
    if (first.code !== 0) return { stack: target.stack, problem: explain(target, "init", first) };
  }
  // `state list` starts no provider: a quick "is anything deployed?", before any AWS call.
  const listed = await run(["state", "list"]);
  const managed = listed.code === 0 ? listed.stdout.split("\n").filter((line) => line.trim() && !line.startsWith("data.")) : [];
  if (listed.code !== 0 && !/No state file was found/.test(listed.output)) return { stack: target.stack, problem: explain(target, "state list", listed) };
  if (managed.length === 0) return { stack: target.stack, notDeployed: `${who}: not deployed (no resources in its state in the ${config.backend.type} backend)` };
  if (mode === "refresh-only" && config.backend.type === "cloud") {
    const state = await run(["show", "-json"]);
    if (state.code !== 0) return { stack: target.stack, problem: explain(target, "show", state) };
    return { stack: target.stack, json: parseJson(state.stdout), plan: false };
  }
  const planDir = mkdtempSync(path.join(tmpdir(), "live-"));
  const planFile = path.join(planDir, `${target.stack}.tfplan`);
  // A plan and then its JSON: one provider process of the stack's own serves both (its start and
  // schema cost about 2 CPU-seconds each time), started as terraform would start it, in the
  // stack's directory with this command's environment. Never one for several stacks: a provider
  // acts with the last configuration it was given.
  const provider = await startSharedProvider(env, { cwd: dir });
  if (provider) commandEnv = provider.env;
  try {
    const plan = await run(["plan", "-json", ...(mode === "refresh-only" ? ["-refresh-only"] : []), "-input=false", "-lock=false", `-out=${planFile}`]);
    const streamed = streamedPlan(plan.stdout);
    if (plan.code !== 0) return { stack: target.stack, problem: explain(target, mode === "refresh-only" ? "plan -refresh-only" : "plan", { ...plan, output: `${streamed.errors}\n${plan.output}` }) };
    // Nothing to change and nothing changed outside Terraform: all a drift reading needs.
    if (mode === "plan" && streamed.changes.length === 0 && streamed.drift.length === 0) return { stack: target.stack, json: { resource_changes: [], resource_drift: [] }, plan: true };
    const shown = await run(["show", "-json", planFile]);
    if (shown.code !== 0) return { stack: target.stack, problem: explain(target, "show", shown) };
    return { stack: target.stack, json: parseJson(shown.stdout), plan: true };
  } finally {
    rmSync(planDir, { recursive: true, force: true });
    await provider?.stop();
  }
}

/** The JSON document `terraform show -json` prints (`{}` for an empty state). */
function parseJson(stdout: string): any {
  return stdout.trim() ? JSON.parse(stdout) : {};
}

/** "account-b (account 222222222222)". */
function describeTarget(target: StackTarget): string {
  return `${target.stack} (account ${target.accountId})`;
}

/**
 * One line: which stack and account Terraform could not work with, why, and what to do (the
 * doctor's, drift's and deploy's words for a failed `terraform <step>`).
 */
export function explain(target: StackTarget, step: string, result: Pick<CommandResult, "output">): string {
  const who = describeTarget(target);
  const text = result.output;
  // The error Terraform printed that matches `pattern`, else its first one.
  const errorLine = (pattern?: RegExp) => {
    const errors = [...text.matchAll(/Error: ([^\n]+)/g)].map((m) => m[1].trim());
    return errors.find((e) => pattern?.test(e)) ?? errors[0] ?? text.trim().split("\n").pop() ?? "";
  };
  const noCredentials = /No valid credential sources found|NoCredentialProviders|failed to get shared config profile|failed to refresh cached credentials|InvalidClientTokenId|ExpiredToken|security token included in the request is (invalid|expired)/i;
  const detail = errorLine(noCredentials.test(text) ? noCredentials : undefined);
  if (noCredentials.test(text)) {
    return `${who}: no usable AWS credentials for this account: set AWS_PROFILE or ${target.setting}.credentials, or log in, then run it again (terraform ${step}: ${detail}).`;
  }
  if (/not allowed|allowed_account_ids/i.test(text) && /account/i.test(detail)) {
    return `${who}: the credentials in use are for another account: use credentials of ${target.setting}.accountId (terraform ${step}: ${detail}).`;
  }
  // A plan-time check of the stacks (an existing subnet on a route table that gets no route, ...): its own message says what to change.
  const conditions = failedConditions(text);
  if (conditions.length) return `${who}: terraform ${step} stopped on a check of the configuration: ${conditions.join(" ")}`;
  if (/Unable to find remote state/.test(text)) return `${who}: account-b's state cannot be read or does not exist: deploy account-b first (terraform ${step}: ${detail}).`;
  return `${who}: terraform ${step} failed: ${detail}`;
}
