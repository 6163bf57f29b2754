/**
 * `npm run bench`: times the project's everyday commands against the floor app in bench/floor
 * (the stock `cdktf init` shape: one stack, one aws_vpc, ts-node, ts-jest), interleaved
 * ours/floor, and prints medians, ranges, peak memory and the ratios the project targets.
 * Writes bench/results.json. Usage: npm run bench [-- --pairs N]
 */
import { spawnSync } from "child_process";
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "fs";
import * as os from "os";
import * as path from "path";
import { EXIT, exitWith, optionsOrUsage, parseArgs, UsageError } from "../lib/cli/command-line";
import { requireTerraform, setUpTerraform } from "../lib/terraform/cli";

const ROOT = path.join(__dirname, "..");
const FLOOR = path.join(__dirname, "floor");
const GNU_TIME = "/usr/bin/time";

export const BENCH_USAGE = `usage: npm run bench -- [--pairs <n>]

Times the project's everyday commands against the floor app in bench/floor, interleaved, n pairs
each (default 5), and writes bench/results.json. Exit code: 0 every budget met, 1 a budget missed,
2 could not run (usage, no terraform).`;

/** `npm run bench`'s options. @throws UsageError */
export function benchOptions(argv: string[]): { help: boolean; pairs: number } {
  const args = parseArgs(argv, [{ name: "--pairs", value: "a whole number of at least 5" }]);
  const pairs = Number(args.values["--pairs"]?.[0] ?? 5);
  if (!args.help && (!Number.isInteger(pairs) || pairs < 5)) throw new UsageError(`--pairs needs a whole number of at least 5, got ${args.values["--pairs"]![0]}`);
  return { help: args.help, pairs };
}

/** `npm run bench`'s options, or the run that ends it first (--help, a usage error). */
export const benchCommandLine = (argv: string[]) => optionsOrUsage("bench", BENCH_USAGE, argv, benchOptions);

/** The budgets every change keeps, as ratios to the floor. */
const BUDGETS = { appSynth: 0.25, appMemory: 0.45, cdktfSynth: 0.65, jest: 1.3 } as const;

interface Command {
  readonly cmd: string;
  readonly args: string[];
  readonly cwd: string;
  readonly env?: NodeJS.ProcessEnv;
}

interface Sample {
  readonly seconds: number;
  /** Peak resident memory of the largest process, in MiB (undefined without GNU time). */
  readonly peakMiB?: number;
}

/** Runs `command` once and returns its wall time and peak memory; fails the bench if it fails. */
function sample(command: Command): Sample {
  const timed = existsSync(GNU_TIME);
  const [cmd, args] = timed ? [GNU_TIME, ["-f", "@@peak-kb %M", command.cmd, ...command.args]] : [command.cmd, command.args];
  const started = process.hrtime.bigint();
  const run = spawnSync(cmd, args, { cwd: command.cwd, env: command.env ?? process.env, encoding: "utf8", maxBuffer: 64 * 1024 * 1024 });
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  if (run.status !== 0) {
    throw new Error(`${command.cmd} ${command.args.join(" ")} (in ${path.relative(ROOT, command.cwd) || "."}) failed:\n${run.stdout}\n${run.stderr}`);
  }
  const peak = /@@peak-kb (\d+)/.exec(run.stderr);
  return { seconds, peakMiB: peak ? Number(peak[1]) / 1024 : undefined };
}

const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
};

interface Stats {
  readonly median: number;
  readonly min: number;
  readonly max: number;
  readonly peakMiB?: number;
  readonly samples: number[];
}

function stats(samples: Sample[]): Stats {
  const seconds = samples.map((s) => s.seconds);
  const peaks = samples.map((s) => s.peakMiB).filter((p): p is number => p !== undefined);
  return { median: median(seconds), min: Math.min(...seconds), max: Math.max(...seconds), peakMiB: peaks.length ? median(peaks) : undefined, samples: seconds };
}

