import { ChildProcess, spawn, spawnSync } from "child_process";
import { closeSync, existsSync, openSync, readdirSync } from "fs";
import * as path from "path";
import { processCpuSeconds } from "../profile";

/** The moto version the launcher's corrections are written against. */
export const MOTO_VERSION = "5.2.3";

const ROOT = path.join(__dirname, "../..");
const LAUNCHER = path.join(__dirname, "moto_launcher.py");
/** Where `.ci/run` unpacks moto's source when no Python package index is reachable. */
const UNPACKED = path.join(ROOT, "node_modules/.cache/moto");

/** How to get the emulator, for the one line printed when there is none. */
export const HOW_TO_GET_ONE = `install moto ${MOTO_VERSION} (pip install "moto[server]==${MOTO_VERSION}"), or set MOTO_PATH to a directory holding its source, or name a running one with --emulator http://127.0.0.1:<port>`;

/** A Python that can run moto server. */
export interface MotoInstallation {
  readonly python: string;
  /** PYTHONPATH that makes `import moto` find it (empty when it is installed). */
  readonly pythonPath: string;
}

/**
 * Finds moto: a Python (EMULATOR_PYTHON, python3, Debian's /usr/bin/python3) that imports moto
 * ${MOTO_VERSION} and its server's dependencies, from MOTO_PATH, from what `.ci/run` unpacked, or installed.
 * Returns a sentence saying what is missing when there is none.
 */
export function findMoto(env: NodeJS.ProcessEnv = process.env): MotoInstallation | { missing: string } {
  const unpacked = existsSync(UNPACKED) ? readdirSync(UNPACKED).filter((d) => d.startsWith("moto-")).map((d) => path.join(UNPACKED, d)) : [];
  const paths = [...(env.MOTO_PATH ? [path.resolve(env.MOTO_PATH)] : []), ...unpacked, ""];
  const pythons = [...new Set([env.EMULATOR_PYTHON, "python3", "/usr/bin/python3"].filter((p): p is string => !!p))];
  const seen: string[] = [];
  for (const pythonPath of paths) {
    for (const python of pythons) {
      const probe = spawnSync(python, ["-c", "import moto, werkzeug, flask, boto3; print(moto.__version__)"], {
        encoding: "utf8",
        env: { PATH: env.PATH, PYTHONPATH: pythonPath },
        timeout: 30_000,
      });
      const version = probe.status === 0 ? probe.stdout.trim() : undefined;
      if (version === MOTO_VERSION) return { python, pythonPath };
      if (version) seen.push(`moto ${version} (${python})`);
    }
  }
  const found = seen.length ? `found only ${[...new Set(seen)].join(", ")}, and its corrections are written for ${MOTO_VERSION}` : "no moto server found";
  return { missing: `${found}: ${HOW_TO_GET_ONE}` };
}

/** A running emulator: every AWS service of every account and region on one loopback URL. */
export interface Emulator {
  readonly url: string;
  /** The file its output goes to. */
  readonly log: string;
  /** Whether it runs the project's corrections (false for a plain moto the user named). */
  readonly corrected: boolean;
  /** Whether this suite started it (and so owns its whole state). */
  readonly owned: boolean;
  /** Settles if the emulator ends before `stop` (it died): with a sentence saying so. */
  readonly died: Promise<string>;
  /** The CPU it has used so far, in seconds (0 for one the suite did not start). */
  cpuSeconds(): number;
  stop(): Promise<void>;
}

/**
 * Starts the launcher on a free loopback port, `without` those corrections, writing its output to
 * `log`; resolves once it accepts requests, with Lambda's Docker-free backend selected.
 */
export async function startEmulator(moto: MotoInstallation, log: string, without: string[] = []): Promise<Emulator> {
  const fd = openSync(log, "a");
  const args = [LAUNCHER, "--port", "0", ...without.flatMap((name) => ["--without", name])];
  const child = spawn(moto.python, args, {
    env: { PATH: process.env.PATH, PYTHONPATH: moto.pythonPath, PYTHONUNBUFFERED: "1" },
    stdio: ["ignore", "pipe", fd],
    detached: true,
  });
  closeSync(fd);
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`the emulator did not start within 60 s: see ${log}`)), 60_000);
    let output = "";
    child.stdout!.on("data", (chunk) => {
      output += chunk;
      const match = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(output);
      if (match) {
        clearTimeout(timer);
        resolve(match[1]);
      }
    });
    child.on("exit", (code) => {
      clearTimeout(timer);
      reject(new Error(`the emulator exited (code ${code}) before it listened: see ${log}`));
    });
  });
  child.stdout!.resume();
  let stopping = false;
  const died = new Promise<string>((resolve) => child.on("exit", (code, signal) => !stopping && resolve(`the emulator at ${url} ended (${signal ?? `exit code ${code}`})`)));
  let cpu = 0;
  const cpuSeconds = () => (cpu = Math.max(cpu, processCpuSeconds(child.pid)));
  const stop = () => ((stopping = true), cpuSeconds(), stopProcess(child));
  const emulator: Emulator = { url, log, corrected: true, owned: true, died, cpuSeconds, stop };
  await configure(emulator);
  return emulator;
}

