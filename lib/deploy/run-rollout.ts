import { spawnSync } from "child_process";
import { existsSync, readFileSync, rmSync } from "fs";
import * as path from "path";
import { CommandRun, EXIT, ExitCode, parseArgs, UsageError } from "../cli/command-line";
import { consumersOf } from "../config/consumers";
import { ConfigError, loadConfig, resolveConfigFile } from "../config/load-config";
import { Config } from "../config/schema";
import { localStatePath } from "../stack/backend";
import { credentialProblems } from "../live/credentials";
import { setUpTerraform, TERRAFORM_MISSING, terraformVersion } from "../terraform/cli";
import { synthesize } from "../../stacks/app";
import { forgetKeptResources } from "./kept-on-destroy";

const PROVIDER_SOURCE = `Terraform installs hashicorp/aws from a local filesystem mirror when there is one (as the tests do),
from the public registry otherwise.`;

/** The usage of `npm run deploy` and of `npm run destroy`. */
export const ROLLOUT_USAGE = {
  deploy: `usage: npm run deploy -- [--auto-approve]

Deploys every stack in the order the peering needs (CONFIG_FILE honoured):
  1. cdktf deploy '*'        account-b, then every consumer side by side (each requests its peering)
  2. cdktf deploy account-b  B accepts each consumer's request and routes its CIDR

${PROVIDER_SOURCE}

  --auto-approve  no confirmation prompts (CI)
  -h, --help      this text

Before cdktf synthesizes anything, it checks that terraform is on PATH and that each stack's
provider finds usable credentials for its account (a plan of data.aws_caller_identity with the
stacks' own provider settings; not with a cloud backend, whose runs use the workspace's).

Exit code: 0 deployed, 1 a deploy failed, 2 could not start (usage, configuration, no terraform,
no usable credentials, state kept where an older version of this project put it).`,
  destroy: `usage: npm run destroy -- [--auto-approve]

Destroys every stack of the configuration (CONFIG_FILE honoured): it forgets what a destroy keeps
(the API Gateway account setting B only reads), then
  cdktf destroy '*'          every consumer side by side, then account-b
With nothing deployed (local state) it says so and does nothing. One stack alone:
npx cdktf destroy <stack> --ignore-missing-stack-dependencies (see docs/rollout.md).

${PROVIDER_SOURCE}

  --auto-approve  no confirmation prompts (CI)
  -h, --help      this text

Before cdktf synthesizes anything, it checks terraform and each stack's credentials, as deploy does.

Exit code: 0 destroyed (or nothing to destroy), 1 a destroy failed, 2 could not start (usage,
configuration, no terraform, no usable credentials, state kept where an older version of this
project put it).`,
} as const;

/** The stacks' ids, account-b first. */
function stackIds(config: Config): string[] {
  return ["account-b", ...consumersOf(config).map((c) => c.stackId)];
}

/**
 * Local state files that an earlier version of this project wrote at the project root
 * (`terraform.<stack>.tfstate`, one set for every configuration), for stacks whose state is not
 * yet where this version keeps it. Deploying over them would create every resource again.
 */
export function legacyStates(config: Config, root: string): { from: string; to: string }[] {
  if (config.backend.type !== "local") return [];
  return stackIds(config)
    .map((stack) => ({ from: `terraform.${stack}.tfstate`, to: localStatePath(config, stack) }))
    .filter(({ from, to }) => existsSync(path.join(root, from)) && !existsSync(path.join(root, to)));
}

/** Whether a local state file holds any resource. */
function holdsResources(file: string): boolean {
  try {
    return (JSON.parse(readFileSync(file, "utf8")).resources ?? []).length > 0;
  } catch {
    return false;
  }
}

/**
 * Before a destroy: synthesizes the stacks and forgets, in their state, what the project keeps on
 * destroy (see kept-on-destroy.ts), so that cdktf's destroy never plans it. False when it failed.
 */
function forgetKept(config: Config, configFile: string, root: string, env: NodeJS.ProcessEnv): boolean {
  const outdir = path.join(root, env.CDKTF_OUTDIR || "cdktf.out");
  process.stdout.write("==> forgetting what a destroy keeps (the API Gateway account setting B reads)\n");
  synthesize(config, { outdir, configFile });
  const terraform = (args: string[], cwd: string) => {
    const run = spawnSync("terraform", args, { cwd, env, encoding: "utf8" });
    return { code: run.status ?? 1, stdout: run.stdout ?? "", output: `${run.stdout ?? ""}${run.stderr ?? ""}${run.error ? run.error.message : ""}` };
  };
  const { forgotten, problems } = forgetKeptResources(outdir, stackIds(config), terraform);
  for (const line of forgotten) process.stdout.write(`    forgot ${line}\n`);
  for (const line of problems) process.stderr.write(`destroy: ${line}\n`);
  return problems.length === 0;
}

