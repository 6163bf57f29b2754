import * as path from "path";
import { synthesize } from "../../stacks/app";
import { CommandRun, EXIT, Flag, parseArgs, ParsedArgs, UsageError } from "../cli/command-line";
import { ConfigError, loadConfig, resolveConfigFile } from "../config/load-config";
import { Config } from "../config/schema";
import { setUpTerraform, TERRAFORM_MISSING, terraformVersion } from "../terraform/cli";

/** A command that reads the deployed stacks (doctor, drift), ready to read them. */
export interface LiveCommand {
  readonly args: ParsedArgs;
  readonly config: Config;
  /** Where the stacks were synthesized for this run (`CDKTF_OUTDIR`, else cdktf.out). */
  readonly outdir: string;
  /** The environment terraform runs with (the provider mirror when there is one). */
  readonly terraformEnv: NodeJS.ProcessEnv;
  /** The run that says it could not check: `lines` on stderr, and `json(lines)` on stdout with --json. */
  couldNotCheck(lines: string[]): CommandRun;
}

/**
 * What every command that reads the deployed stacks does first: its options (`--help` answered
 * here), the configuration (`CONFIG_FILE`), terraform on PATH, then a synth of the stacks to read.
 * Returns the run to end with when it cannot go on.
 */
export function startLiveCommand(
  name: string,
  usage: string,
  argv: string[],
  env: NodeJS.ProcessEnv,
  options: {
    flags: Flag[];
    positional?: string;
    json: (problems: string[]) => string;
    /** What is wrong with the arguments for this configuration, before anything runs. */
    check?: (config: Config, args: ParsedArgs) => string | undefined;
  },
): LiveCommand | CommandRun {
  const json = argv.includes("--json");
  const couldNotCheck = (lines: string[]): CommandRun => ({ code: EXIT.couldNotCheck, stdout: json ? options.json(lines) : "", stderr: `${lines.join("\n")}\n` });
  let args: ParsedArgs;
  try {
    args = parseArgs(argv, options.flags, options.positional);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    return couldNotCheck([`${name}: ${error.message}; ${usage.split("\n")[0]}`]);
  }
  if (args.help) return { code: EXIT.passed, stdout: `${usage}\n`, stderr: "" };
  let config: Config;
  const configFile = resolveConfigFile(env);
  try {
    config = loadConfig(configFile);
  } catch (error) {
    if (error instanceof ConfigError) return couldNotCheck([`${name}: invalid configuration ${error.message}`]);
    throw error;
  }
  const wrong = options.check?.(config, args);
  if (wrong) return couldNotCheck([`${name}: ${wrong}`]);
  if (!terraformVersion(env)) return couldNotCheck([`${name}: ${TERRAFORM_MISSING}`]);
  const outdir = path.resolve(env.CDKTF_OUTDIR || "cdktf.out");
  synthesize(config, { outdir, configFile });
  return { args, config, outdir, terraformEnv: setUpTerraform(env).env, couldNotCheck };
}
