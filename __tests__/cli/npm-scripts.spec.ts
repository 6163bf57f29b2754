import { execFileSync } from "child_process";
import { mkdtempSync, readFileSync } from "fs";
import { tmpdir } from "os";
import * as path from "path";
import { benchCommandLine } from "../../bench/run";
import { emulatedCommandLine } from "../../emulated/options";
import { sandboxCommandLine } from "../../emulated/sandbox-options";
import { CommandRun } from "../../lib/cli/command-line";
import { rollout } from "../../lib/deploy/run-rollout";
import { doctor } from "../../lib/doctor/run-doctor";
import { drift } from "../../lib/drift/run-drift";
import { permissionsCommand } from "../../lib/permissions/run-permissions";
import { preflight } from "../../lib/preflight/run-preflight-command";
import { synthDiffCommand } from "../../lib/review/run-synth-diff";
import { setupTerraformCommandLine } from "../../scripts/setup-terraform";
import { terraformTestCommandLine } from "../../scripts/terraform-test";
import { testCommandLine } from "../../scripts/test";

const ROOT = path.join(__dirname, "../..");
const pkg = JSON.parse(readFileSync(path.join(ROOT, "package.json"), "utf8"));

/** What a command printed, whether it returns it or writes it to the process's streams. */
async function captured(run: () => CommandRun | Promise<CommandRun> | number | Promise<number>): Promise<CommandRun> {
  const out: string[] = [];
  const err: string[] = [];
  const stdout = jest.spyOn(process.stdout, "write").mockImplementation((chunk) => (out.push(String(chunk)), true));
  const stderr = jest.spyOn(process.stderr, "write").mockImplementation((chunk) => (err.push(String(chunk)), true));
  try {
    const result = await run();
    return typeof result === "number" ? { code: result as CommandRun["code"], stdout: out.join(""), stderr: err.join("") } : result;
  } finally {
    stdout.mockRestore();
    stderr.mockRestore();
  }
}

/** A command line's verdict when it ends the command before it starts; anything else is no run at all. */
const ended = (result: CommandRun | object): CommandRun => ("code" in result ? (result as CommandRun) : { code: -1 as never, stdout: "it went on", stderr: "" });

/** `node <file> <argv>` as npm runs it: for the one command that is plain JavaScript (cdktf's app command). */
function node(file: string, argv: string[]): CommandRun {
  try {
    return { code: 0, stdout: execFileSync(process.execPath, [path.join(ROOT, file), ...argv], { cwd: ROOT, encoding: "utf8", stdio: ["ignore", "pipe", "pipe"], env: { ...process.env, CDKTF_OUTDIR: path.join(mkdtempSync(path.join(tmpdir(), "synth-help-")), "out") } }), stderr: "" };
  } catch (error) {
    const failed = error as { status: number; stdout: string; stderr: string };
    return { code: failed.status as CommandRun["code"], stdout: failed.stdout, stderr: failed.stderr };
  }
}

const rolloutRoot = () => mkdtempSync(path.join(tmpdir(), "scripts-rollout-"));

/**
 * Every npm script a user runs: the file its package.json command runs, and that command's
 * `--help` and one usage error, run in process where the command is a function (all but synth).
 */
