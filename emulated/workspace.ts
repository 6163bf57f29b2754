import { spawn } from "child_process";
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "fs";
import { tmpdir } from "os";
import * as path from "path";
import { keptOnDestroy } from "../lib/deploy/kept-on-destroy";
import { streamedPlan } from "../lib/live/plan-stream";
import { SharedProvider, startSharedProvider, TEST_GOGC } from "../lib/terraform/cli";
import { EMULATOR_CREDENTIALS } from "./aws";
import type { Emulator } from "./emulator/emulator";
import { stopProcess } from "./emulator/emulator";
import { CommandKind, CommandProfile, measured, measuredCpuSeconds, processCpuSeconds } from "./profile";

const ROOT = path.join(__dirname, "..");

/**
 * How long one command may take before the scenario fails with its log: at least three times what
 * it takes here with four scenarios at a time (an apply 25-60 s, a plan 3-10 s, a project command
 * 10-40 s).
 */
export const TIME_LIMITS = { init: 120_000, apply: 300_000, plan: 180_000, destroy: 300_000, project: 240_000 } as const;

/**
 * Where any request that is not for the emulator goes: a closed port on loopback. Go's and the AWS
 * SDKs' HTTP clients send every request but those to loopback through the proxy, so a provider
 * that were ever pointed at AWS itself fails at once, on this machine, instead of reaching out.
 */
const NOWHERE = "http://127.0.0.1:9";

/** Who a stack's provider acts as: base keys, and the role it assumes with them. */
export interface EmulatedIdentity {
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
  readonly roleArn: string;
}

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

/** What a plan would do, from `terraform plan -json`'s streamed messages. */
export interface PlannedChanges {
  /** Managed resources the plan would change, with Terraform's action (create, update, delete, replace). */
  readonly changes: { readonly address: string; readonly action: string }[];
  /** Managed resources the refresh found changed outside Terraform (update or delete). */
  readonly drift: { readonly address: string; readonly action: string }[];
}

/**
 * The environment every emulated command runs with, built from nothing but what a process needs
 * (PATH, the locale) and the suite's own settings: no caller AWS credentials, profile, config file,
 * region or metadata service can reach a run, whatever `parent` holds; and every request that is
 * not for an emulator on loopback goes to a closed loopback port.
 */
export function emulatedEnvironment(parent: NodeJS.ProcessEnv, home: string, terraform: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const kept = Object.fromEntries(["PATH", "LANG", "LC_ALL", "TERM"].filter((k) => parent[k] !== undefined).map((k) => [k, parent[k]]));
  const tf = Object.fromEntries(Object.entries(terraform).filter(([k]) => (k.startsWith("TF_") && k !== "TF_REATTACH_PROVIDERS") || k === "CHECKPOINT_DISABLE"));
  return {
    ...kept,
    ...tf,
    HOME: home,
    AWS_ACCESS_KEY_ID: EMULATOR_CREDENTIALS.accessKeyId,
    AWS_SECRET_ACCESS_KEY: EMULATOR_CREDENTIALS.secretAccessKey,
    AWS_CONFIG_FILE: path.join(home, "no-aws-config"),
    AWS_SHARED_CREDENTIALS_FILE: path.join(home, "no-aws-credentials"),
    AWS_EC2_METADATA_DISABLED: "true",
    HTTP_PROXY: NOWHERE,
    HTTPS_PROXY: NOWHERE,
    http_proxy: NOWHERE,
    https_proxy: NOWHERE,
    NO_PROXY: "127.0.0.1,localhost",
    no_proxy: "127.0.0.1,localhost",
    CHECKPOINT_DISABLE: "1",
    NO_COLOR: "1",
    GOGC: parent.GOGC ?? TEST_GOGC,
  };
}

/** `config` with `credentials.assumeRoleArn` set to the emulated deployer role of each account that configures no credentials. */
export function withDeployerRoles(config: unknown): unknown {
  const withRole = (account: any) => (account && typeof account === "object" && !account.credentials && typeof account.accountId === "string"
    ? { ...account, credentials: { assumeRoleArn: `arn:aws:iam::${account.accountId}:role/emulated-deployer` } }
    : account);
  const c = config as any;
  return { ...c, accountA: withRole(c.accountA), accountB: withRole(c.accountB), ...(Array.isArray(c.consumers) ? { consumers: c.consumers.map(withRole) } : {}) };
}

