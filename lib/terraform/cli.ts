import { spawn, spawnSync } from "child_process";
import { randomUUID } from "crypto";
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from "fs";
import { homedir } from "os";
import * as path from "path";

/** The provider every stack uses, pinned like @cdktf/provider-aws 20.1.0. */
export const AWS_PROVIDER = { address: "registry.terraform.io/hashicorp/aws", version: "5.100.0" };

const ROOT = path.join(__dirname, "../..");
const CACHE = path.join(ROOT, "node_modules/.cache/terraform");

/** Where a filesystem mirror of the AWS provider may already be on the machine. */
function mirrorCandidates(): string[] {
  const fromEnv = process.env.TF_PROVIDER_MIRROR ? [process.env.TF_PROVIDER_MIRROR] : [];
  return [...fromEnv, "/opt/tf-plugins", path.join(homedir(), ".terraform.d/plugins"), "/usr/local/share/terraform/plugins", "/usr/share/terraform/plugins"];
}

/** The first mirror directory that holds hashicorp/aws at the pinned version (unpacked or zipped). */
export function findProviderMirror(): string | undefined {
  return mirrorCandidates().find((dir) => {
    const versionDir = path.join(dir, AWS_PROVIDER.address, AWS_PROVIDER.version);
    const zipped = path.join(dir, AWS_PROVIDER.address);
    return existsSync(versionDir) || (existsSync(zipped) && readdirSync(zipped).some((f) => f.includes(`_${AWS_PROVIDER.version}_`)));
  });
}

/** The environment for every terraform command the project runs. */
export interface TerraformSetup {
  /** Environment variables to run terraform with. */
  readonly env: NodeJS.ProcessEnv;
  /** The mirror in use, or undefined when providers come from the public registry. */
  readonly mirror?: string;
  /** The CLI configuration file written. */
  readonly cliConfigFile: string;
}

/**
 * Writes `text` to `file` unless it already holds it, through a file of its own renamed into
 * place: a terraform started meanwhile by another command (tests run several side by side) reads
 * the old file or the new one, never a half-written one (an empty CLI configuration has no
 * mirror, and `terraform init` then fails to reach the registry).
 */
function writeIfChanged(file: string, text: string): void {
  if (existsSync(file) && readFileSync(file, "utf8") === text) return;
  const temporary = `${file}.${randomUUID()}.tmp`;
  writeFileSync(temporary, text);
  renameSync(temporary, file);
}

/** The CLI configuration's text: hashicorp/aws from `mirror` when there is one, and `pluginCache` if given. */
function cliConfiguration(mirror: string | undefined, pluginCache?: string): string {
  const installation = mirror
    ? `provider_installation {
  filesystem_mirror {
    path    = ${JSON.stringify(mirror)}
    include = ["${AWS_PROVIDER.address}"]
  }
  direct {
    exclude = ["${AWS_PROVIDER.address}"]
  }
}
`
    : "";
  return `# Written by lib/terraform/cli.ts; do not edit.\n${installation}${pluginCache ? `plugin_cache_dir = ${JSON.stringify(pluginCache)}\n` : ""}`;
}

/**
 * Writes a Terraform CLI configuration that installs hashicorp/aws from a local filesystem mirror
 * when one is present (offline machines, CI) and from the public registry otherwise, with a shared
 * plugin cache so each stack directory links the 700 MB provider instead of copying it.
 */
export function setUpTerraform(baseEnv: NodeJS.ProcessEnv = process.env): TerraformSetup {
  const mirror = findProviderMirror();
  const pluginCache = path.join(CACHE, "plugin-cache");
  mkdirSync(pluginCache, { recursive: true });
  const cliConfigFile = path.join(CACHE, "terraform.tfrc");
  writeIfChanged(cliConfigFile, cliConfiguration(mirror, pluginCache));
  const env = {
    ...baseEnv,
    TF_CLI_CONFIG_FILE: cliConfigFile,
    CHECKPOINT_DISABLE: "1",
    TF_IN_AUTOMATION: "1",
    TF_INPUT: "0",
    // Lets a cache hit stand in for a lock-file checksum the cache cannot prove (mirror installs).
    TF_PLUGIN_CACHE_MAY_BREAK_DEPENDENCY_LOCK_FILE: "1",
  };
  return { env, mirror, cliConfigFile };
}

/**
 * GOGC for terraform and the provider in the project's test harnesses (`npm run test:terraform`,
 * the emulated suite; a GOGC already set wins): Go's collector at a quarter of its default
 * frequency. With the default 100 they spent about a quarter of their CPU collecting here
 * (`terraform test` of the example's account-b: 16.4 -> 12.4 CPU-seconds; the Terraform tests
 * 87 -> 64); each process stays under 1 GiB. 200 gained less, 1000 nothing more.
 */