const COMMANDS: Record<string, { file: string; help: () => Promise<CommandRun> | CommandRun; usageError: () => Promise<CommandRun> | CommandRun; message: string }> = {
  synth: { file: "scripts/app.js", help: () => node("scripts/app.js", ["--help"]), usageError: () => node("scripts/app.js", ["--verbose"]), message: 'unknown option "--verbose"' },
  deploy: { file: "scripts/rollout.ts deploy", help: () => captured(() => rollout("deploy", ["--help"], rolloutRoot())), usageError: () => captured(() => rollout("deploy", ["--yes"], rolloutRoot())), message: 'unknown option "--yes"' },
  destroy: { file: "scripts/rollout.ts destroy", help: () => captured(() => rollout("destroy", ["-h"], rolloutRoot())), usageError: () => captured(() => rollout("destroy", ["account-a"], rolloutRoot())), message: 'unknown argument "account-a"' },
  preflight: { file: "scripts/preflight.ts", help: () => preflight(["--help"]), usageError: () => preflight(["--plan"]), message: "--plan needs <stack>=<file>, such as account-b=b.json" },
  doctor: { file: "scripts/doctor.ts", help: () => doctor(["--help"], {}), usageError: () => doctor(["--fix"], {}), message: 'unknown option "--fix"' },
  drift: { file: "scripts/drift.ts", help: () => drift(["--help"], {}), usageError: () => drift(["--stack"], {}), message: 'unknown option "--stack"' },
  permissions: { file: "scripts/permissions.ts", help: () => permissionsCommand(["--help"], {}), usageError: () => permissionsCommand(["--policy"], {}), message: 'unknown option "--policy"' },
  "synth-diff": { file: "scripts/synth-diff.ts", help: () => synthDiffCommand(["--help"], {}), usageError: () => synthDiffCommand(["cdktf.out"], {}), message: "expected two directories, got 1" },
  bench: { file: "bench/run.ts", help: () => ended(benchCommandLine(["--help"])), usageError: () => ended(benchCommandLine(["--pairs", "2"])), message: "--pairs needs a whole number of at least 5, got 2" },
  test: { file: "scripts/test.ts", help: () => ended(testCommandLine(["--help"])), usageError: () => ended(testCommandLine(["--watch"])), message: 'unknown option "--watch"' },
  "test:terraform": {
    file: "scripts/terraform-test.ts",
    help: () => ended(terraformTestCommandLine(["--help"])),
    usageError: () => ended(terraformTestCommandLine(["--case", "nosuch"])),
    message: "--case: no configuration named nosuch; expected one of example, cross-region, existing-vpcs, same-account, two-apis, many-consumers",
  },
  "setup:terraform": { file: "scripts/setup-terraform.ts", help: () => ended(setupTerraformCommandLine(["--help"])), usageError: () => ended(setupTerraformCommandLine(["--mirror"])), message: 'unknown option "--mirror"' },
  sandbox: { file: "emulated/sandbox.ts", help: () => ended(sandboxCommandLine(["--help"])), usageError: () => ended(sandboxCommandLine(["--fast"])), message: 'unknown option "--fast"' },
  "test:emulated": { file: "emulated/run.ts", help: () => ended(emulatedCommandLine(["--help"], ["rollout"])), usageError: () => ended(emulatedCommandLine(["--parallel", "0"], ["rollout"])), message: "--parallel needs a whole number of at least 1, got 0" },
};

describe("every npm script: usage on --help, exit 2 on a usage error", () => {
  test("each script a user runs is here, with the file its command runs (typecheck and test:jest are tsc and jest themselves)", () => {
    const scripts = Object.keys(pkg.scripts).filter((script) => !["typecheck", "test:jest"].includes(script));
    expect(scripts.sort()).toEqual(Object.keys(COMMANDS).sort());
    for (const [script, { file }] of Object.entries(COMMANDS)) expect([script, pkg.scripts[script]]).toEqual([script, expect.stringContaining(file)]);
  });

  test.each(Object.keys(COMMANDS))("npm run %s -- --help: the usage on stdout, with the exit codes; exit 0, nothing else done", async (script) => {
    const run = await COMMANDS[script].help();
    expect(run).toMatchObject({ code: 0, stderr: "" });
    expect(run.stdout).toMatch(new RegExp(`^usage: npm (run (-s )?)?${script.replace(/[:-]/g, "\\$&")}( |\\n)`));
    expect(run.stdout).toMatch(/Exit code: 0 /);
  });

  test.each(Object.keys(COMMANDS))("npm run %s with a usage error: exit 2, one line naming the argument and what is expected, then the usage line", async (script) => {
    const run = await COMMANDS[script].usageError();
    expect(run).toEqual({ code: 2, stdout: "", stderr: expect.stringMatching(new RegExp(`^[\\w:-]+: ${COMMANDS[script].message.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}; usage: npm (run (-s )?)?${script.replace(/[:-]/g, "\\$&")}[^\\n]*\\n$`)) });
  });
});
