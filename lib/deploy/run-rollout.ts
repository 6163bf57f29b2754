import { spawnSync } from "child_process";
import { existsSync, readFileSync, rmSync } from "fs";
import * as path from "path";
import { EXIT, ExitCode, parseArgs, UsageError } from "../cli/command-line";
import { consumersOf } from "../config/consumers";
import { ConfigError, loadConfig, resolveConfigFile } from "../config/load-config";
import { Config } from "../config/schema";
import { localStatePath } from "../stack/backend";
import { setUpTerraform } from "../terraform/cli";

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

Exit code: 0 deployed, 1 a deploy failed, 2 could not start (usage, configuration, state kept
where an older version of this project put it).`,
  destroy: `usage: npm run destroy -- [--auto-approve]

Destroys every stack of the configuration (CONFIG_FILE honoured):
  cdktf destroy '*'          every consumer side by side, then account-b
With nothing deployed (local state) it says so and does nothing. One stack alone:
npx cdktf destroy <stack> --ignore-missing-stack-dependencies (see the README).

${PROVIDER_SOURCE}

  --auto-approve  no confirmation prompts (CI)
  -h, --help      this text

Exit code: 0 destroyed (or nothing to destroy), 1 a destroy failed, 2 could not start (usage,
configuration, state kept where an older version of this project put it).`,
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

/** `npm run deploy` / `npm run destroy`: the rollout with cdktf, its output streamed. Returns the exit code. */
export function rollout(action: "deploy" | "destroy", argv: string[], root: string, env: NodeJS.ProcessEnv = process.env): ExitCode {
  let args;
  try {
    args = parseArgs(argv, [{ name: "--auto-approve" }]);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    process.stderr.write(`${action}: ${error.message}; ${ROLLOUT_USAGE[action].split("\n")[0]}\n`);
    return EXIT.couldNotCheck;
  }
  if (args.help) {
    process.stdout.write(`${ROLLOUT_USAGE[action]}\n`);
    return EXIT.passed;
  }
  let config: Config;
  const configFile = resolveConfigFile(env);
  try {
    config = loadConfig(configFile);
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    process.stderr.write(`${action}: invalid configuration ${error.message}\n`);
    return EXIT.couldNotCheck;
  }
  const legacy = legacyStates(config, root);
  if (legacy.length) {
    const dir = path.dirname(legacy[0].to);
    process.stderr.write(
      `${action}: state of this configuration is still where an earlier version kept it, shared by every configuration of this checkout: ${legacy.map((l) => l.from).join(", ")}.\n` +
        `Move it to this configuration's own directory, then run ${action} again:\n  mkdir -p ${dir}\n${legacy.map((l) => `  mv ${l.from} ${l.to}`).join("\n")}\n`,
    );
    return EXIT.couldNotCheck;
  }
  const local = config.backend.type === "local" ? stackIds(config).map((stack) => path.join(root, localStatePath(config, stack))) : [];
  if (action === "destroy" && local.length && !local.some(holdsResources)) {
    process.stdout.write(`destroy: nothing of this configuration is deployed (no resources in ${path.dirname(path.relative(root, local[0]))}): nothing to do.\n`);
    return EXIT.passed;
  }
  const existed = new Set(local.filter((file) => existsSync(file)));
  // The app that cdktf runs reads the file resolved here: npx sets INIT_CWD anew, to the project root.
  const runEnv = { ...setUpTerraform(env).env, CHECKPOINT_DISABLE: "1", CONFIG_FILE: configFile };
  const approve = args.switches.has("--auto-approve") ? ["--auto-approve"] : [];
  const cdktf = (step: string, stacks: string[]) => {
    process.stdout.write(`==> ${step}\n`);
    return spawnSync("npx", ["cdktf", action, ...stacks, ...approve], { cwd: root, env: runEnv, stdio: "inherit" }).status === 0;
  };
  const ok = action === "deploy"
    ? cdktf("1/2: account-b, then every consumer stack", ["*"]) && cdktf("2/2: account-b again, to accept the consumers' peering requests", ["account-b"])
    : cdktf("every consumer stack, then account-b", ["*"]);
  // Terraform writes a state file for a stack it destroyed with nothing in it: leave none behind.
  if (action === "destroy") for (const file of local) if (!existed.has(file) && existsSync(file) && !holdsResources(file)) rmSync(file);
  return ok ? EXIT.passed : EXIT.failed;
}
