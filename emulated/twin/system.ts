/**
 * What the twin does to the machine, and how it undoes it: every namespace, link, rule, process
 * and file it makes is named with a fixed prefix and a run id, a run records its owner (pid and
 * start time) in its directory, and each start removes what dead runs left (a run killed with -9
 * included). Nothing is ever created in the host's network namespace: links are made directly
 * inside the twin's namespaces, which have no link to the host's network.
 */
import { execFile, spawn, spawnSync } from "child_process";
import { appendFileSync, closeSync, existsSync, mkdirSync, openSync, readdirSync, readFileSync, rmSync, writeFileSync } from "fs";
import { createConnection } from "net";
import * as path from "path";

/** Namespaces are `twin-<run>-<n>`; files are under /tmp/emulated-twin/<run>/ and /etc/netns/twin-<run>-<n>/. */
export const PREFIX = "twin-";
export const RUNS = "/tmp/emulated-twin";
const NETNS_ETC = "/etc/netns";

/** A command's result. */
export interface Ran {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs `cmd` with `input` on stdin; never throws for a non-zero exit. */
export function run(cmd: string, args: string[], input?: string, timeoutMs = 30_000): Promise<Ran> {
  return new Promise((resolve) => {
    const child = execFile(cmd, args, { timeout: timeoutMs, maxBuffer: 16 * 1024 * 1024, env: { PATH: process.env.PATH ?? "/usr/sbin:/usr/bin:/sbin:/bin", LANG: "C" } }, (error, stdout, stderr) => {
      resolve({ code: error ? (typeof (error as any).code === "number" ? (error as any).code : 1) : 0, stdout: String(stdout), stderr: String(stderr) });
    });
    if (input !== undefined) child.stdin!.end(input);
  });
}

/** Like `run`, but a non-zero exit is an error naming the command and what it printed. */
export async function must(cmd: string, args: string[], input?: string): Promise<string> {
  const ran = await run(cmd, args, input);
  if (ran.code !== 0) throw new Error(`${cmd} ${args.join(" ")} failed (exit ${ran.code}): ${(ran.stderr || ran.stdout).trim().slice(0, 2000)}${input ? `\ninput:\n${input.slice(0, 2000)}` : ""}`);
  return ran.stdout;
}

/** What the twin cannot run without, each with how to get it; empty when all is there. */
export function missingRequirements(): string[] {
  const missing: string[] = [];
  if (process.platform !== "linux") return [`Linux (network namespaces): this is ${process.platform}; run it in a Linux VM or container with CAP_NET_ADMIN`];
  if (process.getuid?.() !== 0) missing.push("root (CAP_NET_ADMIN and CAP_SYS_ADMIN for network namespaces): run it as root, e.g. sudo -E npm run sandbox");
  const tools: [string, string[], string][] = [
    ["ip", ["-V"], "iproute2"],
    ["nft", ["--version"], "nftables"],
    ["openssl", ["version"], "openssl"],
    ["curl", ["--version"], "curl"],
    ["dig", ["-v"], "dnsutils"],
  ];
  for (const [tool, args, pkg] of tools) {
    if (spawnSync(tool, args, { stdio: "ignore" }).error) missing.push(`${tool}: apt-get install -y ${pkg}`);
  }
  return missing;
}

/** Whether network namespaces can be made here (root alone is not enough in some containers). */
export async function namespacesWork(): Promise<string | undefined> {
  // Unique per call: twins of concurrent scenarios start in one process.
  const probe = `${PREFIX}probe-${process.pid}-${Math.random().toString(36).slice(2, 8)}`;
  const made = await run("ip", ["netns", "add", probe]);
  if (made.code !== 0) return `network namespaces cannot be made here (${made.stderr.trim()}): run it as root on a Linux host or a container with CAP_NET_ADMIN and CAP_SYS_ADMIN`;
  await run("ip", ["netns", "del", probe]);
  return undefined;
}

/** A process's start time (clock ticks since boot), to tell it from a later process with its pid. */
function startTime(pid: number): string | undefined {
  try {
    return readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1].split(" ")[19];
  } catch {
    return undefined;
  }
}