/**
 * One scenario's own copy of a deployment: a configuration file, its synthesized stacks in a
 * temporary directory with Terraform override files beside each `cdk.tf.json` that point the
 * stack's provider at one emulated account (through assume_role), and the stacks' local state next
 * to them. The synth output itself is not changed.
 *
 * Every service endpoint is the emulator through `AWS_ENDPOINT_URL` in the environment, not an
 * `endpoints` block: hashicorp/aws 5.100 spends about 2.5 CPU-seconds validating a provider
 * configuration that has one, two or three times per command (measured here; most of a plan's
 * CPU).
 *
 * Each stack's terraform commands reattach to one provider process of the stack's own
 * (TF_REATTACH_PROVIDERS), started on its first command with this workspace's environment: a
 * plan then costs the provider about 0.8 CPU-seconds instead of 3 to 4 for three fresh starts.
 * Never one process for several stacks: a provider process acts with the last configuration it
 * was given, so two stacks at once would act in each other's accounts. Each stack has exactly one
 * `aws` provider (checked when it is synthesized), and two commands of one stack never run at once
 * (checked when each starts). The project's own commands (doctor, drift) run terraform as a user
 * does, every command starting its own providers.
 */
export class Workspace {
  readonly dir: string;
  readonly outdir: string;
  readonly configFile: string;
  /** Every command run so far, with its time and CPU. */
  readonly commands: CommandProfile[] = [];
  private readonly logs: string;
  private readonly env: NodeJS.ProcessEnv;
  private step = 0;
  private readonly initialized = new Set<string>();
  private readonly running = new Set<import("child_process").ChildProcess>();
  private readonly providers = new Map<string, Promise<SharedProvider | undefined>>();
  /** The command each stack is running with its provider, while it runs. */
  private readonly busy = new Map<string, string>();

  constructor(
    readonly name: string,
    /** The emulator the stacks act on. */
    readonly emulator: Emulator,
    env: NodeJS.ProcessEnv,
    /** The scenario step under way, for the profile. */
    private readonly currentStep: () => string = () => "",
  ) {
    this.dir = mkdtempSync(path.join(tmpdir(), `emulated-${name}-`));
    this.outdir = path.join(this.dir, "cdktf.out");
    this.configFile = path.join(this.dir, "config.json");
    this.logs = path.join(this.dir, "logs");
    mkdirSync(this.logs);
    this.env = { ...env, AWS_ENDPOINT_URL: emulator.url };
  }

  /**
   * Writes `config` and synthesizes it with the app command of cdktf.json, as `cdktf synth` does;
   * then the override files. Each account without credentials gets the role the override files
   * assume (`emulated-deployer`), so that the project's own AWS SDK clients (the doctor's network
   * ACL reader, which maps the configuration's credentials as the provider does) reach the same
   * emulated account as the stack's provider: moto maps an assumed role's key to its account.
   */
  async synthesize(config: unknown): Promise<void> {
    writeFileSync(this.configFile, JSON.stringify(withDeployerRoles(config), null, 2));
    const [cmd, ...args] = (JSON.parse(readFileSync(path.join(ROOT, "cdktf.json"), "utf8")).app as string).split(" ");
    await this.run({ label: "synth", kind: "synth", cmd, args, cwd: ROOT, limit: TIME_LIMITS.project });
    this.afterSynth();
  }

  /**
   * Uses a synth output made elsewhere (another version's, `emulated/fixtures/previous-main`) for
   * `config`, as if synthesized here; a later `synthesize` replaces it in place, state kept.
   */
  useSynthOutput(outdir: string, config: unknown): void {
    writeFileSync(this.configFile, JSON.stringify(withDeployerRoles(config), null, 2));
    rmSync(this.outdir, { recursive: true, force: true });
    cpSync(outdir, this.outdir, { recursive: true });
    this.afterSynth();
  }

