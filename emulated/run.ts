/**
 * `npm run test:emulated`: deploys the synthesized stacks, unchanged, with Terraform and the real
 * hashicorp/aws provider against an AWS emulator on 127.0.0.1 (moto server, through the
 * project's launcher), and checks what the emulated accounts hold with the AWS SDK. Each scenario
 * gets an emulator of its own, empty, and a temporary directory for its synth output, state and
 * logs. Nothing reaches AWS or any address but 127.0.0.1, and no caller credentials are used.
 *
 * Exit code: 0 every scenario passed, 1 a scenario failed, 2 it could not run (usage, no emulator,
 * no terraform, what the data-plane twin needs missing for a scenario that uses it).
 */
import { mkdirSync, rmSync, writeFileSync } from "fs";
import * as path from "path";
import { pool, installedProvider, setUpTerraform, terraformVersion } from "../lib/terraform/cli";
import { Emulator, findMoto, MotoInstallation, namedEmulator, reset, startEmulator } from "./emulator/emulator";
import { emulatedCommandLine } from "./options";
import { Scenario, ScenarioContext, seconds } from "./scenario";
import { missingRequirements, namespacesWork } from "./twin/system";
import { SCENARIOS } from "./scenarios";
import { emulatedEnvironment, tail } from "./workspace";
import { breakdown, CommandProfile, CpuBreakdown, formatProfile, totalCpu } from "./profile";


/**
 * How long a scenario may take in all: three times what it takes here with the others beside it
 * (its `seconds`), and never under 12 minutes. Each command has its own, shorter, limit.
 */
export function scenarioLimitMs(scenario: Pick<Scenario, "seconds">): number {
  return Math.max(12 * 60_000, 3 * scenario.seconds * 1000);
}


interface Outcome {
  readonly scenario: Scenario;
  readonly ok: boolean;
  readonly seconds: number;
  readonly report: string;
  readonly commands: CommandProfile[];
  readonly cpu: CpuBreakdown;
}

async function runScenario(scenario: Scenario, emulatorFor: () => Promise<Emulator>, env: NodeJS.ProcessEnv, moto: MotoInstallation | undefined, keep: boolean, profile: boolean): Promise<Outcome> {
  const started = Date.now();
  let context: ScenarioContext | undefined;
  let emulator: Emulator | undefined;
  let failure: string | undefined;
  try {
    emulator = await emulatorFor();
    context = new ScenarioContext(scenario.name, emulator, env, moto);
    let timer: NodeJS.Timeout | undefined;
    const limitMs = scenarioLimitMs(scenario);
    const limit = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`the scenario did not finish within ${limitMs / 60_000} minutes`)), limitMs);
    });
    const died = emulator.died.then((why) => Promise.reject(new Error(`${why}. ${tail(emulator!.log)}`)));
    try {
      await Promise.race([scenario.run(context), limit, died]);
    } finally {
      clearTimeout(timer);
    }
  } catch (error) {
    failure = error instanceof Error ? error.message : String(error);
    await Promise.all((context?.workspaces ?? []).map((w) => w.abort()));
  } finally {
    await Promise.all((context?.workspaces ?? []).map((w) => w.close()));
    await emulator?.stop();
  }
  const commands = context?.workspaces.flatMap((w) => w.commands) ?? [];
  const cpu = breakdown(commands, (emulator?.cpuSeconds() ?? 0) + (context?.extraEmulatorCpuSeconds ?? 0));
  const ok = failure === undefined;
  const dirs = context?.workspaces.map((w) => w.dir) ?? [];
  if (ok && !keep) {
    for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
    if (emulator?.owned) rmSync(emulator.log, { force: true });
  }
  const lines = [
    `${ok ? "ok  " : "FAIL"}  ${scenario.name}: ${scenario.title} (${seconds(started)}, ${totalCpu(cpu).toFixed(0)} CPU-s)`,
    ...(context?.lines ?? []),
    ...(failure ? [indent(failure)] : []),
    ...(profile ? [formatProfile(scenario.name, commands, cpu.emulator)] : []),
    ...(!ok || keep ? [...dirs.map((dir) => `  files: ${dir}`), ...(emulator?.owned ? [`  emulator log: ${emulator.log}`] : [])] : []),
  ];
  return { scenario, ok, seconds: (Date.now() - started) / 1000, report: lines.join("\n"), commands, cpu };
}

/** Writes every scenario's commands and CPU as JSON, beside the results; returns its path. */
function writeProfile(outcomes: Outcome[], runnerCpuSeconds: number): string {
  const dir = path.join(__dirname, "../node_modules/.cache/emulated");
  mkdirSync(dir, { recursive: true });
  const file = path.join(dir, "profile.json");
  const scenarios = outcomes.map((o) => ({ name: o.scenario.name, ok: o.ok, wallSeconds: o.seconds, cpu: o.cpu, commands: o.commands }));
  writeFileSync(file, `${JSON.stringify({ runnerCpuSeconds, scenarios }, null, 1)}\n`);
  return path.relative(process.cwd(), file);
}