/** A rollout that passed every check and is ready for cdktf. */
export interface ReadyRollout {
  readonly config: Config;
  /** The configuration file, resolved. */
  readonly configFile: string;
  readonly approve: boolean;
  /** The stacks' local state files (none with another backend). */
  readonly localStates: string[];
  /** The environment cdktf runs with. */
  readonly env: NodeJS.ProcessEnv;
}

/**
 * What `npm run deploy` / `npm run destroy` checks before cdktf synthesizes and initializes
 * anything (minutes of work): the options, the configuration, state left where an older version
 * kept it, something to destroy, terraform on PATH, and usable credentials for every stack's
 * account. Returns the run to end with, or the rollout ready to go. Never starts cdktf.
 */
export async function startRollout(action: "deploy" | "destroy", argv: string[], root: string, env: NodeJS.ProcessEnv = process.env): Promise<CommandRun | ReadyRollout> {
  const couldNotStart = (lines: string[]): CommandRun => ({ code: EXIT.couldNotCheck, stdout: "", stderr: lines.map((line) => `${line}\n`).join("") });
  let args;
  try {
    args = parseArgs(argv, [{ name: "--auto-approve" }]);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    return couldNotStart([`${action}: ${error.message}; ${ROLLOUT_USAGE[action].split("\n")[0]}`]);
  }
  if (args.help) return { code: EXIT.passed, stdout: `${ROLLOUT_USAGE[action]}\n`, stderr: "" };
  let config: Config;
  const configFile = resolveConfigFile(env);
  try {
    config = loadConfig(configFile);
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    return couldNotStart([`${action}: invalid configuration ${error.message}`]);
  }
  const legacy = legacyStates(config, root);
  if (legacy.length) {
    const dir = path.dirname(legacy[0].to);
    return couldNotStart([
      `${action}: state of this configuration is still where an earlier version kept it, shared by every configuration of this checkout: ${legacy.map((l) => l.from).join(", ")}.`,
      `Move it to this configuration's own directory, then run ${action} again:\n  mkdir -p ${dir}\n${legacy.map((l) => `  mv ${l.from} ${l.to}`).join("\n")}`,
    ]);
  }
  const localStates = config.backend.type === "local" ? stackIds(config).map((stack) => path.join(root, localStatePath(config, stack))) : [];
  if (action === "destroy" && localStates.length && !localStates.some(holdsResources)) {
    return { code: EXIT.passed, stdout: `destroy: nothing of this configuration is deployed (no resources in ${path.dirname(path.relative(root, localStates[0]))}): nothing to do.\n`, stderr: "" };
  }
  // cdktf would synthesize and initialize every stack first, then fail with "execvp(3) failed".
  if (!terraformVersion(env)) return couldNotStart([`${action}: ${TERRAFORM_MISSING}`]);
  const terraformEnv = setUpTerraform(env).env;
  // Remote runs of Terraform Cloud use the workspace's credentials, not this machine's.
  if (config.backend.type !== "cloud") {
    const problems = await credentialProblems(config, terraformEnv);
    if (problems.length) return couldNotStart(problems);
  }
  // The app that cdktf runs reads the file resolved here: npx sets INIT_CWD anew, to the project root.
  return { config, configFile, approve: args.switches.has("--auto-approve"), localStates, env: { ...terraformEnv, CHECKPOINT_DISABLE: "1", CONFIG_FILE: configFile } };
}

/** `npm run deploy` / `npm run destroy`: the checks, then the rollout with cdktf, its output streamed. Returns the exit code. */
export async function rollout(action: "deploy" | "destroy", argv: string[], root: string, env: NodeJS.ProcessEnv = process.env): Promise<ExitCode> {
  const ready = await startRollout(action, argv, root, env);
  if ("code" in ready) {
    process.stdout.write(ready.stdout);
    process.stderr.write(ready.stderr);
    return ready.code;
  }
  const existed = new Set(ready.localStates.filter((file) => existsSync(file)));
  const approve = ready.approve ? ["--auto-approve"] : [];
  const cdktf = (step: string, stacks: string[]) => {
    process.stdout.write(`==> ${step}\n`);
    return spawnSync("npx", ["cdktf", action, ...stacks, ...approve], { cwd: root, env: ready.env, stdio: "inherit" }).status === 0;
  };
  if (action === "destroy" && !forgetKept(ready.config, ready.configFile, root, ready.env)) return EXIT.failed;
  const ok = action === "deploy"
    ? cdktf("1/2: account-b, then every consumer stack", ["*"]) && cdktf("2/2: account-b again, to accept the consumers' peering requests", ["account-b"])
    : cdktf("every consumer stack, then account-b", ["*"]);
  // Terraform writes a state file for a stack it destroyed with nothing in it: leave none behind.
  if (action === "destroy") for (const file of ready.localStates) if (!existed.has(file) && existsSync(file) && !holdsResources(file)) rmSync(file);
  return ok ? EXIT.passed : EXIT.failed;
}
