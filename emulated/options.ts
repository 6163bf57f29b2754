import { CommandRun, optionsOrUsage, parseArgs, UsageError } from "../lib/cli/command-line";

export const EMULATED_USAGE = `usage: npm run test:emulated -- [--only <scenario>[,<scenario>...]] [--emulator <url>] [--parallel <n>] [--keep] [--profile] [--list]

  --only <names>     run these scenarios only (see --list)
  --emulator <url>   use a running emulator on loopback instead of starting one per scenario
                     (start it with: python3 emulated/emulator/moto_launcher.py --port 5000);
                     scenarios then run one at a time, each after emptying it
  --parallel <n>     scenarios at a time (default 4)
  --keep             keep every scenario's directory (failed ones are always kept)
  --profile          print where each scenario's time went: every step's commands with their wall
                     time and CPU (terraform, the stacks' provider processes, the emulator, node);
                     every run writes it as JSON to node_modules/.cache/emulated/profile.json
  --list             print the scenarios and exit
  -h, --help         this text

Exit code: 0 every scenario passed, 1 a scenario failed, 2 could not run (usage, no emulator, no terraform).`;

/** What `npm run test:emulated` was asked to do. */
export interface Options {
  readonly only?: string[];
  readonly emulator?: string;
  readonly parallel: number;
  readonly keep: boolean;
  readonly profile: boolean;
  readonly list: boolean;
  readonly help: boolean;
}

/** `npm run test:emulated`'s options. @throws UsageError naming the argument and what is expected */
export function emulatedOptions(argv: string[], scenarios: readonly string[]): Options {
  const args = parseArgs(argv, [
    { name: "--list" },
    { name: "--keep" },
    { name: "--profile" },
    { name: "--only", value: "a scenario name (see --list)" },
    { name: "--emulator", value: "a URL such as http://127.0.0.1:5000" },
    { name: "--parallel", value: "a number of scenarios" },
  ]);
  const only = args.values["--only"]?.[0].split(",");
  const unknown = only?.filter((name) => !scenarios.includes(name));
  if (unknown?.length) throw new UsageError(`--only: no scenario named ${unknown.join(", ")}; expected one of ${scenarios.join(", ")}`);
  const parallel = Number(args.values["--parallel"]?.[0] ?? 4);
  if (!Number.isInteger(parallel) || parallel < 1) throw new UsageError(`--parallel needs a whole number of at least 1, got ${args.values["--parallel"]![0]}`);
  return { only, emulator: args.values["--emulator"]?.[0], parallel, keep: args.switches.has("--keep"), profile: args.switches.has("--profile"), list: args.switches.has("--list"), help: args.help };
}

/** `npm run test:emulated`'s options, or the run that ends it first (--help, a usage error). */
export function emulatedCommandLine(argv: string[], scenarios: readonly string[]): Options | CommandRun {
  return optionsOrUsage("test:emulated", EMULATED_USAGE, argv, (args) => emulatedOptions(args, scenarios));
}
