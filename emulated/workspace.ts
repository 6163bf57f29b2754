import { spawn } from "child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "fs";
import { tmpdir } from "os";
import * as path from "path";
import { EMULATOR_CREDENTIALS } from "./aws";
import type { Emulator } from "./emulator/emulator";
import { stopProcess } from "./emulator/emulator";

const ROOT = path.join(__dirname, "..");

/** AWS services the stacks call: each is pointed at the emulator. */
const SERVICES = ["apigateway", "cloudformation", "cloudwatchlogs", "ec2", "iam", "lambda", "route53", "s3", "sts"];

/** How long one command may take before the scenario fails with its log. */
export const TIME_LIMITS = { init: 120_000, apply: 300_000, plan: 180_000, destroy: 300_000, project: 240_000 } as const;

/** A command that failed or did not end in time: its log's path and last lines are in the message. */
export class StepFailed extends Error {}

/** What a finished command printed and how it ended. */
export interface Finished {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
  /** The log file holding both streams. */
  readonly log: string;
}

/**
 * The environment every emulated command runs with, built from nothing but what a process needs
 * (PATH, the locale) and the suite's own settings: no caller AWS credentials, profile, config file,
 * region or metadata service can reach a run, whatever `parent` holds.
 */
export function emulatedEnvironment(parent: NodeJS.ProcessEnv, home: string, terraform: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const kept = Object.fromEntries(["PATH", "LANG", "LC_ALL", "TERM"].filter((k) => parent[k] !== undefined).map((k) => [k, parent[k]]));
  const tf = Object.fromEntries(Object.entries(terraform).filter(([k]) => k.startsWith("TF_") || k === "CHECKPOINT_DISABLE"));
  return {
    ...kept,
    ...tf,
    HOME: home,
    AWS_ACCESS_KEY_ID: EMULATOR_CREDENTIALS.accessKeyId,
    AWS_SECRET_ACCESS_KEY: EMULATOR_CREDENTIALS.secretAccessKey,
    AWS_CONFIG_FILE: path.join(home, "no-aws-config"),
    AWS_SHARED_CREDENTIALS_FILE: path.join(home, "no-aws-credentials"),
    AWS_EC2_METADATA_DISABLED: "true",
    CHECKPOINT_DISABLE: "1",
    NO_COLOR: "1",
  };
}

/**
 * One scenario's own copy of a deployment: a configuration file, its synthesized stacks in a
 * temporary directory with Terraform override files beside each `cdk.tf.json` that point the
 * stack's provider at the emulator and at one emulated account (through assume_role), and the
 * stacks' local state next to them. The synth output itself is not changed.
 */
export class Workspace {
  readonly dir: string;
  readonly outdir: string;
  readonly configFile: string;
  private readonly logs: string;
  private step = 0;
  private readonly initialized = new Set<string>();
  private readonly running = new Set<import("child_process").ChildProcess>();

  constructor(
    readonly name: string,
    private readonly emulator: Emulator,
    private readonly env: NodeJS.ProcessEnv,
  ) {
    this.dir = mkdtempSync(path.join(tmpdir(), `emulated-${name}-`));
    this.outdir = path.join(this.dir, "cdktf.out");
    this.configFile = path.join(this.dir, "config.json");
    this.logs = path.join(this.dir, "logs");
    mkdirSync(this.logs);
  }

  /** Writes `config` and synthesizes it with the app command of cdktf.json, as `cdktf synth` does; then the override files. */
  async synthesize(config: unknown): Promise<void> {
    writeFileSync(this.configFile, JSON.stringify(config, null, 2));
    const [cmd, ...args] = (JSON.parse(readFileSync(path.join(ROOT, "cdktf.json"), "utf8")).app as string).split(" ");
    await this.run("synth", cmd, args, ROOT, TIME_LIMITS.project);
    for (const stack of this.stacks()) this.pointAtEmulator(stack);
  }

  /** The stacks of the last synth. */
  stacks(): string[] {
    return Object.keys(JSON.parse(readFileSync(path.join(this.outdir, "manifest.json"), "utf8")).stacks);
  }

  stackDir(stack: string): string {
    return path.join(this.outdir, "stacks", stack);
  }

  /** The synthesized Terraform JSON of `stack`. */
  synthesized(stack: string): any {
    return JSON.parse(readFileSync(path.join(this.stackDir(stack), "cdk.tf.json"), "utf8"));
  }

  /**
   * `emulator_override.tf.json` beside the stack's cdk.tf.json: Terraform merges it into the
   * provider block of the same alias. The stack acts in the account its provider is pinned to,
   * through assume_role (moto maps the assumed role's credentials to the role's account).
   */
  private pointAtEmulator(stack: string): void {
    const json = this.synthesized(stack);
    const backend = json.terraform?.backend?.local?.path;
    if (!backend || !path.resolve(this.stackDir(stack), backend).startsWith(this.dir + path.sep)) {
      throw new StepFailed(`${stack}: the emulated scenarios need the local backend with a state path inside the workspace, found ${JSON.stringify(json.terraform?.backend)}`);
    }
    const providers = (json.provider?.aws ?? []).map((p: any) => ({
      alias: p.alias,
      access_key: EMULATOR_CREDENTIALS.accessKeyId,
      secret_key: EMULATOR_CREDENTIALS.secretAccessKey,
      profile: null,
      skip_metadata_api_check: "true",
      assume_role: [{ role_arn: p.assume_role?.[0]?.role_arn ?? `arn:aws:iam::${p.allowed_account_ids[0]}:role/emulated-deployer`, session_name: p.assume_role?.[0]?.session_name ?? "emulated" }],
      endpoints: [Object.fromEntries(SERVICES.map((s) => [s, this.emulator.url]))],
    }));
    writeFileSync(path.join(this.stackDir(stack), "emulator_override.tf.json"), `${JSON.stringify({ provider: { aws: providers } }, null, 2)}\n`);
  }