/** Records this process as the owner of run `id`. */
export function claimRun(id: string): string {
  const dir = path.join(RUNS, id);
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  writeFileSync(path.join(dir, "owner"), `${process.pid} ${startTime(process.pid)}\n`);
  return dir;
}

function ownerAlive(id: string): boolean {
  try {
    const [pid, started] = readFileSync(path.join(RUNS, id, "owner"), "utf8").trim().split(" ");
    return startTime(Number(pid)) === started;
  } catch {
    return false;
  }
}

/** The twin's namespaces that exist, by run id. */
export async function twinNamespaces(): Promise<Map<string, string[]>> {
  const listed = (await run("ip", ["netns", "list"])).stdout.split("\n").map((l) => l.split(" ")[0]).filter((n) => n.startsWith(PREFIX));
  const runs = new Map<string, string[]>();
  for (const name of listed) {
    const id = name.slice(PREFIX.length).split("-")[0];
    runs.set(id, [...(runs.get(id) ?? []), name]);
  }
  return runs;
}

/** Ends the processes inside `ns` (the twin's own: nothing else runs in its namespaces), by pid, then removes it. */
export async function removeNamespace(ns: string): Promise<void> {
  const pids = (await run("ip", ["netns", "pids", ns])).stdout.split(/\s+/).filter(Boolean).map(Number);
  for (const pid of pids) {
    try {
      process.kill(pid, "SIGKILL");
    } catch {
      // already gone
    }
  }
  await run("ip", ["netns", "del", ns]);
  rmSync(path.join(NETNS_ETC, ns), { recursive: true, force: true });
}

/** Removes what every run whose owner is gone left behind: namespaces (and their processes), /etc/netns entries, files. */
export async function removeLeftovers(): Promise<string[]> {
  const removed: string[] = [];
  for (const [id, names] of await twinNamespaces()) {
    if (ownerAlive(id)) continue;
    // A probe (`twin-probe-<pid>-<random>`) is left only by a process killed between its add and del.
    const gone = id === "probe" ? names.filter((ns) => !existsSync(`/proc/${ns.split("-")[2]}`)) : names;
    for (const ns of gone) await removeNamespace(ns);
    removed.push(...gone);
  }
  if (existsSync(NETNS_ETC)) {
    for (const entry of readdirSync(NETNS_ETC).filter((e) => e.startsWith(PREFIX))) {
      const id = entry.slice(PREFIX.length).split("-")[0];
      if (!ownerAlive(id)) rmSync(path.join(NETNS_ETC, entry), { recursive: true, force: true });
    }
  }
  if (existsSync(RUNS)) {
    for (const id of readdirSync(RUNS)) {
      if (!ownerAlive(id)) {
        rmSync(path.join(RUNS, id), { recursive: true, force: true });
        removed.push(path.join(RUNS, id));
      }
    }
  }
  return removed;
}

/** The files `ip netns exec <ns>` puts over /etc inside the namespace: its resolver, and only the twin's CA trusted. */
export function namespaceEtc(ns: string, resolver: string | undefined, caCert: string): void {
  const dir = path.join(NETNS_ETC, ns);
  mkdirSync(path.join(dir, "ssl", "certs"), { recursive: true });
  if (resolver) writeFileSync(path.join(dir, "resolv.conf"), `nameserver ${resolver}\noptions timeout:2 attempts:2\n`);
  writeFileSync(path.join(dir, "ssl", "certs", "ca-certificates.crt"), readFileSync(caCert));
  if (existsSync("/etc/ssl/openssl.cnf")) writeFileSync(path.join(dir, "ssl", "openssl.cnf"), readFileSync("/etc/ssl/openssl.cnf"));
}

/**
 * A CA made for this run (trusted only inside the twin's namespaces) and, per DNS suffix and
 * region, a certificate for the names API Gateway serves through an execute-api endpoint: the
 * private DNS names and every `vpce-...` name of the region.
 */