export const TEST_GOGC = "400";

/** What every command says when terraform is not on PATH. */
export const TERRAFORM_MISSING = "terraform is not on PATH: install Terraform >= 1.11 (https://developer.hashicorp.com/terraform/install), then run it again.";

/** The installed terraform's version, or undefined when there is none on the PATH of `env`. */
export function terraformVersion(env: NodeJS.ProcessEnv = process.env): string | undefined {
  const run = spawnSync("terraform", ["version", "-json"], { encoding: "utf8", env: { ...env, CHECKPOINT_DISABLE: "1" } });
  if (run.error || run.status !== 0) return undefined;
  try {
    return JSON.parse(run.stdout).terraform_version;
  } catch {
    return undefined;
  }
}

/** Ends the process with one line and exit code 2 (could not run) when terraform is missing or older than `minimum` (major.minor). */
export function requireTerraform(minimum: string): string {
  const version = terraformVersion();
  const [major, minor] = (version ?? "0.0").split(".").map(Number);
  const [wantMajor, wantMinor] = minimum.split(".").map(Number);
  if (!version || major < wantMajor || (major === wantMajor && minor < wantMinor)) {
    process.stderr.write(`terraform >= ${minimum} is required (found: ${version ?? "none on PATH"}); install it from https://developer.hashicorp.com/terraform/install\n`);
    process.exit(2);
  }
  return version;
}

/** What a finished command printed and how it ended. */
export interface CommandResult {
  readonly code: number;
  /** Standard output and standard error, interleaved as they came. */
  readonly output: string;
  /** Standard output alone. */
  readonly stdout: string;
  readonly seconds: number;
}

/** Runs `terraform args` in `cwd`, collecting stdout and stderr together. */
export function terraform(args: string[], cwd: string, env: NodeJS.ProcessEnv): Promise<CommandResult> {
  return command("terraform", args, cwd, env);
}

/** Runs `cmd args` in `cwd`, collecting stdout and stderr together. */
export function command(cmd: string, args: string[], cwd: string, env: NodeJS.ProcessEnv): Promise<CommandResult> {
  const started = Date.now();
  return new Promise((resolve) => {
    const child = spawn(cmd, args, { cwd, env, stdio: ["ignore", "pipe", "pipe"] });
    let output = "";
    let stdout = "";
    child.stdout.on("data", (chunk) => {
      output += chunk;
      stdout += chunk;
    });
    child.stderr.on("data", (chunk) => (output += chunk));
    child.on("error", (error) => resolve({ code: 127, output: `${output}${error.message}\n`, stdout, seconds: (Date.now() - started) / 1000 }));
    child.on("close", (code) => resolve({ code: code ?? 1, output, stdout, seconds: (Date.now() - started) / 1000 }));
  });
}

/** Runs `tasks` with at most `limit` at a time, keeping their order in the result. */
export async function pool<T>(limit: number, tasks: (() => Promise<T>)[]): Promise<T[]> {
  const results: T[] = new Array(tasks.length);
  let next = 0;
  const worker = async () => {
    while (next < tasks.length) {
      const index = next++;
      results[index] = await tasks[index]();
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, tasks.length) }, worker));
  return results;
}

/** A provider process that terraform commands reattach to. */
export interface SharedProvider {
  /** `env` plus TF_REATTACH_PROVIDERS naming the running provider. */
  readonly env: NodeJS.ProcessEnv;
  /** Its process id. */
  readonly pid: number;
  /** Ends the provider process; resolves once it has ended. */
  stop(): Promise<void>;
}

/**
 * A provider started in debug mode logs every RPC at trace level to its stderr whatever
 * Terraform's own log level is: a tenth of its CPU went to writing logs nobody read.
 */
const PROVIDER_LOGGING_OFF = Object.fromEntries(
  ["TF_LOG", "TF_LOG_PROVIDER", "TF_LOG_SDK", "TF_LOG_SDK_PROTO", "TF_LOG_SDK_FRAMEWORK", "TF_LOG_SDK_MUX", "TF_LOG_SDK_HELPER_SCHEMA", "TF_LOG_SDK_HELPER_RESOURCE", "TF_LOG_AWS_SDK"].map((name) => [name, "off"]),
);

/**
 * Starts the pinned hashicorp/aws provider once, in its debug mode, and returns the environment
 * that makes terraform reattach to it (TF_REATTACH_PROVIDERS, Terraform's documented way to run a
 * provider outside the CLI). Without it every validate, plan and apply step of every test run
 * starts its own copy of the 700 MB provider, about 0.45 s each here; that was most of the
 * Terraform tests' time. With mock providers terraform only asks the real provider for its schema
 * and to validate configuration, so one process can serve several terraform runs at once.
 * Returns undefined, and the caller runs without it, when the provider cannot be started so.
 * The process keeps the environment it starts with (`providerEnv`, default `env`) and its working
 * directory (`cwd`): every command that reattaches to it acts with that environment's credentials
 * and endpoints, not its own, and reads relative paths from that directory.
 */