  /** `terraform apply` of `stack` (init first, once): what it printed. */
  async deploy(stack: string): Promise<string> {
    await this.init(stack);
    return (await this.terraform(stack, ["apply", "-auto-approve", "-input=false"], TIME_LIMITS.apply)).stdout;
  }

  /** `terraform destroy` of `stack`. */
  async destroy(stack: string): Promise<string> {
    await this.init(stack);
    return (await this.terraform(stack, ["destroy", "-auto-approve", "-input=false"], TIME_LIMITS.destroy)).stdout;
  }

  /** `terraform plan` of `stack` and its JSON (`terraform show -json`). */
  async plan(stack: string, args: string[] = []): Promise<any> {
    await this.init(stack);
    const file = path.join(this.dir, `${stack}-${this.step + 1}.tfplan`);
    await this.terraform(stack, ["plan", "-input=false", `-out=${file}`, ...args], TIME_LIMITS.plan);
    return JSON.parse((await this.terraform(stack, ["show", "-json", file], TIME_LIMITS.plan)).stdout);
  }

  /** The stack's outputs, by name (sensitive ones included). */
  async outputs(stack: string): Promise<Record<string, any>> {
    const shown = JSON.parse((await this.terraform(stack, ["output", "-json"], TIME_LIMITS.plan)).stdout);
    return Object.fromEntries(Object.entries<any>(shown).map(([k, v]) => [k, v.value]));
  }

  /** The stack's state as `terraform show -json` prints it. */
  async state(stack: string): Promise<any> {
    await this.init(stack);
    const text = (await this.terraform(stack, ["show", "-json"], TIME_LIMITS.plan)).stdout;
    return text.trim() ? JSON.parse(text) : {};
  }

  private async init(stack: string): Promise<void> {
    if (this.initialized.has(stack)) return;
    await this.terraform(stack, ["init", "-input=false"], TIME_LIMITS.init);
    this.initialized.add(stack);
  }

  /** Runs terraform in the stack's directory; fails with the log's path and last lines unless it exits 0. */
  async terraform(stack: string, args: string[], limit: number): Promise<Finished> {
    const run = await this.run(`${stack}-${args[0]}`, "terraform", [...args, "-no-color"], this.stackDir(stack), limit);
    return run;
  }

  /**
   * Runs one of the project's own commands (`scripts/<script>.ts`: doctor, drift, ...) on this
   * workspace's configuration and stacks, as `npm run <script>` would. Any exit code is returned.
   */
  async project(script: string, args: string[] = []): Promise<Finished> {
    const env = { CONFIG_FILE: this.configFile, CDKTF_OUTDIR: this.outdir };
    return this.run(script, process.execPath, ["--require", "tsx/cjs", path.join(ROOT, "scripts", `${script}.ts`), ...args], ROOT, TIME_LIMITS.project, env, true);
  }

  /** Stops every command still running (the scenario failed or ran out of time). */
  async abort(): Promise<void> {
    await Promise.all([...this.running].map((child) => stopProcess(child)));
  }

  private run(label: string, cmd: string, args: string[], cwd: string, limit: number, extraEnv: NodeJS.ProcessEnv = {}, anyExit = false): Promise<Finished> {
    const log = path.join(this.logs, `${String(++this.step).padStart(2, "0")}-${label}.log`);
    const env = { ...this.env, CONFIG_FILE: this.configFile, CDKTF_OUTDIR: this.outdir, ...extraEnv };
    return new Promise((resolve, reject) => {
      const child = spawn(cmd, args, { cwd, env, stdio: ["ignore", "pipe", "pipe"], detached: true });
      this.running.add(child);
      let stdout = "";
      let stderr = "";
      let all = `$ ${[cmd, ...args].join(" ")}  (in ${cwd})\n`;
      child.stdout.on("data", (chunk) => ((stdout += chunk), (all += chunk)));
      child.stderr.on("data", (chunk) => ((stderr += chunk), (all += chunk)));
      let timedOut = false;
      const timer = setTimeout(() => {
        timedOut = true;
        void stopProcess(child);
      }, limit);
      child.on("error", (error) => {
        clearTimeout(timer);
        writeFileSync(log, `${all}\n${error.message}\n`);
        reject(new StepFailed(`${label}: could not run ${cmd}: ${error.message}`));
      });
      child.on("close", (code) => {
        clearTimeout(timer);
        this.running.delete(child);
        writeFileSync(log, all);
        const finished = { code: code ?? 1, stdout, stderr, log };
        if (timedOut) return reject(new StepFailed(`${label}: no result within ${limit / 1000} s, stopped. ${tail(log)}`));
        if (code !== 0 && !anyExit) return reject(new StepFailed(`${label}: exit code ${code}. ${tail(log)}`));
        resolve(finished);
      });
    });
  }
}

/** "Log: <path>, last lines: ..." for a failure message. */
export function tail(log: string, lines = 25): string {
  const text = existsSync(log) ? readFileSync(log, "utf8").trimEnd().split("\n").slice(-lines).join("\n") : "(no log written)";
  return `Log: ${log}; its last lines:\n${text}`;
}