export async function makeCertificates(dir: string, regions: { region: string; dnsSuffix: string }[]): Promise<{ ca: string; certs: Record<string, { cert: string; key: string }> }> {
  const ca = path.join(dir, "ca.crt");
  const caKey = path.join(dir, "ca.key");
  if (!existsSync(ca)) {
    await must("openssl", ["req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes", "-keyout", caKey, "-out", ca, "-days", "7", "-subj", `/CN=data-plane twin CA ${path.basename(dir)}`, "-addext", "basicConstraints=critical,CA:TRUE", "-addext", "keyUsage=critical,keyCertSign,cRLSign"]);
  }
  const certs: Record<string, { cert: string; key: string }> = {};
  for (const { region, dnsSuffix } of regions) {
    const cert = path.join(dir, `${region}.crt`);
    const key = path.join(dir, `${region}.key`);
    if (!existsSync(cert)) {
      const ext = path.join(dir, `${region}.ext`);
      const names = [`execute-api.${region}.${dnsSuffix}`, `*.execute-api.${region}.${dnsSuffix}`, `*.execute-api.${region}.vpce.${dnsSuffix}`];
      writeFileSync(ext, `basicConstraints=CA:FALSE\nkeyUsage=digitalSignature\nextendedKeyUsage=serverAuth\nsubjectAltName=${names.map((n) => `DNS:${n}`).join(",")}\n`);
      const csr = path.join(dir, `${region}.csr`);
      await must("openssl", ["req", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes", "-keyout", key, "-out", csr, "-subj", `/CN=*.execute-api.${region}.${dnsSuffix}`]);
      await must("openssl", ["x509", "-req", "-in", csr, "-CA", ca, "-CAkey", caKey, "-CAcreateserial", "-out", cert, "-days", "7", "-extfile", ext]);
    }
    certs[region] = { cert, key };
  }
  return { ca, certs };
}

/** Starts `node <script> <args>` inside `ns`, its output appended to `log`; resolves once it prints "ready". */
export function startAgent(ns: string, script: string, args: string[], log: string, env: Record<string, string>): Promise<{ pid: number; stop: () => void; exited: Promise<number | null> }> {
  const fd = openSync(log, "a");
  const child = spawn("ip", ["netns", "exec", ns, process.execPath, script, ...args], { stdio: ["ignore", "pipe", fd], env: { PATH: process.env.PATH ?? "", ...env } });
  closeSync(fd);
  const exited = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));
  return new Promise((resolve, reject) => {
    let output = "";
    const timer = setTimeout(() => {
      child.kill("SIGKILL");
      reject(new Error(`the twin's ${args[0] ?? "agent"} in ${ns} did not start within 20 s: see ${log}`));
    }, 20_000);
    child.stdout!.on("data", (chunk) => {
      output += chunk;
      appendFileSync(log, chunk);
      if (output.includes("ready\n") && timer) {
        clearTimeout(timer);
        resolve({ pid: child.pid!, stop: () => child.kill("SIGKILL"), exited });
      }
    });
    child.on("exit", (code) => {
      clearTimeout(timer);
      reject(new Error(`the twin's agent (${args.join(" ")}) in ${ns} exited with ${code} before it was ready: see ${log}`));
    });
  });
}

/** Sends one JSON request to an agent's control socket and returns its result. */
export function ask(socketPath: string, request: unknown, timeoutMs = 60_000): Promise<any> {
  return new Promise((resolve, reject) => {
    const connection = createConnection(socketPath);
    let text = "";
    const timer = setTimeout(() => {
      connection.destroy();
      reject(new Error(`no answer from ${socketPath} within ${timeoutMs} ms`));
    }, timeoutMs);
    connection.on("data", (chunk) => (text += chunk));
    connection.on("error", (error) => {
      clearTimeout(timer);
      reject(error);
    });
    connection.on("end", () => {
      clearTimeout(timer);
      try {
        const answer = JSON.parse(text);
        if (answer.ok) resolve(answer.result);
        else reject(new Error(answer.error));
      } catch (error) {
        reject(new Error(`${socketPath} answered ${JSON.stringify(text.slice(0, 200))}: ${(error as Error).message}`));
      }
    });
    connection.write(`${JSON.stringify(request)}\n`);
  });
}

let ticksPerSecond: number | undefined;
const ticks = () => (ticksPerSecond ??= Number(spawnSync("getconf", ["CLK_TCK"], { encoding: "utf8" }).stdout?.trim() || 100));

/** CPU seconds a live process has used (user + system), from /proc. */
export function cpuSeconds(pid: number): number {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1].split(" ");
    return (Number(fields[11]) + Number(fields[12])) / ticks();
  } catch {
    return 0;
  }
}