  /** After a synth: each stack pointed at the emulator, and initialized again before its next command (modules or providers may have changed). */
  private afterSynth(): void {
    for (const stack of this.stacks()) this.pointAtEmulator(stack);
    this.initialized.clear();
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
  private pointAtEmulator(stack: string, identity?: EmulatedIdentity): void {
    const json = this.synthesized(stack);
    const backend = json.terraform?.backend?.local?.path;
    if (!backend || !path.resolve(this.stackDir(stack), backend).startsWith(this.dir + path.sep)) {
      throw new StepFailed(`${stack}: the emulated scenarios need the local backend with a state path inside the workspace, found ${JSON.stringify(json.terraform?.backend)}`);
    }
    const providers: any[] = json.provider?.aws ?? [];
    // One provider process serves every aws provider block of a stack: it must have exactly one.
    if (providers.length !== 1) throw new StepFailed(`${stack}: expected exactly one aws provider block, found ${providers.length}; its commands could not share one provider process`);
    const overrides = providers.map((p: any) => ({
      alias: p.alias,
      access_key: identity?.accessKeyId ?? EMULATOR_CREDENTIALS.accessKeyId,
      secret_key: identity?.secretAccessKey ?? EMULATOR_CREDENTIALS.secretAccessKey,
      profile: null,
      skip_metadata_api_check: "true",
      assume_role: [{ role_arn: identity?.roleArn ?? p.assume_role?.[0]?.role_arn ?? `arn:aws:iam::${p.allowed_account_ids[0]}:role/emulated-deployer`, session_name: p.assume_role?.[0]?.session_name ?? "emulated" }],
    }));
    writeFileSync(path.join(this.stackDir(stack), "emulator_override.tf.json"), `${JSON.stringify({ provider: { aws: overrides } }, null, 2)}\n`);
  }

  /**
   * From its next command on, `stack`'s provider signs with `identity`'s keys and assumes its role
   * (emulated/identities.ts: an emulator with IAM checks on). Until the next synth.
   */
  actAs(stack: string, identity: EmulatedIdentity): void {
    this.pointAtEmulator(stack, identity);
  }

  /** `terraform apply` of `stack` (init first, once): what it printed. */
  async deploy(stack: string): Promise<string> {
    await this.init(stack);
    return (await this.terraform(stack, "apply", ["apply", "-auto-approve", "-input=false"], TIME_LIMITS.apply)).stdout;
  }

  /**
   * `terraform destroy` of `stack`. `refresh: false` skips reading every resource first: for a
   * destroy that follows this scenario's own apply or no-change plan of the stack, with nothing
   * changed outside Terraform since, the state already is what exists (a resource that is gone
   * all the same is not found and counts as deleted).
   */
  async destroy(stack: string, options: { refresh?: boolean } = {}): Promise<string> {
    await this.init(stack);
    // As `npm run destroy` does: what the project only reads is forgotten first, never destroyed.
    const kept = keptOnDestroy(this.synthesized(stack));
    if (kept.length) {
      const listed = (await this.terraform(stack, "state", ["state", "list"], TIME_LIMITS.plan)).stdout.split("\n");
      const present = kept.filter((address) => listed.includes(address));
      if (present.length) await this.terraform(stack, "state", ["state", "rm", ...present], TIME_LIMITS.plan);
    }
    const refresh = options.refresh === false ? ["-refresh=false"] : [];
    return (await this.terraform(stack, "destroy", ["destroy", "-auto-approve", "-input=false", ...refresh], TIME_LIMITS.destroy)).stdout;
  }

  /** `terraform plan` of `stack` and its JSON (`terraform show -json`), for what only the whole plan holds. */
  async plan(stack: string, args: string[] = []): Promise<any> {
    await this.init(stack);
    const file = path.join(this.dir, `${stack}-${this.step + 1}.tfplan`);
    await this.terraform(stack, "plan", ["plan", "-input=false", `-out=${file}`, ...args], TIME_LIMITS.plan);
    return JSON.parse((await this.terraform(stack, "show", ["show", "-json", file], TIME_LIMITS.plan)).stdout);
  }

  /**
   * What a plan of `stack` would change and what changed outside Terraform, read from
   * `terraform plan -json`'s streamed messages: one command, where a plan file and its `show -json`
   * take two (the second decoding the provider's whole schema again).
   */
  async planChanges(stack: string, args: string[] = []): Promise<PlannedChanges> {
    await this.init(stack);
    const run = await this.terraform(stack, "plan", ["plan", "-json", "-input=false", "-lock=false", ...args], TIME_LIMITS.plan);
    const { changes, drift } = streamedPlan(run.stdout);
    return { changes, drift };
  }

  /** The stack's outputs, by name (sensitive ones included). */
  async outputs(stack: string): Promise<Record<string, any>> {
    const shown = JSON.parse((await this.terraform(stack, "output", ["output", "-json"], TIME_LIMITS.plan)).stdout);
    return Object.fromEntries(Object.entries<any>(shown).map(([k, v]) => [k, v.value]));
  }

  /** The stack's state as `terraform show -json` prints it. */
  async state(stack: string): Promise<any> {
    await this.init(stack);
    const text = (await this.terraform(stack, "show", ["show", "-json"], TIME_LIMITS.plan)).stdout;
    return text.trim() ? JSON.parse(text) : {};
  }

  /** The process id of the stack's provider process, once one runs. */
  async providerPid(stack: string): Promise<number | undefined> {
    return (await this.providers.get(stack))?.pid;
  }

  private async init(stack: string): Promise<void> {
    if (this.initialized.has(stack)) return;
    // Without reattaching: init installs the provider into the stack's directory, where the
    // project's own commands (doctor, drift) start it as a user's terraform does.
    await this.run({ label: `terraform init ${stack}`, kind: "init", cmd: "terraform", args: ["init", "-input=false", "-no-color"], cwd: this.stackDir(stack), limit: TIME_LIMITS.init });
    this.initialized.add(stack);
  }

  /** The stack's own provider process, started on first use with this workspace's environment. */
  private provider(stack: string): Promise<SharedProvider | undefined> {
    let started = this.providers.get(stack);
    if (!started) {
      started = startSharedProvider(this.env, { cwd: this.stackDir(stack) });
      this.providers.set(stack, started);
    }
    return started;
  }

  /**
   * Runs terraform in the stack's directory, reattached to the stack's provider process; fails with
   * the log's path and last lines unless it exits 0, and when another command of the stack runs.
   */
  async terraform(stack: string, kind: CommandKind, args: string[], limit: number): Promise<Finished> {
    const label = `terraform ${args[0]} ${stack}`;
    const other = this.busy.get(stack);
    if (other) throw new StepFailed(`${label} started while ${other} runs: two commands of one stack would share its provider process at once`);
    this.busy.set(stack, label);
    try {
      const provider = await this.provider(stack);
      if (!provider) throw new StepFailed(`${stack}: could not start hashicorp/aws for the stack (see lib/terraform/cli.ts startSharedProvider)`);
      return await this.run({ label, kind, cmd: "terraform", args: [...args, "-no-color"], cwd: this.stackDir(stack), limit, extraEnv: { TF_REATTACH_PROVIDERS: provider.env.TF_REATTACH_PROVIDERS }, providerPid: provider.pid });
    } finally {
      this.busy.delete(stack);
    }
  }

  /**
   * Runs one of the project's own commands (`scripts/<script>.ts`: doctor, drift, ...) on this
   * workspace's configuration and stacks, as `npm run <script>` would. Any exit code is returned.
   */
  async project(script: string, args: string[] = []): Promise<Finished> {
    const env = { CONFIG_FILE: this.configFile, CDKTF_OUTDIR: this.outdir };
    return this.run({ label: `npm run ${script} ${args.join(" ")}`.trim(), kind: "project", cmd: process.execPath, args: ["--require", "tsx/cjs", path.join(ROOT, "scripts", `${script}.ts`), ...args], cwd: ROOT, limit: TIME_LIMITS.project, extraEnv: env, anyExit: true });
  }

  /** Stops every command still running (the scenario failed or ran out of time), and the providers. */
  async abort(): Promise<void> {
    await Promise.all([...this.running].map((child) => stopProcess(child)));
    await this.close();
  }

  /** Stops the stacks' provider processes. */
  async close(): Promise<void> {
    const providers = await Promise.all(this.providers.values());
    this.providers.clear();
    await Promise.all(providers.map((p) => p?.stop()));
  }

  private run(command: {
    label: string;
    kind: CommandKind;
    cmd: string;
    args: string[];
    cwd: string;
    limit: number;
    extraEnv?: NodeJS.ProcessEnv;
    anyExit?: boolean;
    providerPid?: number;
  }): Promise<Finished> {
    const { label, kind, cwd, limit, anyExit, providerPid } = command;
    const name = label.replace(/^(terraform|npm run) /, "").replace(/[^\w.-]+/g, "-");
    const log = path.join(this.logs, `${String(++this.step).padStart(2, "0")}-${name}.log`);
    const cpuFile = `${log}.cpu`;
    const env = { ...this.env, CONFIG_FILE: this.configFile, CDKTF_OUTDIR: this.outdir, ...command.extraEnv };
    const [cmd, args] = measured(cpuFile, command.cmd, command.args);
    const step = this.currentStep();
    const started = Date.now();
    const providerBefore = processCpuSeconds(providerPid);
    return new Promise((resolve, reject) => {
      const child = spawn(cmd, args, { cwd, env, stdio: ["ignore", "pipe", "pipe"], detached: true });
      this.running.add(child);
      let stdout = "";
      let stderr = "";
      let all = `$ ${[command.cmd, ...command.args].join(" ")}  (in ${cwd})\n`;
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
        reject(new StepFailed(`${label}: could not run ${command.cmd}: ${error.message}`));
      });
      child.on("close", (code) => {
        clearTimeout(timer);
        this.running.delete(child);
        writeFileSync(log, all);
        this.commands.push({
          step,
          kind,
          label,
          wallSeconds: (Date.now() - started) / 1000,
          cpuSeconds: measuredCpuSeconds(cpuFile),
          providerCpuSeconds: providerPid ? Math.max(0, processCpuSeconds(providerPid) - providerBefore) : 0,
        });
        rmSync(cpuFile, { force: true });
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