export async function startSharedProvider(env: NodeJS.ProcessEnv, options: { providerEnv?: NodeJS.ProcessEnv; cwd?: string } = {}): Promise<SharedProvider | undefined> {
  const binary = await installedProvider(env);
  if (!binary) return undefined;
  const { TF_REATTACH_PROVIDERS: _, ...startEnv } = options.providerEnv ?? env;
  // Terraform starts a provider in the configuration's directory, where relative paths (a Lambda
  // package, `filename = "assets/..."`) resolve; a reattached one resolves them in its own.
  const child = spawn(binary, ["-debug"], { env: { ...startEnv, ...PROVIDER_LOGGING_OFF }, cwd: options.cwd, stdio: ["ignore", "pipe", "pipe"] });
  const reattach = await new Promise<string | undefined>((resolve) => {
    let output = "";
    const timer = setTimeout(() => resolve(undefined), 60_000);
    const settle = (value: string | undefined) => {
      clearTimeout(timer);
      resolve(value);
    };
    child.stdout.on("data", (chunk) => {
      output += chunk;
      const match = /TF_REATTACH_PROVIDERS='([^']+)'/.exec(output);
      if (match) settle(match[1]);
    });
    child.stderr.on("data", () => undefined);
    child.on("error", () => settle(undefined));
    child.on("exit", () => settle(undefined));
  });
  const kill = () => {
    if (child.exitCode === null && child.signalCode === null) child.kill();
  };
  const stop = () =>
    new Promise<void>((resolve) => {
      if (child.exitCode !== null || child.signalCode !== null) return resolve();
      child.once("exit", () => resolve());
      kill();
    });
  if (!reattach) {
    kill();
    return undefined;
  }
  endOnExit(child);
  return { env: { ...env, TF_REATTACH_PROVIDERS: reattach }, pid: child.pid!, stop };
}

/** Provider processes still running: ended when this process exits (one listener for all of them). */
const running = new Set<import("child_process").ChildProcess>();
let endingOnExit = false;

function endOnExit(child: import("child_process").ChildProcess): void {
  if (!endingOnExit) process.once("exit", () => running.forEach((c) => c.exitCode === null && c.kill()));
  endingOnExit = true;
  running.add(child);
  child.once("exit", () => running.delete(child));
}

/**
 * The provider binary in the plugin cache, installed there when it is not yet, from the mirror
 * `setUpTerraform` would use or else the registry (`env` otherwise as given; its CLI
 * configuration is replaced by one without the cache). It is installed into a directory of its own, without
 * the cache, and moved into the cache in one rename: a run stopped meanwhile (npm test stops the
 * Terraform tests when jest fails, Ctrl-C) leaves no half-written 700 MB binary that the next
 * `terraform init` would link and trust.
 */
export async function installedProvider(env: NodeJS.ProcessEnv): Promise<string | undefined> {
  const platform = `${process.platform}_${process.arch === "x64" ? "amd64" : process.arch}`;
  const cached = path.join(CACHE, "plugin-cache", AWS_PROVIDER.address, AWS_PROVIDER.version, platform);
  const find = () => (existsSync(cached) ? readdirSync(cached).find((f) => f.startsWith("terraform-provider-aws")) : undefined);
  if (!find()) {
    mkdirSync(CACHE, { recursive: true });
    const dir = mkdtempSync(path.join(CACHE, "provider-install-"));
    try {
      writeFileSync(path.join(dir, "main.tf"), `terraform {\n  required_providers {\n    aws = { source = "hashicorp/aws", version = "${AWS_PROVIDER.version}" }\n  }\n}\n`);
      writeFileSync(path.join(dir, "terraform.tfrc"), cliConfiguration(findProviderMirror()));
      const { TF_REATTACH_PROVIDERS: _, TF_PLUGIN_CACHE_DIR: __, ...installEnv } = env;
      const init = await terraform(["init", "-backend=false", "-input=false", "-no-color"], dir, { ...installEnv, TF_CLI_CONFIG_FILE: path.join(dir, "terraform.tfrc") });
      if (init.code !== 0) return undefined;
      mkdirSync(path.dirname(cached), { recursive: true });
      try {
        renameSync(path.join(dir, ".terraform/providers", AWS_PROVIDER.address, AWS_PROVIDER.version, platform), cached);
      } catch {
        // Another run put it there first.
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }
  const file = find();
  return file ? path.join(cached, file) : undefined;
}
