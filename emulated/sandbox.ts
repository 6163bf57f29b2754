/**
 * `npm run sandbox`: the project working without an AWS account. Deploys the configured stacks
 * (CONFIG_FILE, default config/example.json; the rollout of docs/rollout.md: account-b, the consumers,
 * account-b) into an AWS emulator on 127.0.0.1 that it starts, builds the data-plane twin of what
 * the accounts hold (emulated/twin), runs the seed article's calls from account A's subnet and
 * prints them with their answers, prints how to reach the emulated accounts, and returns, leaving
 * a controller process in the background that holds the emulator and the twin.
 *
 *   npm run sandbox                                  up (prints the article's calls and how to use it)
 *   npm run sandbox -- exec <stack> <command...>     a command inside that stack's client subnet
 *   npm run sandbox -- run <command...>              a command on this machine against the sandbox
 *                                                    (npm run doctor, npm run drift, terraform)
 *   npm run sandbox -- down                          removes everything
 *
 * Exit code: 0 done, 1 a step failed (the log says which), 2 could not run (usage, a missing tool).
 */
import { spawn, spawnSync } from "child_process";
import { closeSync, existsSync, mkdirSync, openSync, readFileSync, rmSync, writeFileSync } from "fs";
import { createServer } from "http";
import * as path from "path";
import { exitWith } from "../lib/cli/command-line";
import { consumersOf } from "../lib/config/consumers";
import { ConfigError, loadConfig, resolveConfigFile } from "../lib/config/load-config";
import { installedProvider, setUpTerraform, terraformVersion } from "../lib/terraform/cli";
import { account, EMULATOR_CREDENTIALS } from "./aws";
import { Emulator, findMoto, startEmulator } from "./emulator/emulator";
import { sandboxCommandLine } from "./sandbox-options";
import { articleCalls, articleFacts } from "./twin/checks";
import { missingRequirements, namespacesWork, removeLeftovers } from "./twin/system";
import { Twin, TwinUnavailable } from "./twin/twin";
import { emulatedEnvironment, Workspace } from "./workspace";

const ROOT = path.join(__dirname, "..");
/** The sandbox's own directory: its pid file, state, progress and logs. */
export const SANDBOX_DIR = path.join(ROOT, "node_modules/.cache/sandbox");


/** What the controller writes once the sandbox is up: what `exec` and `down` need. */
interface SandboxState {
  readonly pid: number;
  readonly emulator: string;
  readonly control: string;
  readonly workspace: string;
  readonly accounts: { readonly stack: string; readonly accountId: string; readonly region: string }[];
  /** Each stack's client namespace; absent without the twin. */
  readonly namespaces: Record<string, string>;
  readonly twin?: string;
  readonly report: string;
}

const file = (name: string) => path.join(SANDBOX_DIR, name);

