/**
 * Where the emulated suite's time goes: every command a scenario runs, with its wall time and the
 * CPU of its process tree, the CPU of each stack's provider process, of the emulator and of the
 * runner itself. `npm run test:emulated -- --profile` prints it per scenario and step; every run
 * writes it as JSON beside its results, so the next slowdown shows where it starts.
 */
import { existsSync, readFileSync } from "fs";

/** What kind of work a command is, for the breakdown. */
export type CommandKind = "init" | "plan" | "apply" | "destroy" | "show" | "output" | "state" | "synth" | "project";

/** One command a scenario ran. */
export interface CommandProfile {
  /** The scenario step it ran in. */
  readonly step: string;
  readonly kind: CommandKind;
  /** `terraform plan account-b`, `npm run doctor`, `synth`. */
  readonly label: string;
  readonly wallSeconds: number;
  /** CPU of the command and every process it waited for (terraform and the providers it started). */
  readonly cpuSeconds: number;
  /** CPU the stack's reattached provider process spent while it ran (0 when none was reattached). */
  readonly providerCpuSeconds: number;
}

/** The CPU a process has used so far (user + system), in seconds; 0 once it is gone. */
export function processCpuSeconds(pid: number | undefined): number {
  if (!pid || !existsSync(`/proc/${pid}/stat`)) return 0;
  try {
    // Fields after the command name (which may hold spaces): utime and stime are the 14th and 15th.
    const fields = readFileSync(`/proc/${pid}/stat`, "utf8").replace(/^.*\)\s/, "").split(" ");
    return (Number(fields[11]) + Number(fields[12])) / CLOCK_TICKS;
  } catch {
    return 0;
  }
}

/** Linux's USER_HZ, the unit of /proc/<pid>/stat's times. */
const CLOCK_TICKS = 100;

/**
 * A command line that runs `cmd args` under bash and writes, once it ends, the CPU of everything
 * it waited for (bash's `times`, second line) to `cpuFile`. The exit code is the command's.
 */
export function measured(cpuFile: string, cmd: string, args: string[]): [string, string[]] {
  return ["bash", ["-c", 'f="$1"; shift; "$@"; rc=$?; times > "$f"; exit $rc', "measured", cpuFile, cmd, ...args]];
}

/** The children's CPU that `measured` wrote (`0m1.234s 0m0.456s` on the second line), in seconds. */
export function measuredCpuSeconds(cpuFile: string): number {
  if (!existsSync(cpuFile)) return 0;
  const line = readFileSync(cpuFile, "utf8").trim().split("\n")[1] ?? "";
  return [...line.matchAll(/(\d+)m([\d.]+)s/g)].reduce((sum, m) => sum + Number(m[1]) * 60 + Number(m[2]), 0);
}

/** A scenario's CPU by where it went, in seconds. */
export interface CpuBreakdown {
  /** Terraform CLI commands (with providers they started themselves). */
  terraform: number;
  /** Reattached provider processes. */
  provider: number;
  /** The project's own commands (node: doctor, drift, synths) with the terraform they ran. */
  node: number;
  /** The emulator processes of the scenario. */
  emulator: number;
}

/** Sums a scenario's commands and emulator CPU into a breakdown. */
export function breakdown(commands: CommandProfile[], emulatorCpuSeconds: number): CpuBreakdown {
  const sum = (list: CommandProfile[], pick: (c: CommandProfile) => number) => list.reduce((n, c) => n + pick(c), 0);
  const nodeKinds: CommandKind[] = ["synth", "project"];
  return {
    terraform: sum(commands.filter((c) => !nodeKinds.includes(c.kind)), (c) => c.cpuSeconds),
    provider: sum(commands, (c) => c.providerCpuSeconds),
    node: sum(commands.filter((c) => nodeKinds.includes(c.kind)), (c) => c.cpuSeconds),
    emulator: emulatorCpuSeconds,
  };
}

/** The total of a breakdown. */
export const totalCpu = (cpu: CpuBreakdown) => cpu.terraform + cpu.provider + cpu.node + cpu.emulator;

/** Counts of commands by kind: `apply 3, plan 2`. */
export function commandCounts(commands: CommandProfile[]): string {
  const counts = new Map<string, number>();
  for (const c of commands) counts.set(c.kind, (counts.get(c.kind) ?? 0) + 1);
  return [...counts].map(([kind, n]) => `${kind} ${n}`).join(", ");
}

/** The profile of one scenario as text: its steps, each with its commands. */
export function formatProfile(scenario: string, commands: CommandProfile[], emulatorCpuSeconds: number): string {
  const cpu = breakdown(commands, emulatorCpuSeconds);
  const f = (n: number) => n.toFixed(1);
  const lines = [
    `  profile of ${scenario}: ${f(totalCpu(cpu))} CPU-s (terraform ${f(cpu.terraform)}, providers ${f(cpu.provider)}, node ${f(cpu.node)}, emulator ${f(cpu.emulator)}); ${commandCounts(commands)}`,
  ];
  const steps = [...new Set(commands.map((c) => c.step))];
  for (const step of steps) {
    const own = commands.filter((c) => c.step === step);
    const stepCpu = own.reduce((n, c) => n + c.cpuSeconds + c.providerCpuSeconds, 0);
    lines.push(`    ${step}: ${f(stepCpu)} CPU-s`);
    for (const c of own) lines.push(`      ${c.label.padEnd(40)} ${f(c.wallSeconds).padStart(6)} s  cpu ${f(c.cpuSeconds).padStart(5)}  provider ${f(c.providerCpuSeconds).padStart(5)}`);
  }
  return lines.join("\n");
}