/** An emulator the user runs, at `url`: emptied before each scenario, never stopped by the suite. */
export async function namedEmulator(url: string): Promise<Emulator> {
  if (!/^http:\/\/(127\.0\.0\.1|localhost)(:\d+)?\/?$/.test(url)) throw new Error(`--emulator: expected a loopback URL such as http://127.0.0.1:5000, got ${url}`);
  const base = url.replace(/\/$/, "");
  const corrections = await fetch(`${base}/_emulator/corrections`).then((r) => (r.ok ? r.json() : undefined), () => {
    throw new Error(`--emulator: nothing answers at ${base}`);
  });
  const emulator: Emulator = { url: base, log: "(the emulator's own output)", corrected: Array.isArray(corrections), owned: false, died: new Promise(() => undefined), cpuSeconds: () => 0, stop: async () => undefined };
  await reset(emulator);
  return emulator;
}

/** Empties every account and region, and selects Lambda's Docker-free backend again. */
export async function reset(emulator: Emulator): Promise<void> {
  await post(emulator, "/moto-api/reset", {});
  await configure(emulator);
}

/**
 * Lambda runs no function code here (no Docker): its "simple" backend answers each invocation with
 * the next queued result, and echoes the request once the queue is empty.
 */
async function configure(emulator: Emulator): Promise<void> {
  await post(emulator, "/moto-api/config", { lambda: { use_docker: false } });
}

/** Turns the named corrections of the project's launcher off, and every other one on. */
export async function setCorrections(emulator: Emulator, disabled: string[]): Promise<void> {
  await post(emulator, "/_emulator/corrections", { disabled });
}

/** Queues what the next invocations of any function in `accountId`/`region` answer, in order. */
export async function queueLambdaResults(emulator: Emulator, accountId: string, region: string, results: unknown[]): Promise<void> {
  await post(emulator, "/moto-api/static/lambda-simple/response", {
    account_id: accountId,
    region,
    results: results.map((r) => (typeof r === "string" ? r : JSON.stringify(r))),
  });
}

/** How many times each Lambda function was invoked, by name (the launcher counts them). */
export async function lambdaInvocations(emulator: Emulator): Promise<Record<string, number>> {
  return (await fetch(`${emulator.url}/_emulator/invocations`)).json() as Promise<Record<string, number>>;
}

/** The access key ids of every signed request the emulator has answered. */
export async function accessKeysSeen(emulator: Emulator): Promise<string[]> {
  return (await fetch(`${emulator.url}/_emulator/access-keys`)).json() as Promise<string[]>;
}

async function post(emulator: Emulator, route: string, body: unknown): Promise<void> {
  const response = await fetch(`${emulator.url}${route}`, { method: "POST", body: JSON.stringify(body), headers: { "content-type": "application/json" } });
  if (!response.ok) throw new Error(`emulator ${route}: ${response.status} ${await response.text()}`);
}

/** Ends a process and its children, and waits for it. */
export function stopProcess(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    child.once("exit", () => resolve());
    try {
      process.kill(-child.pid!, "SIGTERM");
    } catch {
      child.kill("SIGTERM");
    }
    setTimeout(() => {
      try {
        process.kill(-child.pid!, "SIGKILL");
      } catch {
        // already gone
      }
    }, 5_000).unref();
  });
}

/**
 * What every invocation of a function in `accountId`/`region` answers from now on (once any
 * queued results are used): moto runs no function code, so the suite says what the canary found.
 */
export async function setLambdaAnswer(emulator: Emulator, accountId: string, region: string, result: unknown): Promise<void> {
  const response = await fetch(`${emulator.url}/_emulator/lambda-answer`, {
    method: "POST",
    body: JSON.stringify({ account_id: accountId, region, result: typeof result === "string" ? result : JSON.stringify(result) }),
  });
  if (!response.ok) throw new Error(`emulator /_emulator/lambda-answer: ${response.status}`);
}
