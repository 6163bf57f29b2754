import * as path from "path";
import { synthesize } from "../../stacks/app";
import { CommandRun, EXIT, parseArgs, UsageError, userPath } from "../cli/command-line";
import { ConfigError, loadConfig, resolveConfigFile } from "../config/load-config";
import { ConsumerReport, formatReports, modelsFromPlans, modelsFromSynth, NotAPlan, reportsAsJson, runPreflight } from "./run-preflight";

export const PREFLIGHT_USAGE = `usage: npm run -s preflight -- [--json] [--stacks <dir> | --plan account-b=<file> --plan <consumer stack>=<file> ...]

Checks each link of the path from a client subnet of each consumer to the API in account B, before
anything is deployed: in the synthesized stacks (CONFIG_FILE honoured), in a directory laid out
like cdktf.out, or in \`terraform show -json\` output of the stacks' plans.

  --json                  {"checks": [{"id", "hop", "status", "message", "fix"}], "problems": [...]} on stdout
  --stacks <dir>          check an already synthesized output; no synth
  --plan <stack>=<file>   check plans: account-b's and at least one consumer's (repeat the flag);
                          the JSON of a plan file: terraform show -json <plan file>
  -h, --help              this text

Relative paths are taken from the directory you run npm in.

Exit code: 0 no check fails, 1 a check fails, 2 could not check (usage, configuration, unreadable input).`;

/** `npm run preflight`: synthesizes unless given stacks or plans, then checks every consumer's path. Never throws. */
export function preflight(argv: string[], env: NodeJS.ProcessEnv = process.env): CommandRun {
  const json = argv.includes("--json");
  const couldNotCheck = (line: string): CommandRun => ({ code: EXIT.couldNotCheck, stdout: json ? reportsAsJson([], [line]) : "", stderr: `${line}\n` });
  let args;
  try {
    args = parseArgs(argv, [{ name: "--json" }, { name: "--stacks", value: "a directory laid out like cdktf.out" }, { name: "--plan", value: "<stack>=<file>, such as account-b=b.json", repeats: true }]);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    return couldNotCheck(`preflight: ${error.message}; ${PREFLIGHT_USAGE.split("\n")[0]}`);
  }
  if (args.help) return { code: EXIT.passed, stdout: `${PREFLIGHT_USAGE}\n`, stderr: "" };
  const plans: Record<string, string> = {};
  for (const plan of args.values["--plan"] ?? []) {
    const [, stack, file] = /^(account-[ab]|consumer-[a-z0-9-]+)=(.+)$/.exec(plan) ?? [];
    if (!stack) return couldNotCheck(`preflight: --plan needs <stack>=<file>, such as account-b=b.json, got ${JSON.stringify(plan)}`);
    plans[stack] = userPath(file, env);
  }
  const planCount = Object.keys(plans).length;
  if (planCount && (!plans["account-b"] || planCount === 1)) return couldNotCheck("preflight: --plan needs account-b=<file> and at least one consumer's, such as account-a=<file>");
  const stacks = args.values["--stacks"] && userPath(args.values["--stacks"][0], env);
  if (planCount && stacks) return couldNotCheck("preflight: --stacks and --plan exclude each other");

  let models;
  try {
    if (planCount) {
      models = modelsFromPlans(plans);
    } else if (stacks) {
      models = modelsFromSynth(stacks);
    } else {
      const configFile = resolveConfigFile(env);
      const outdir = path.resolve(env.CDKTF_OUTDIR ?? "cdktf.out");
      synthesize(loadConfig(configFile), { outdir, configFile });
      models = modelsFromSynth(outdir);
    }
  } catch (error) {
    if (error instanceof ConfigError) return couldNotCheck(`preflight: invalid configuration ${error.message}`);
    if (error instanceof NotAPlan) {
      const stack = Object.keys(plans).find((name) => plans[name] === (error as NotAPlan).file);
      return couldNotCheck(`preflight: --plan ${stack}=${error.file}: ${error.message}`);
    }
    return couldNotCheck(`preflight: cannot read the stacks (${(error as Error).message})`);
  }
  // One path per consumer: its stack and account B's.
  const reports: ConsumerReport[] = models.map((model) => ({ consumer: model.a.name, results: runPreflight(model) }));
  return {
    code: reports.some((report) => report.results.some((r) => r.status === "fail")) ? EXIT.failed : EXIT.passed,
    stdout: json ? reportsAsJson(reports) : `${formatReports(reports)}\n`,
    stderr: "",
  };
}
