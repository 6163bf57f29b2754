import { CommandRun, optionsOrUsage, parseArgs, UsageError } from "../lib/cli/command-line";
import { EXAMPLE_CONFIG_FILE } from "../lib/config/load-config";

export const SANDBOX_USAGE = `usage: npm run sandbox [-- exec <stack> <command...> | -- down]

  (no command)                  deploy the configured stacks (CONFIG_FILE, default ${EXAMPLE_CONFIG_FILE}) into an
                                AWS emulator on 127.0.0.1, build the data-plane twin, run the article's calls,
                                print them and how to reach the emulated accounts, and leave it all up
  exec <stack> <command...>     run a command (curl, dig, a shell) inside that stack's client subnet
  down                          remove everything: the emulator, namespaces, rules, processes, files
  -h, --help                    this text

Needs Linux, root, ip, nft, openssl, curl and dig for the twin (without them only the emulated
deployment runs), Python with moto 5.2.3, and terraform.
Exit code: 0 done, 1 a step failed, 2 could not run (usage, a missing tool, no sandbox up).`;

/** What `npm run sandbox` was asked to do. */
export type SandboxOptions =
  | { readonly help: boolean; readonly command: "up" | "down" }
  | { readonly help: boolean; readonly command: "exec"; readonly stack: string; readonly argv: string[] };

/** `npm run sandbox`'s options. @throws UsageError naming the argument and what is expected */
export function sandboxOptions(argv: string[]): SandboxOptions {
  if (argv[0] === "exec") {
    if (argv[1] === "--help" || argv[1] === "-h") return { help: true, command: "up" };
    const [stack, ...rest] = argv.slice(1);
    if (!stack || stack.startsWith("-")) throw new UsageError("exec needs a stack and a command, such as: exec account-a dig +short <name>");
    // Everything after the stack is the command's own (its options included).
    if (!rest.length) throw new UsageError(`exec ${stack} needs a command to run, such as: exec ${stack} bash`);
    return { help: false, command: "exec", stack, argv: rest };
  }
  const down = argv[0] === "down";
  const args = parseArgs(down ? argv.slice(1) : argv, []);
  return { help: args.help, command: down ? "down" : "up" };
}

/** The options, or the run that ends the command first (`--help`, a usage error). */
export function sandboxCommandLine(argv: string[]): SandboxOptions | CommandRun {
  return optionsOrUsage("sandbox", SANDBOX_USAGE, argv, sandboxOptions);
}