const indent = (text: string) => text.split("\n").map((line) => `        ${line}`).join("\n");

async function main(argv: string[]): Promise<number> {
  const options = emulatedCommandLine(argv, SCENARIOS.map((s) => s.name));
  if ("code" in options) {
    process.stdout.write(options.stdout);
    process.stderr.write(options.stderr);
    return options.code;
  }
  if (options.list) {
    for (const s of SCENARIOS) process.stdout.write(`${s.name.padEnd(24)} ${s.title}\n`);
    return 0;
  }
  const version = terraformVersion();
  if (!version) {
    process.stderr.write("test:emulated: terraform is not on PATH: install Terraform >= 1.11 (https://developer.hashicorp.com/terraform/install).\n");
    return 2;
  }
  let moto: MotoInstallation | undefined;
  let shared: Emulator | undefined;
  if (options.emulator) {
    try {
      shared = await namedEmulator(options.emulator);
    } catch (error) {
      process.stderr.write(`test:emulated: ${(error as Error).message}\n`);
      return 2;
    }
    if (!shared.corrected) process.stderr.write(`test:emulated: ${options.emulator} is not the project's launcher: moto's differences from AWS are not corrected there, and scenarios may fail for them.\n`);
  } else {
    const found = findMoto();
    if ("missing" in found) {
      process.stderr.write(`test:emulated: no AWS emulator: ${found.missing}.\n`);
      return 2;
    }
    moto = found;
  }

  const setup = setUpTerraform();
  // Installed once into the shared plugin cache before scenarios init side by side.
  await installedProvider(setup.env);
  const home = path.join(require("os").tmpdir(), `emulated-home-${process.pid}`);
  const env = emulatedEnvironment(process.env, home, setup.env);
  const scenarios = SCENARIOS.filter((s) => !options.only || options.only.includes(s.name)).sort((x, y) => y.seconds - x.seconds);
  // The data-plane twin's needs (Linux, root, ip, nft, openssl, curl, dig), before minutes of deploys.
  const withTwin = scenarios.filter((s) => s.twin).map((s) => s.name);
  if (withTwin.length) {
    const missing = missingRequirements();
    const cannot = missing.length ? undefined : await namespacesWork();
    if (missing.length || cannot) {
      process.stderr.write(`test:emulated: ${withTwin.join(", ")} run the article's calls through the data-plane twin, which needs ${missing.length ? missing.join("; ") : cannot}; or leave them out with --only.\n`);
      return 2;
    }
  }
  const started = Date.now();
  const cpuAtStart = process.cpuUsage();
  process.stdout.write(`terraform ${version}, hashicorp/aws from ${setup.mirror ? `the mirror ${setup.mirror}` : "the public registry"}, ${shared ? `the emulator at ${shared.url}` : `moto ${moto ? "(the project's launcher)" : ""}`}; ${scenarios.length} scenarios, ${shared ? 1 : options.parallel} at a time\n\n`);

  const emulatorFor = async (name: string): Promise<Emulator> => {
    if (shared) {
      await reset(shared);
      return shared;
    }
    return startEmulator(moto!, path.join(require("os").tmpdir(), `emulated-${name}-${process.pid}-emulator.log`));
  };
  const outcomes = await pool(shared ? 1 : options.parallel, scenarios.map((scenario) => async () => {
    const outcome = await runScenario(scenario, () => emulatorFor(scenario.name), env, moto, options.keep, options.profile);
    process.stdout.write(`${outcome.report}\n\n`);
    return outcome;
  }));
  rmSync(home, { recursive: true, force: true });

  const runner = process.cpuUsage(cpuAtStart);
  const runnerCpu = (runner.user + runner.system) / 1e6;
  const suiteCpu = outcomes.reduce((n, o) => n + totalCpu(o.cpu), runnerCpu);
  process.stdout.write("Scenarios (wall, CPU-seconds: terraform + providers + node + emulator):\n");
  for (const o of outcomes) {
    const c = o.cpu;
    process.stdout.write(`  ${o.ok ? "ok  " : "FAIL"}  ${o.scenario.name.padEnd(24)} ${o.seconds.toFixed(1).padStart(6)} s ${totalCpu(c).toFixed(0).padStart(5)} CPU-s (${c.terraform.toFixed(0)} + ${c.provider.toFixed(0)} + ${c.node.toFixed(0)} + ${c.emulator.toFixed(0)})\n`);
  }
  const failed = outcomes.filter((o) => !o.ok).length;
  const profileFile = writeProfile(outcomes, runnerCpu);
  process.stdout.write(`${outcomes.length - failed} passed, ${failed} failed, in ${seconds(started)}, ${suiteCpu.toFixed(0)} CPU-seconds (the runner's own ${runnerCpu.toFixed(0)}); profile: ${profileFile}\n`);
  return failed ? 1 : 0;
}

if (require.main === module) {
  main(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (error: Error) => {
      process.stderr.write(`test:emulated: ${error.stack ?? error.message}\n`);
      process.exit(2);
    },
  );
}
