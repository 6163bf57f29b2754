/**
 * `npm test`: the type check and jest side by side, then the Terraform tests.
 *
 * tsc and jest each keep about one core busy; the type check is `tsc -b`, which finds the project
 * up to date in about a second when nothing changed since it last passed (its build info
 * remembers errors; a new install of the dependencies discards it), where `tsc -p` parses and
 * binds every file again (about 12 CPU-seconds). The Terraform tests keep both cores busy on
 * their own, so they run alone. Each command's output is printed whole once it ends (tsc's
 * first), and the first failure ends the run with that command's exit code, as
 * `tsc && jest && test:terraform` would.
 */
import { spawn } from "child_process";
import { existsSync, rmSync, statSync } from "fs";
import * as path from "path";
import { exitWith, optionsOrUsage, parseArgs } from "../lib/cli/command-line";

const ROOT = path.join(__dirname, "..");

interface Ran {
  readonly name: string;
  readonly code: number;
  readonly output: string;
  readonly seconds: number;
}

/** Runs a node script of the project with its output kept for later. */
function buffered(name: string, args: string[]): Promise<Ran> {
  const started = Date.now();
  return new Promise((resolve) => {
    const child = spawn(process.execPath, args, { cwd: ROOT, env: process.env, stdio: ["ignore", "pipe", "pipe"] });
    let output = "";
    child.stdout.on("data", (chunk) => (output += chunk));
    child.stderr.on("data", (chunk) => (output += chunk));
    child.on("error", (error) => resolve({ name, code: 1, output: `${output}${error.message}\n`, seconds: (Date.now() - started) / 1000 }));
    child.on("close", (code) => resolve({ name, code: code ?? 1, output, seconds: (Date.now() - started) / 1000 }));
  });
}

/** Runs a node script of the project with its output as it comes. */
function inherited(args: string[]): Promise<number> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, args, { cwd: ROOT, env: process.env, stdio: "inherit" });
    child.on("error", () => resolve(1));
    child.on("close", (code) => resolve(code ?? 1));
  });
}

export const TEST_USAGE = `usage: npm test

Every test that runs offline: the type check (tsc -b: a project unchanged since it last passed is
not checked again) and jest side by side, then the Terraform tests (npm run test:terraform). A
part alone: npm run typecheck (every file, always), npm run test:jest -- <jest options>,
npm run test:terraform -- --case <name>.

  -h, --help  this text

Exit code: 0 every test passed, 1 a test failed (the Terraform tests do not run after a failure of
the others), 2 could not run (usage; no terraform >= 1.11, from the Terraform tests).`;

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
  const runs = await Promise.all([
    buffered("typecheck (tsc -b)", [require.resolve("typescript/bin/tsc"), "-b", "."]),
    buffered("test:jest", [require.resolve("jest/bin/jest")]),
  ]);
  for (const run of runs) {
    process.stdout.write(`> ${run.name} (${run.seconds.toFixed(1)} s)\n${run.output}`);
    if (!run.output.endsWith("\n") && run.output) process.stdout.write("\n");
  }
  const failed = runs.find((run) => run.code !== 0);
  if (failed) {
    process.stderr.write(`npm test: ${failed.name} failed (exit ${failed.code}); the Terraform tests did not run.\n`);
    process.exit(failed.code);
  }
  process.stdout.write("> test:terraform\n");
  process.exit(await inherited(["--require", "tsx/cjs", path.join(ROOT, "scripts/terraform-test.ts")]));
}

if (require.main === module) void main();
