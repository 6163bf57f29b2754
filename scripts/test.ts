/**
 * `npm test`: the type check, jest and the Terraform tests, all started at once.
 *
 * The machine's cores are the limit: jest runs in one process (about one core), the type check is
 * `tsc -b`, which finds the project up to date in about a second when nothing changed since it
 * last passed (its build info remembers errors; a new install of the dependencies discards it),
 * and the Terraform tests keep two cores busy from their start. Started together, the Terraform
 * tests use the core jest leaves free; one after the other, it stood idle for jest's ten seconds.
 * tsc's and jest's outputs are printed whole once both have ended, then the Terraform tests' (what
 * they printed so far, then as it comes). A failure of tsc or jest stops the Terraform tests at
 * once and ends the run with that command's exit code, as `tsc && jest && test:terraform` would.
 */
import { spawn } from "child_process";
import { existsSync, rmSync, statSync } from "fs";
import * as os from "os";
import * as path from "path";
import { exitWith, optionsOrUsage, parseArgs } from "../lib/cli/command-line";

const ROOT = path.join(__dirname, "..");

interface Ran {
  readonly name: string;
  readonly code: number;
  readonly output: string;
  readonly seconds: number;
}

/** A node script and its arguments (`[script, ...args]`, run with this node). */
export interface NodeCommand {
  readonly name: string;
  readonly args: string[];
}

/** Where npm test's output goes. */
export interface Output {
  stdout(text: string): void;
  stderr(text: string): void;
}

/** Runs a node script with its output kept for later; `onEnd` is told its exit code as soon as it ends. */
function buffered({ name, args }: NodeCommand, cwd: string, onEnd: (code: number) => void): Promise<Ran> {
  const started = Date.now();
  return new Promise((resolve) => {
    const child = spawn(process.execPath, args, { cwd, env: process.env, stdio: ["ignore", "pipe", "pipe"] });
    let output = "";
    child.stdout.setEncoding("utf8").on("data", (chunk: string) => (output += chunk));
    child.stderr.setEncoding("utf8").on("data", (chunk: string) => (output += chunk));
    const end = (code: number, more = "") => {
      onEnd(code);
      resolve({ name, code, output: `${output}${more}`, seconds: (Date.now() - started) / 1000 });
    };
    child.on("error", (error) => end(1, `${error.message}\n`));
    child.on("close", (code) => end(code ?? 1));
  });
}

/** A node script whose output is kept until `show()`, then written as it comes. */
interface Held {
  /** Writes what it has printed so far (each line to the stream it was printed to), and from then on everything as it comes. */
  show(): void;
  /** Ends it and everything it started (its own process group); false when it had already ended. */
  stop(): boolean;
  /** Its exit code, once it and its output have ended. */
  readonly code: Promise<number>;
}

/** How long a stopped process group has to end on SIGTERM before it gets SIGKILL. */
const STOP_GRACE_MS = 5000;

function held({ args }: NodeCommand, cwd: string, out: Output, ownProcess: boolean): Held {
  // Its own process group, so that stop() reaches the terraform and provider processes it starts.
  const child = spawn(process.execPath, args, { cwd, env: process.env, stdio: ["ignore", "pipe", "pipe"], detached: true });
  let shown = false;
  let ended = false;
  const kept: [keyof Output, string][] = [];
  for (const stream of ["stdout", "stderr"] as const) {
    child[stream].setEncoding("utf8").on("data", (chunk: string) => (shown ? out[stream](chunk) : kept.push([stream, chunk])));
  }
  const code = new Promise<number>((resolve) => {
    child.on("error", (error) => {
      ended = true;
      (shown ? out.stderr : (text: string) => kept.push(["stderr", text]))(`${error.message}\n`);
      resolve(1);
    });
    child.on("close", (exit, signal) => {
      ended = true;
      resolve(exit ?? (signal ? 128 + (os.constants.signals[signal] ?? 0) : 1));
    });
  });
  const signalGroup = (signal: NodeJS.Signals) => {
    try {
      // The group, even when its first process has ended: what it started may still run.
      process.kill(-child.pid!, signal);
    } catch {
      // Nothing left in it.
    }
  };
  // Whatever ends npm test (an uncaught error, a closed pipe), the group does not outlive it.
  if (ownProcess) process.once("exit", () => signalGroup("SIGKILL"));
  return {
    show() {
      shown = true;
      for (const [stream, text] of kept.splice(0)) out[stream](text);
    },
    stop() {
      if (child.pid === undefined) return false;
      const wasRunning = !ended;
      signalGroup("SIGTERM");
      setTimeout(() => signalGroup("SIGKILL"), STOP_GRACE_MS).unref();
      return wasRunning;
    },
    code,
  };
}