interface Measurement {
  readonly name: string;
  readonly ours: Stats;
  readonly floor?: Stats;
  readonly ratio?: number;
  readonly target?: number;
  readonly memoryRatio?: number;
  readonly memoryTarget?: number;
}

/** One warm-up of each, then `pairs` interleaved runs: ours, floor, ours, floor, ... */
function measure(name: string, ours: Command, floor: Command | undefined, pairs: number, target?: number, memoryTarget?: number): Measurement {
  process.stderr.write(`${name}: warm-up`);
  sample(ours);
  if (floor) sample(floor);
  const oursSamples: Sample[] = [];
  const floorSamples: Sample[] = [];
  for (let i = 0; i < pairs; i++) {
    process.stderr.write(` ${i + 1}`);
    oursSamples.push(sample(ours));
    if (floor) floorSamples.push(sample(floor));
  }
  process.stderr.write("\n");
  const o = stats(oursSamples);
  const f = floor ? stats(floorSamples) : undefined;
  return {
    name,
    ours: o,
    floor: f,
    ratio: f ? o.median / f.median : undefined,
    target,
    memoryRatio: f && memoryTarget !== undefined && o.peakMiB && f.peakMiB ? o.peakMiB / f.peakMiB : undefined,
    memoryTarget,
  };
}

/** The `app` command of a cdktf.json, as `cdktf synth` runs it. */
function appCommand(dir: string): Command {
  const [cmd, ...args] = (JSON.parse(readFileSync(path.join(dir, "cdktf.json"), "utf8")).app as string).split(" ");
  return { cmd, args, cwd: dir };
}