function readState(): SandboxState | undefined {
  try {
    return JSON.parse(readFileSync(file("state.json"), "utf8"));
  } catch {
    return undefined;
  }
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

function controllerPid(): number | undefined {
  const pid = Number(existsSync(file("pid")) ? readFileSync(file("pid"), "utf8").trim() : NaN);
  return Number.isInteger(pid) && alive(pid) ? pid : undefined;
}

/** The controller: runs in the background, holds the emulator and the twin until SIGTERM. */
async function controller(): Promise<void> {
  writeFileSync(file("pid"), `${process.pid}\n`);
  const progress = (line: string) => writeFileSync(file("progress.log"), `${line}\n`, { flag: "a" });
  let emulator: Emulator | undefined;
  let twin: Twin | undefined;
  let workspace: Workspace | undefined;
  const end = async (code: number) => {
    await twin?.stop().catch(() => undefined);
    await emulator?.stop().catch(() => undefined);
    // The stacks' provider processes (one per stack) and any command still running.
    await workspace?.abort().catch(() => undefined);
    // A failed start keeps the stacks' logs for its message; `down` removes them.
    if (workspace && code === 0) rmSync(workspace.dir, { recursive: true, force: true });
    rmSync(file("pid"), { force: true });
    process.exit(code);
  };
  process.on("SIGTERM", () => void end(0));
  process.on("SIGINT", () => void end(0));
  try {
    const started = Date.now();
    const took = () => `${((Date.now() - started) / 1000).toFixed(1)} s`;
    const configFile = resolveConfigFile();
    const config = loadConfig(configFile);
    const moto = findMoto();
    if ("missing" in moto) throw new Error(moto.missing);
    const setup = setUpTerraform();
    const [started_emulator] = await Promise.all([startEmulator(moto, file("emulator.log")), installedProvider(setup.env)]);
    emulator = started_emulator;
    progress(`emulator at ${emulator.url} (${took()})`);
    const home = path.join(SANDBOX_DIR, "home");
    mkdirSync(home, { recursive: true });
    workspace = new Workspace("sandbox", emulator, emulatedEnvironment(process.env, home, setup.env));
    writeFileSync(file("workspace"), workspace.dir);
    await workspace.synthesize(JSON.parse(readFileSync(configFile, "utf8")));
    const consumers = consumersOf(config);
    const accounts = [
      { stack: "account-b", accountId: config.accountB.accountId, region: config.accountB.region },
      ...consumers.map((c) => ({ stack: c.stackId, accountId: c.account.accountId, region: c.account.region })),
    ];
    progress(`synthesized ${workspace.stacks().join(", ")} (${took()})`);
    const missing = [...missingRequirements(), ...(process.getuid?.() === 0 ? [(await namespacesWork()) ?? ""] : [])].filter(Boolean);
    // The rollout of docs/rollout.md (B, every consumer, B), with what can overlap overlapped: the consumers'
    // `terraform init` during B's first deploy, the twin's start during the consumers' deploy.
    const step = async <T>(title: string, body: () => Promise<T>): Promise<T> => {
      const result = await body();
      progress(`${title} (${took()})`);
      return result;
    };
    const stacks = consumers.map((c) => c.stackId);
    await step("deploy account-b (first)", () => Promise.all([workspace!.deploy("account-b"), ...stacks.map((stack) => workspace!.state(stack))]));
    const unique = [...new Map(accounts.map((a) => [`${a.accountId}/${a.region}`, { accountId: a.accountId, region: a.region }])).values()];
    const twinStarted = missing.length ? undefined : Twin.start({ emulator, accounts: unique, log: (line) => writeFileSync(file("twin.log"), `${line}\n`, { flag: "a" }) });
    twinStarted?.catch(() => undefined);
    // Each stack's VPC (its output), read while another stack deploys.
    const vpcIds: Record<string, string> = {};
    const vpcOf = async (stack: string) => void (vpcIds[stack] = (await workspace!.outputs(stack)).vpc_id);
    await step(`deploy ${stacks.join(", ")}`, () => Promise.all([...stacks.map((stack) => workspace!.deploy(stack)), vpcOf("account-b")]));
    await step("deploy account-b (second: accepts the requests)", () => Promise.all([workspace!.deploy("account-b"), ...stacks.map(vpcOf)]));
    let report = "";
    const namespaces: Record<string, string> = {};
    if (twinStarted) {
      twin = await twinStarted;
      await twin.sync();
      // From now on every invocation of the canary (Terraform's check, the doctor, drift) runs its own code in its subnet.
      await twin.attachLambdaRunner();
      progress(`the data-plane twin is up (${took()})`);
      for (const a of accounts) namespaces[a.stack] = twin.namespaceOf(twin.client({ vpcId: vpcIds[a.stack] }).id);
      const a = account(emulator, config.accountA.accountId, config.accountA.region);
      const b = account(emulator, config.accountB.accountId, config.accountB.region);
      const failures: string[] = [];
      const lines = await articleCalls(twin, articleFacts(twin, a, b), async (title, body) => body().catch((error: Error) => {
        failures.push(`${title}: ${error.message.split("\n")[0]}`);
        return undefined as never;
      }));
      report = `${lines.join("\n\n")}\n${failures.length ? `\nNOT AS THE ARTICLE SAYS:\n${failures.map((f) => `  ${f}`).join("\n")}\n` : ""}\n(the article's calls answered in ${took()} from the start)`;
    } else {
      report = `The data-plane twin is not running: it needs ${missing.join("; ")}.\nThe emulated deployment is up: the AWS APIs answer, no traffic flows.`;
    }
    const control = createServer((request, response) => {
      if (request.url === "/sync" && twin) twin.sync().then(() => response.end("ok"), (error: Error) => response.writeHead(500).end(error.message));
      else response.end("ok");
    });
    await new Promise<void>((resolve) => control.listen(0, "127.0.0.1", resolve));
    const state: SandboxState = {
      pid: process.pid,
      emulator: emulator.url,
      control: `http://127.0.0.1:${(control.address() as import("net").AddressInfo).port}`,
      workspace: workspace.dir,
      accounts,
      namespaces,
      twin: twin?.runId,
      report,
    };
    await writeProfiles(emulator.url, accounts);
    writeFileSync(file("state.json"), JSON.stringify(state, null, 2));
  } catch (error) {
    writeFileSync(file("failed"), `${error instanceof ConfigError ? `Invalid configuration ${error.message}` : error instanceof TwinUnavailable ? error.message : ((error as Error).stack ?? String(error))}\n`);
    await end(1);
  }
}

/**
 * Credentials for each stack's account: the emulator maps the credentials of an assumed role to
 * the role's account, so each profile holds keys from an AssumeRole into that account (asked of
 * the emulator, never of AWS). Written as an AWS shared credentials file and a config file.
 */
async function writeProfiles(url: string, accounts: SandboxState["accounts"]): Promise<void> {
  const credentials: string[] = [];
  const config: string[] = [];
  for (const a of accounts) {
    const response = await fetch(`${url}/`, {
      method: "POST",
      // moto reads the service from the credential scope and does not check the signature.
      headers: { authorization: `AWS4-HMAC-SHA256 Credential=${EMULATOR_CREDENTIALS.accessKeyId}/20260101/us-east-1/sts/aws4_request, SignedHeaders=host, Signature=0`, "content-type": "application/x-www-form-urlencoded" },
      body: `Action=AssumeRole&Version=2011-06-15&RoleArn=arn:aws:iam::${a.accountId}:role/sandbox&RoleSessionName=sandbox&DurationSeconds=43200`,
    });
    const xml = await response.text();
    const field = (name: string) => new RegExp(`<${name}>([^<]*)</${name}>`).exec(xml)?.[1];
    if (!response.ok || !field("AccessKeyId")) throw new Error(`AssumeRole into ${a.accountId} on the emulator: ${response.status} ${xml.slice(0, 200)}`);
    credentials.push(`[${a.stack}]\naws_access_key_id = ${field("AccessKeyId")}\naws_secret_access_key = ${field("SecretAccessKey")}\naws_session_token = ${field("SessionToken")}\n`);
    config.push(`[profile ${a.stack}]\nregion = ${a.region}\nendpoint_url = ${url}\n`);
  }
  writeFileSync(file("credentials"), credentials.join("\n"), { mode: 0o600 });
  writeFileSync(file("aws-config"), config.join("\n"));
}

/** How to reach each emulated account, for the summary. */
function howTo(state: SandboxState): string {
  const lines = [
    `The emulator (every AWS service, every account, on loopback only): ${state.emulator}`,
    "",
    `The AWS CLI or an SDK, one profile per stack (keys of a role assumed in its account, which is how the emulator`,
    `tells accounts apart): always with the emulator's endpoint, so that nothing goes to AWS:`,
  ];
  const files = `AWS_SHARED_CREDENTIALS_FILE=${file("credentials")} AWS_CONFIG_FILE=${file("aws-config")}`;
  for (const a of state.accounts) lines.push(`  ${files} aws --profile ${a.stack} --endpoint-url ${state.emulator} ec2 describe-vpcs     # ${a.accountId}, ${a.region}`);
  lines.push(
    `  SDK (JavaScript v3): the same two files and AWS_PROFILE=<stack>, with endpoint "${state.emulator}" on the client; or any keys and`,
    "  the header x-moto-account-id: <account id> on every request (as emulated/aws.ts account() does).",
  );
  lines.push(
    "",
    `The stacks' Terraform (state, outputs, plans) is in ${state.workspace}/cdktf.out/stacks/<stack>. The project's`,
    `commands on them (the canary's check then runs its own code in the twin):`,
    `  npm run sandbox -- run npm run doctor`,
    `  npm run sandbox -- run npm run drift`,
  );
  if (state.twin) {
    lines.push("", "Inside a stack's client subnet (its resolver; only the sandbox's CA trusted):");
    for (const stack of Object.keys(state.namespaces)) lines.push(`  npm run sandbox -- exec ${stack} bash`);
    lines.push("A change made with the SDK (a route deleted, a rule revoked) shows in the next exec or Lambda invocation.");
  }
  lines.push("", "npm run sandbox -- down    removes everything");
  return lines.join("\n");
}

async function up(): Promise<number> {
  const running = controllerPid();
  if (running) {
    process.stderr.write(`sandbox: one is already up (controller pid ${running}); npm run sandbox -- down first\n`);
    return 2;
  }
  if (!terraformVersion()) {
    process.stderr.write("sandbox: terraform is not on PATH: install Terraform >= 1.11 (https://developer.hashicorp.com/terraform/install)\n");
    return 2;
  }
  const moto = findMoto();
  if ("missing" in moto) {
    process.stderr.write(`sandbox: no AWS emulator: ${moto.missing}\n`);
    return 2;
  }
  const missing = missingRequirements();
  if (missing.length) process.stderr.write(`sandbox: without ${missing.join("; ")}, only the emulated deployment runs (no data-plane twin)\n`);
  rmSync(SANDBOX_DIR, { recursive: true, force: true });
  mkdirSync(SANDBOX_DIR, { recursive: true });
  const log = openSync(file("controller.log"), "a");
  const child = spawn(process.execPath, ["--require", "tsx/cjs", __filename, "controller"], { cwd: ROOT, detached: true, stdio: ["ignore", log, log], env: process.env });
  closeSync(log);
  child.unref();
  let shown = 0;
  for (;;) {
    await new Promise((resolve) => setTimeout(resolve, 300));
    const progress = existsSync(file("progress.log")) ? readFileSync(file("progress.log"), "utf8") : "";
    process.stdout.write(progress.slice(shown));
    shown = progress.length;
    const state = readState();
    if (state) {
      process.stdout.write(`\n${state.report}\n\n${howTo(state)}\n`);
      if (!state.twin) process.stderr.write(`sandbox: the emulated deployment is up without the data-plane twin: it needs ${missing.join("; ")}\n`);
      // Up, but not all of it: the twin's requirements are the caller's to meet (exit 2, could not run it).
      return state.report.includes("NOT AS THE ARTICLE SAYS") ? 1 : state.twin ? 0 : 2;
    }
    if (existsSync(file("failed")) || !alive(child.pid!)) {
      process.stderr.write(`sandbox: ${existsSync(file("failed")) ? readFileSync(file("failed"), "utf8").trim() : "the controller ended"}\n(log: ${file("controller.log")}; npm run sandbox -- down cleans up)\n`);
      return 1;
    }
  }
}

async function exec(stack: string, command: string[]): Promise<number> {
  const state = readState();
  if (!state || !controllerPid()) {
    process.stderr.write("sandbox: none is up: npm run sandbox first\n");
    return 2;
  }
  const ns = state.namespaces[stack];
  if (!ns) {
    process.stderr.write(`sandbox: ${state.twin ? `no stack ${stack}; the stacks are ${Object.keys(state.namespaces).join(", ")}` : "the data-plane twin is not running (see npm run sandbox's first lines)"}\n`);
    return 2;
  }
  // What the accounts hold now: a change made with the SDK shows in this command.
  const synced = await fetch(`${state.control}/sync`, { method: "POST" });
  if (!synced.ok) process.stderr.write(`sandbox: the twin could not follow the accounts: ${await synced.text()}\n`);
  const ran = spawnSync("ip", ["netns", "exec", ns, ...command], { stdio: "inherit" });
  return ran.status ?? 1;
}

/**
 * The environment of a command run against the sandbox: the emulated suite's (no caller
 * credentials, profile or metadata service; every request not for loopback to a closed port), the
 * emulator as every AWS endpoint, the sandbox's configuration and stacks.
 */
export function sandboxEnvironment(state: Pick<SandboxState, "emulator" | "workspace">, parent: NodeJS.ProcessEnv = process.env): NodeJS.ProcessEnv {
  const home = path.join(SANDBOX_DIR, "home");
  return {
    ...emulatedEnvironment(parent, home, setUpTerraform(parent).env),
    AWS_ENDPOINT_URL: state.emulator,
    CONFIG_FILE: path.join(state.workspace, "config.json"),
    CDKTF_OUTDIR: path.join(state.workspace, "cdktf.out"),
  };
}

async function runAgainst(command: string[]): Promise<number> {
  const state = readState();
  if (!state || !controllerPid()) {
    process.stderr.write("sandbox: none is up: npm run sandbox first\n");
    return 2;
  }
  const ran = spawnSync(command[0], command.slice(1), { stdio: "inherit", cwd: ROOT, env: sandboxEnvironment(state) });
  if (ran.error) {
    process.stderr.write(`sandbox: could not run ${command[0]}: ${ran.error.message}\n`);
    return 2;
  }
  return ran.status ?? 1;
}

async function down(): Promise<number> {
  const pid = controllerPid();
  if (pid) {
    process.kill(pid, "SIGTERM");
    for (let i = 0; i < 100 && alive(pid); i++) await new Promise((resolve) => setTimeout(resolve, 300));
    if (alive(pid)) process.kill(pid, "SIGKILL");
  }
  const state = readState();
  const workspace = state?.workspace ?? (existsSync(file("workspace")) ? readFileSync(file("workspace"), "utf8").trim() : undefined);
  if (workspace?.startsWith(path.join(require("os").tmpdir(), "emulated-sandbox-"))) rmSync(workspace, { recursive: true, force: true });
  // Whatever a killed controller left: its namespaces, /etc/netns entries, files.
  if (process.platform === "linux" && process.getuid?.() === 0) await removeLeftovers();
  rmSync(SANDBOX_DIR, { recursive: true, force: true });
  process.stdout.write(pid || state ? "sandbox: down\n" : "sandbox: none was up\n");
  return 0;
}

async function main(argv: string[]): Promise<number> {
  if (argv[0] === "controller") {
    await controller();
    return -1;
  }
  const parsed = sandboxCommandLine(argv);
  if ("code" in parsed) exitWith(parsed);
  if (parsed.command === "exec") return exec(parsed.stack, parsed.argv);
  if (parsed.command === "run") return runAgainst(parsed.argv);
  return parsed.command === "down" ? down() : up();
}

if (require.main === module) {
  main(process.argv.slice(2)).then(
    (code) => code >= 0 && process.exit(code),
    (error: Error) => {
      process.stderr.write(`sandbox: ${error.stack ?? error.message}\n`);
      process.exit(2);
    },
  );
}