/**
 * Runs `checks` (the type check, jest) and `last` (the Terraform tests) all at once, in `cwd`.
 * The checks' outputs are written whole as they all end, in their order, then `last`'s (what it
 * has printed so far, then as it comes). A check that fails stops `last` and everything it
 * started as soon as it fails, and its exit code is the result; else `last`'s is. `ownProcess`
 * (npm test's own run): an interrupt or the end of this process stops `last` too (its process
 * group is not the terminal's).
 */
export async function runTests(checks: NodeCommand[], last: NodeCommand, cwd: string, out: Output, ownProcess = false): Promise<number> {
  const terraformTests = held(last, cwd, out, ownProcess);
  if (ownProcess) {
    for (const signal of ["SIGINT", "SIGTERM", "SIGHUP"] as const) {
      process.once(signal, () => {
        terraformTests.stop();
        process.exit(128 + os.constants.signals[signal]);
      });
    }
  }
  let stopped = false;
  const runs = await Promise.all(checks.map((check) => buffered(check, cwd, (code) => {
    if (code !== 0 && !stopped) stopped = terraformTests.stop();
  })));
  for (const run of runs) out.stdout(`> ${run.name} (${run.seconds.toFixed(1)} s)\n${run.output}${run.output && !run.output.endsWith("\n") ? "\n" : ""}`);
  const failed = runs.find((run) => run.code !== 0);
  if (failed) {
    await terraformTests.code;
    // Had it ended on its own (no terraform, say), what it said is worth reading.
    if (!stopped) {
      out.stdout(`> ${last.name}\n`);
      terraformTests.show();
    }
    out.stderr(`npm test: ${failed.name} failed (exit ${failed.code})${stopped ? `; ${last.name} was stopped` : ""}.\n`);
    return failed.code;
  }
  out.stdout(`> ${last.name}\n`);
  terraformTests.show();
  return terraformTests.code;
}

export const TEST_USAGE = `usage: npm test

Every test that runs offline, all started at once: the type check (tsc -b: a project unchanged
since it last passed is not checked again), jest and the Terraform tests (npm run test:terraform);
their outputs are printed in that order. A part alone: npm run typecheck (every file, always),
npm run test:jest -- <jest options>, npm run test:terraform -- --case <name>.

  -h, --help  this text

Exit code: 0 every test passed, 1 a test failed (a failure of the type check or jest stops the
Terraform tests), 2 could not run (usage; no terraform >= 1.11, from the Terraform tests).`;

/** `npm test`'s options (none but --help), or the run that ends it first. */
export const testCommandLine = (argv: string[]) => optionsOrUsage("test", TEST_USAGE, argv, (args) => ({ help: parseArgs(args, []).help }));

/**
 * `tsc -b` trusts its build info while no source is newer: a dependency installed or upgraded
 * since (npm writes node_modules/.package-lock.json on every install) could bring types it has
 * not checked, so the build info older than that install is discarded and everything is checked.
 */
export function discardStaleBuildInfo(buildInfo = path.join(ROOT, "node_modules/.cache/tsconfig.tsbuildinfo"), installed = path.join(ROOT, "node_modules/.package-lock.json")): void {
  if (existsSync(buildInfo) && (!existsSync(installed) || statSync(installed).mtimeMs > statSync(buildInfo).mtimeMs)) rmSync(buildInfo);
}

async function main(): Promise<void> {
  const options = testCommandLine(process.argv.slice(2));
  if ("code" in options) exitWith(options);
  discardStaleBuildInfo();
  const code = await runTests(
    [
      { name: "typecheck (tsc -b)", args: [require.resolve("typescript/bin/tsc"), "-b", "."] },
      { name: "test:jest", args: [require.resolve("jest/bin/jest")] },
    ],
    { name: "test:terraform", args: ["--require", "tsx/cjs", path.join(ROOT, "scripts/terraform-test.ts")] },
    ROOT,
    { stdout: (text) => process.stdout.write(text), stderr: (text) => process.stderr.write(text) },
    true,
  );
  process.exit(code);
}

if (require.main === module) void main();