function main(): void {
  const options = benchCommandLine(process.argv.slice(2));
  if ("code" in options) exitWith(options);
  const { pairs } = options;
  const terraformVersion = requireTerraform("1.11");
  const { env: tfEnv, mirror } = setUpTerraform();
  const env = { ...tfEnv, CHECKPOINT_DISABLE: "1" };
  const out = mkdtempSync(path.join(os.tmpdir(), "bench-"));
  const outdir = (name: string) => ({ ...env, CDKTF_OUTDIR: path.join(out, name) });
  const npx = (cwd: string, args: string[], extraEnv: NodeJS.ProcessEnv = env): Command => ({ cmd: "npx", args, cwd, env: extraEnv });

  // The floor's stack directory, with its one mocked test, for the Terraform step.
  const floorOut = path.join(out, "floor-tf");
  sample({ cmd: "npx", args: ["ts-node", "main.ts"], cwd: FLOOR, env: { ...env, CDKTF_OUTDIR: floorOut } });
  const floorStack = path.join(floorOut, "stacks/floor");
  mkdirSync(path.join(floorStack, "tests"), { recursive: true });
  copyFileSync(path.join(FLOOR, "floor.tftest.hcl"), path.join(floorStack, "tests/floor.tftest.hcl"));
  const floorTerraform: Command = {
    cmd: "bash",
    args: ["-c", "rm -rf .terraform .terraform.lock.hcl && terraform init -backend=false -input=false >/dev/null && terraform validate >/dev/null && terraform test >/dev/null"],
    cwd: floorStack,
    env,
  };

  // Account B with 50 consumers (account A and 49 more: AWS's default quota of 50 peerings per VPC).
  const manyConsumers = path.join(out, "fifty-consumers.json");
  const example = JSON.parse(readFileSync(path.join(ROOT, "config/example.json"), "utf8"));
  writeFileSync(manyConsumers, JSON.stringify({
    ...example,
    consumers: Array.from({ length: 49 }, (_, i) => ({ name: `team-${i + 1}`, accountId: String(300000000001 + i), region: "ap-northeast-1", vpcCidr: `10.${i + 1}.0.0/16` })),
  }));
  const withConfig = (name: string, file?: string) => ({ ...outdir(name), ...(file ? { CONFIG_FILE: file } : {}) });

  const results: Measurement[] = [
    measure("app synth, both stacks (cdktf.json app; npm run synth)", { ...appCommand(ROOT), env: outdir("ours-app") }, { ...appCommand(FLOOR), env: outdir("floor-app") }, pairs, BUDGETS.appSynth, BUDGETS.appMemory),
    measure("cdktf synth, both stacks", npx(ROOT, ["cdktf", "synth", "--output", path.join(out, "ours-cli")]), npx(FLOOR, ["cdktf", "synth", "--output", path.join(out, "floor-cli")]), pairs, BUDGETS.cdktfSynth),
    measure("jest suite (floor: one test, stock ts-jest)", npx(ROOT, ["jest", "--silent"]), npx(FLOOR, ["jest", "--silent"]), pairs, BUDGETS.jest),
    measure("terraform test, both stacks (example config)", { cmd: "node", args: ["--require", "tsx/cjs", "scripts/terraform-test.ts", "--case", "example"], cwd: ROOT, env }, floorTerraform, pairs),
    // Scale: here the baseline ("floor" column) is our own two-stack synth.
    measure("app synth, B + 50 consumers (baseline: ours, both stacks)", { ...appCommand(ROOT), env: withConfig("ours-50", manyConsumers) }, { ...appCommand(ROOT), env: withConfig("ours-2") }, pairs, 2, 1.5),
    measure("cdktf synth, B + 50 consumers (baseline: ours, both stacks)", npx(ROOT, ["cdktf", "synth", "--output", path.join(out, "ours-cli-50")], withConfig("unused-50", manyConsumers)), npx(ROOT, ["cdktf", "synth", "--output", path.join(out, "ours-cli-2")]), pairs, 1.5),
  ];

  const machine = `${os.cpus()[0]?.model ?? "unknown CPU"}, ${os.availableParallelism()} cores, ${Math.round(os.totalmem() / 2 ** 30)} GiB, Node ${process.version}, Terraform ${terraformVersion}, hashicorp/aws from ${mirror ? "a filesystem mirror" : "the registry"}`;
  const fmt = (s: Stats) => `${s.median.toFixed(2)} s (${s.min.toFixed(2)}–${s.max.toFixed(2)})`;
  console.log(`\nMachine: ${machine}; ${pairs} interleaved pairs each\n`);
  console.log(`| measurement | ours: median (min–max) | floor: median (min–max) | ours/floor | target | |`);
  console.log(`|---|---|---|---|---|---|`);
  for (const m of results) {
    const verdict = m.ratio === undefined || m.target === undefined ? "" : m.ratio <= m.target ? "met" : "MISSED";
    console.log(`| ${m.name} | ${fmt(m.ours)} | ${m.floor ? fmt(m.floor) : "–"} | ${m.ratio?.toFixed(2) ?? "–"} | ${m.target !== undefined ? `≤ ${m.target}` : "–"} | ${verdict} |`);
    if (m.memoryRatio !== undefined) {
      const verdictMemory = m.memoryRatio <= (m.memoryTarget ?? Infinity) ? "met" : "MISSED";
      console.log(`| ↳ peak memory | ${m.ours.peakMiB!.toFixed(0)} MiB | ${m.floor!.peakMiB!.toFixed(0)} MiB | ${m.memoryRatio.toFixed(2)} | ≤ ${m.memoryTarget} | ${verdictMemory} |`);
    }
  }
  const file = path.join(__dirname, "results.json");
  writeFileSync(file, JSON.stringify({ date: new Date().toISOString(), machine, pairs, results }, null, 2) + "\n");
  console.log(`\nWritten: ${path.relative(ROOT, file)}`);
  // The budgets every change keeps are the first three rows; the others are measurements for docs/speed.md.
  const missed = results.slice(0, 3).some((m) => (m.ratio !== undefined && m.target !== undefined && m.ratio > m.target) || (m.memoryRatio !== undefined && m.memoryTarget !== undefined && m.memoryRatio > m.memoryTarget));
  process.exit(missed ? EXIT.failed : EXIT.passed);
}

if (require.main === module) main();
