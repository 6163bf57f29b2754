/**
 * What every command of the project (every npm script but test, typecheck and test:jest) has in
 * common: the exit-code contract, `--help`, flags that say what they need, and paths taken from
 * where the user ran npm. (scripts/app.js, plain JavaScript, follows the same rules by itself.)
 */

import * as path from "path";

/** The exit codes of every command: 0 passed, 1 a check failed, 2 could not check. */
export const EXIT = {
  /** Everything checked passed (or the command did what it was asked). */
  passed: 0,
  /** A check failed: something is wrong with the stacks or the deployment. */
  failed: 1,
  /** It could not check: usage, configuration, credentials, nothing deployed, a missing tool. */
  couldNotCheck: 2,
} as const;

export type ExitCode = (typeof EXIT)[keyof typeof EXIT];

/** What a command printed and its exit code. */
export interface CommandRun {
  readonly code: ExitCode;
  readonly stdout: string;
  readonly stderr: string;
}

/** Bad usage: the message says what was wrong and what is expected. */
export class UsageError extends Error {}

/** A flag a command takes. */
export interface Flag {
  /** `--json`. */
  readonly name: string;
  /** What its value is, for "--stacks needs a directory"; absent for a switch. */
  readonly value?: string;
  /** May be given more than once. @default false */
  readonly repeats?: boolean;
}

/** Parsed command-line: switches given, values of flags (each a list), and the other arguments. */
export interface ParsedArgs {
  readonly help: boolean;
  readonly switches: Set<string>;
  readonly values: Record<string, string[]>;
  readonly positional: string[];
}

/**
 * Parses `argv` against `flags` (`--help` and `-h` are always known).
 * @param positional what positional arguments are, for the message when there are some and none are taken
 * @throws UsageError naming the argument and what is expected
 */
export function parseArgs(argv: string[], flags: Flag[], positional?: string): ParsedArgs {
  const parsed = { help: false, switches: new Set<string>(), values: {} as Record<string, string[]>, positional: [] as string[] };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === "--help" || arg === "-h") {
      parsed.help = true;
      continue;
    }
    const [name, inline] = arg.startsWith("--") && arg.includes("=") ? [arg.slice(0, arg.indexOf("=")), arg.slice(arg.indexOf("=") + 1)] : [arg, undefined];
    const flag = flags.find((f) => f.name === name);
    if (!flag) {
      if (!arg.startsWith("-") && positional) {
        parsed.positional.push(arg);
        continue;
      }
      throw new UsageError(`unknown ${arg.startsWith("-") ? "option" : "argument"} ${JSON.stringify(arg)}`);
    }
    if (!flag.value) {
      if (inline !== undefined) throw new UsageError(`${name} takes no value`);
      parsed.switches.add(name);
      continue;
    }
    const value = inline ?? argv[i + 1];
    if (value === undefined || value === "" || (inline === undefined && value.startsWith("-"))) throw new UsageError(`${name} needs ${flag.value}`);
    if (inline === undefined) i++;
    if (parsed.values[name] && !flag.repeats) throw new UsageError(`${name} is given twice`);
    (parsed.values[name] ??= []).push(value);
  }
  return parsed;
}

/**
 * A command's options from `parse`, or the run that ends the command before it starts: its usage
 * on `--help` (stdout, exit 0), or a usage error (one line on stderr, `<name>: <problem>; <usage
 * line>`, exit 2). For commands that stream their output as they go (bench, the test suites).
 */
export function optionsOrUsage<T extends { readonly help: boolean }>(name: string, usage: string, argv: string[], parse: (argv: string[]) => T): T | CommandRun {
  try {
    const options = parse(argv);
    return options.help ? { code: EXIT.passed, stdout: `${usage}\n`, stderr: "" } : options;
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    return { code: EXIT.couldNotCheck, stdout: "", stderr: `${name}: ${error.message}; ${usage.split("\n")[0]}\n` };
  }
}

/** Writes what `run` printed and ends the process with its exit code. */
export function exitWith(run: CommandRun): never {
  process.stdout.write(run.stdout);
  process.stderr.write(run.stderr);
  process.exit(run.code);
}

/**
 * A path the user gave (an argument, CONFIG_FILE), as an absolute path: relative ones are taken
 * from the directory the user ran npm from. npm runs every script at the project root and names
 * that directory in `INIT_CWD`; without npm, it is the working directory.
 */
export function userPath(given: string, env: NodeJS.ProcessEnv = process.env): string {
  return path.resolve(env.INIT_CWD || process.cwd(), given);
}
