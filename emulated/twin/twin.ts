/**
 * The data-plane twin of an emulated deployment: `Twin.start` reads the accounts given (AWS SDK
 * against the emulator), builds the model (`model.ts`), the network (`network-plan.ts`) and the
 * processes in it (`agent.ts`: a resolver per VPC, API Gateway at each execute-api endpoint
 * interface, a runner per Lambda function in a VPC); `sync()` reads the accounts again and applies
 * only what changed; `exec`, `curl` and `dig` run commands from a host's namespace; `stop()`
 * removes everything it made (also on SIGINT/SIGTERM, and a later start removes what a killed run
 * left).
 */
import { buildSync } from "esbuild";
import { createServer, Server } from "http";
import { mkdirSync, readFileSync, rmSync } from "fs";
import * as path from "path";
import { account, Account } from "../aws";
import type { Emulator } from "../emulator/emulator";
import { GatewayView } from "./gateway";
import { buildModel, HostModel, TwinModel } from "./model";
import { LinkPlan, NamespacePlan, NetworkPlan, planNetwork } from "./network-plan";
import { resolverView } from "./dns";
import { readAccounts } from "./read";
import {
  ask,
  claimRun,
  cpuSeconds,
  makeCertificates,
  missingRequirements,
  must,
  namespaceEtc,
  namespacesWork,
  PREFIX,
  removeLeftovers,
  removeNamespace,
  run,
  Ran,
  RUNS,
  startAgent,
} from "./system";

/** The twin cannot run here: the message says what is missing and how to get it. */
export class TwinUnavailable extends Error {}

export interface TwinOptions {
  readonly emulator: Emulator;
  /** Every account and region to model (the stacks' and any a scenario makes). */
  readonly accounts: { readonly accountId: string; readonly region: string }[];
  /** Receives one line per thing the twin does (its log). @default - none */
  readonly log?: (line: string) => void;
}

/** What one `sync()` did. */
export interface SyncReport {
  readonly seconds: number;
  /** What it changed: `namespace +twin-...`, `nft twin-...`, `view dns vpc-...`; empty when nothing. */
  readonly changes: string[];
  readonly problems: string[];
}

interface Agent {
  readonly key: string;
  readonly ns: string;
  readonly socket: string;
  readonly pid: number;
  /** Its stdout and stderr. */
  readonly log: string;
  readonly stop: () => void;
  lastView?: string;
}

const live = new Set<Twin>();
let handlersInstalled = false;

/**
 * On SIGINT/SIGTERM every live twin is removed; the process then ends, unless something else
 * listens for the signal too (it owns the ending: the sandbox's controller stops its emulator).
 */
function installSignalHandlers(): void {
  if (handlersInstalled) return;
  handlersInstalled = true;
  for (const signal of ["SIGINT", "SIGTERM"] as const) {
    process.on(signal, () => {
      const others = process.listenerCount(signal) > 1;
      void Promise.all([...live].map((twin) => twin.stop().catch(() => undefined))).finally(() => others || process.exit(signal === "SIGINT" ? 130 : 143));
    });
  }
}

/** A short random id: names stay within Linux's limits. */
const newRunId = () => Math.random().toString(36).slice(2, 8);

/** The last lines of a file, on one line; "" when it cannot be read. */
function readTail(file: string): string {
  try {
    return readFileSync(file, "utf8").trim().split("\n").slice(-5).join(" | ");
  } catch {
    return "";
  }
}

export class Twin {
  /** The model the network was last built from. */
  model!: TwinModel;
  plan!: NetworkPlan;
  readonly dir: string;
  private readonly namespaces = new Map<string, NamespacePlan>();
  private readonly links = new Map<string, LinkPlan>();
  private readonly agents = new Map<string, Agent>();
  private readonly indexes = new Map<string, number>();
  /** Agents started so far: each gets a control socket of its own. */
  private sockets = 0;
  private readonly accounts: Account[];
  private server?: Server;
  private runnerUrl?: string;
  private ca = "";
  private certs: Record<string, { cert: string; key: string }> = {};
  private agentScript = "";
  private syncing?: Promise<SyncReport>;
  /** What the last sync that changed anything changed (for a failure's explanation). */
  private lastChanges: string[] = [];
  /** Whether a sync was asked for while one ran: one more runs after it, so a change made meanwhile shows. */
  private syncAgain?: Promise<SyncReport>;
  /** Invocations the twin ran with the function's own code (a scenario checks its canary ran here, not an emulator's canned answer). */
  invocations = 0;
  /** Syncs done and their wall seconds in all. */
  readonly syncs = { count: 0, seconds: 0 };
  /** Agents that ended on their own: a twin's own failure, which `stop()` reports. */
  readonly agentDeaths: string[] = [];
  private stopped = false;

  private constructor(readonly runId: string, private readonly options: TwinOptions) {
    this.dir = path.join(RUNS, runId);
    this.accounts = options.accounts.map((a) => account(options.emulator, a.accountId, a.region));
  }

  /**
   * Checks what the twin needs (Linux, root, ip, nft, openssl, curl, dig), removes what dead runs
   * left, and builds the twin of what the accounts hold now.
   * @throws TwinUnavailable with one line saying what is missing and how to get it
   */
  static async start(options: TwinOptions): Promise<Twin> {
    const missing = missingRequirements();
    if (missing.length) throw new TwinUnavailable(`the data-plane twin needs ${missing.join("; ")}`);
    const cannot = await namespacesWork();
    if (cannot) throw new TwinUnavailable(`the data-plane twin needs ${cannot}`);
    const leftovers = await removeLeftovers();
    const twin = new Twin(newRunId(), options);
    if (leftovers.length) twin.log(`removed what dead runs left: ${leftovers.join(", ")}`);
    live.add(twin);
    installSignalHandlers();
    try {
      {
        claimRun(twin.runId);
        mkdirSync(path.join(twin.dir, "sockets"), { recursive: true });
        mkdirSync(path.join(twin.dir, "code"), { recursive: true });
        const regions = [...new Set(options.accounts.map((a) => a.region))].map((region) => ({ region, dnsSuffix: region.startsWith("cn-") ? "amazonaws.com.cn" : "amazonaws.com" }));
        const made = await makeCertificates(twin.dir, regions);
        twin.ca = made.ca;
        twin.certs = made.certs;
        twin.agentScript = path.join(twin.dir, "agent.js");
        buildSync({ entryPoints: [path.join(__dirname, "agent.ts")], bundle: true, platform: "node", target: "node20", format: "cjs", outfile: twin.agentScript, logLevel: "silent" });
        await twin.listenForInvocations();
      }
      await twin.sync();
      return twin;
    } catch (error) {
      await twin.stop();
      throw error;
    }
  }

  private log(line: string): void {
    this.options.log?.(line);
  }

  /**
   * CPU seconds of the twin's processes (resolvers, gateways, runners) while they run. Its node
   * work and the commands it waits for share the runner's process with the other scenarios, so
   * they are not told apart here: the runner's profile counts them.
   */
  agentsCpuSeconds(): number {
    return [...this.agents.values()].reduce((sum, a) => sum + cpuSeconds(a.pid), 0);
  }

  private names() {
    const index = (key: string) => {
      if (!this.indexes.has(key)) this.indexes.set(key, this.indexes.size + 1);
      return this.indexes.get(key)!;
    };
    return { index, namespace: (key: string) => `${PREFIX}${this.runId}-${index(`ns:${key}`)}` };
  }

  /** Reads the accounts again and applies what changed (one at a time: concurrent calls share one sync). */
  sync(): Promise<SyncReport> {
    if (this.stopped) return Promise.reject(new Error("the twin is stopped"));
    if (this.syncing) {
      // A sync under way read the accounts before this call's change: one more follows it (shared by every caller meanwhile).
      this.syncAgain ??= this.syncing.catch(() => undefined).then(() => {
        this.syncAgain = undefined;
        return this.sync();
      });
      return this.syncAgain;
    }
    this.syncing = this.syncOnce().finally(() => (this.syncing = undefined));
    return this.syncing;
  }

  private async syncOnce(): Promise<SyncReport> {
    const started = Date.now();
    const model = buildModel(await readAccounts(this.accounts));
    const plan = planNetwork(model, this.names());
    const changes = await this.apply(plan, model);
    this.model = model;
    this.plan = plan;
    const report = { seconds: (Date.now() - started) / 1000, changes, problems: model.problems };
    this.syncs.count++;
    this.syncs.seconds += report.seconds;
    if (changes.length) this.lastChanges = changes;
    if (changes.length) this.log(`sync: ${changes.length} change(s) in ${report.seconds.toFixed(2)} s: ${changes.slice(0, 12).join(", ")}${changes.length > 12 ? ", ..." : ""}`);
    for (const problem of model.problems) this.log(`problem: ${problem}`);
    return report;
  }

  private async apply(plan: NetworkPlan, model: TwinModel): Promise<string[]> {
    const changes: string[] = [];
    const wanted = new Map(plan.namespaces.map((n) => [n.name, n]));
    // Namespaces that went away, or whose one-time setup changed (a subnet added to a VPC): removed, links with them.
    for (const [name, applied] of this.namespaces) {
      const next = wanted.get(name);
      if (next && JSON.stringify([next.setup, next.sysctl]) === JSON.stringify([applied.setup, applied.sysctl])) continue;
      for (const [key, agent] of this.agents) if (agent.ns === name) this.stopAgent(key);
      await removeNamespace(name);
      this.namespaces.delete(name);
      for (const [key, link] of this.links) if (link.a.ns === name || link.b.ns === name) this.links.delete(key);
      changes.push(`namespace -${name}`);
    }
    for (const ns of plan.namespaces.filter((n) => !this.namespaces.has(n.name))) {
      await must("ip", ["netns", "add", ns.name]);
      if (ns.sysctl.length) await must("ip", ["netns", "exec", ns.name, "sysctl", "-q", "-w", ...ns.sysctl]);
      await must("ip", ["-n", ns.name, "-batch", "-"], `${ns.setup.join("\n")}\n`);
      const host = model.hosts.find((h) => `host:${h.id}` === ns.key);
      namespaceEtc(ns.name, host ? model.vpcs.find((v) => v.id === host.vpcId)?.resolver : undefined, this.ca);
      this.namespaces.set(ns.name, { ...ns, routing: [], nft: "" });
      changes.push(`namespace +${ns.name} (${ns.key})`);
    }
    const wantedLinks = new Map(plan.links.map((l) => [l.key, l]));
    for (const [key, link] of this.links) {
      const next = wantedLinks.get(key);
      if (next && JSON.stringify(next) === JSON.stringify(link)) continue;
      await run("ip", ["-n", link.a.ns, "link", "del", link.a.name]);
      this.links.delete(key);
      changes.push(`link -${key}`);
    }
    for (const link of plan.links.filter((l) => !this.links.has(l.key))) {
      await must("ip", ["link", "add", link.a.name, "netns", link.a.ns, "type", "veth", "peer", "name", link.b.name, "netns", link.b.ns]);
      await must("ip", ["-n", link.a.ns, "-batch", "-"], `${link.a.setup.join("\n")}\n`);
      await must("ip", ["-n", link.b.ns, "-batch", "-"], `${link.b.setup.join("\n")}\n`);
      this.links.set(link.key, link);
      changes.push(`link +${link.key}`);
    }
    for (const ns of plan.namespaces) {
      const applied = this.namespaces.get(ns.name)!;
      if (ns.routing.length && JSON.stringify(ns.routing) !== JSON.stringify(applied.routing)) {
        // -force: `route flush` of a table that is still empty is not an error worth stopping for.
        const ran = await run("ip", ["-n", ns.name, "-force", "-batch", "-"], `${ns.routing.join("\n")}\n`);
        const errors = ran.stderr.split("\n").filter((l) => l && !/Nothing to flush|flush terminated|Command failed -:\d+$/.test(l));
        if (errors.length) throw new Error(`routing of ${ns.name} (${ns.key}): ${errors.join("; ")}\n${ns.routing.join("\n")}`);
        changes.push(`routing ${ns.name} (${ns.key})`);
      }
      if (ns.nft !== applied.nft) {
        await must("ip", ["netns", "exec", ns.name, "nft", "-f", "-"], `flush ruleset\n${ns.nft}`);
        changes.push(`nft ${ns.name} (${ns.key})`);
      }
      this.namespaces.set(ns.name, ns);
    }
    await this.applyAgents(plan, model, changes);
    return changes;
  }

  private stopAgent(key: string): void {
    this.agents.get(key)?.stop();
    this.agents.delete(key);
  }

  private async agent(key: string, ns: string, args: (socket: string) => string[]): Promise<Agent> {
    const existing = this.agents.get(key);
    if (existing && existing.ns === ns) return existing;
    if (existing) this.stopAgent(key);
    const socket = path.join(this.dir, "sockets", `${++this.sockets}.sock`);
    rmSync(socket, { force: true });
    const log = path.join(this.dir, `${key.replace(/[^A-Za-z0-9.-]/g, "_")}.log`);
    const started = await startAgent(ns, this.agentScript, args(socket), log, { NODE_EXTRA_CA_CERTS: this.ca, AWS_EC2_METADATA_DISABLED: "true" });
    const made: Agent = { key, ns, socket, pid: started.pid, log, stop: started.stop };
    this.agents.set(key, made);
    // An agent that ends on its own is forgotten (the next sync starts it again) and logged with its log's end.
    void started.exited.then((code) => {
      if (this.agents.get(key) !== made || this.stopped) return;
      this.agents.delete(key);
      const death = `agent ${key} (pid ${made.pid}) exited with ${code}: ${readTail(log)}`;
      this.agentDeaths.push(death);
      this.log(death);
    });
    return made;
  }

  private async view(agent: Agent, view: unknown, changes: string[]): Promise<void> {
    const text = JSON.stringify(view);
    if (agent.lastView === text) return;
    await ask(agent.socket, { op: "view", view });
    agent.lastView = text;
    changes.push(`view ${agent.key}`);
  }

  private async applyAgents(plan: NetworkPlan, model: TwinModel, changes: string[]): Promise<void> {
    const keep = new Set<string>();
    await Promise.all(plan.resolvers.map(async (r) => {
      const key = `dns:${r.vpcId}`;
      keep.add(key);
      const agent = await this.agent(key, r.ns, (socket) => ["dns", r.address, socket]);
      await this.view(agent, resolverView(model, r.vpcId), changes);
    }));
    await Promise.all(plan.gateways.map(async (g) => {
      const key = `gateway:${g.hostId}`;
      keep.add(key);
      const endpoint = model.endpoints.find((e) => e.id === g.endpointId)!;
      const cert = this.certs[endpoint.region];
      if (!cert) throw new Error(`no certificate for ${endpoint.region}: add an account in that region to the twin's accounts`);
      const agent = await this.agent(key, g.ns, (socket) => ["gateway", g.address, socket, cert.cert, cert.key]);
      const dnsSuffix = endpoint.region.startsWith("cn-") ? "amazonaws.com.cn" : "amazonaws.com";
      const partition = endpoint.region.startsWith("cn-") ? "aws-cn" : endpoint.region.startsWith("us-gov-") ? "aws-us-gov" : "aws";
      const view: GatewayView = { endpoint: { id: endpoint.id, accountId: endpoint.accountId, region: endpoint.region, vpcId: endpoint.vpcId, policy: endpoint.policy }, apis: model.apis.filter((a) => a.region === endpoint.region), dnsSuffix, partition };
      await this.view(agent, view, changes);
    }));
    await Promise.all(model.hosts.filter((h) => h.kind === "function").map(async (h) => {
      const key = `runner:${h.id}`;
      keep.add(key);
      await this.agent(key, plan.hostNamespaces[h.id], (socket) => ["runner", socket, path.join(this.dir, "code")]);
    }));
    for (const key of [...this.agents.keys()]) {
      if (!keep.has(key)) {
        this.stopAgent(key);
        changes.push(`agent -${key}`);
      }
    }
  }

  /** The host `id` (`client:<subnet>`, an ENI id, `function:<account>:<region>:<name>`). */
  host(id: string): HostModel {
    const host = this.model.hosts.find((h) => h.id === id);
    if (!host) throw new Error(`the twin has no host ${id}; it has ${this.model.hosts.map((h) => h.id).join(", ")}`);
    return host;
  }

  /** The client host of `vpcId`'s first subnet (or of the subnet given). */
  client(where: { vpcId?: string; subnetId?: string; accountId?: string }): HostModel {
    const vpcId = where.vpcId ?? (where.accountId ? this.model.vpcs.find((v) => v.accountId === where.accountId)?.id : undefined);
    const subnet = where.subnetId ?? this.model.subnets.find((s) => s.vpcId === vpcId)?.id;
    const host = this.model.hosts.find((h) => h.kind === "client" && h.subnetId === subnet);
    if (!host) throw new Error(`the twin has no client in ${JSON.stringify(where)}`);
    return host;
  }

  /** The namespace of a host (for `ip netns exec`). */
  namespaceOf(hostId: string): string {
    const ns = this.plan.hostNamespaces[hostId];
    if (!ns) throw new Error(`the twin has no namespace for ${hostId}`);
    return ns;
  }

  /** Runs `argv` inside the host's namespace (its resolver, only the twin's CA trusted). */
  exec(hostId: string, argv: string[], timeoutMs = 30_000): Promise<Ran> {
    return run("ip", ["netns", "exec", this.namespaceOf(hostId), ...argv], undefined, timeoutMs);
  }

  /** `curl` from a host: the HTTP status and body, or curl's exit code and error (6 DNS, 7 refused, 28 timeout, 60 TLS). */
  async curl(hostId: string, url: string, options: { headers?: Record<string, string>; maxTime?: number } = {}): Promise<{ exit: number; status?: number; body: string; error: string; command: string }> {
    const headers = Object.entries(options.headers ?? {}).flatMap(([k, v]) => ["-H", `${k}: ${v}`]);
    const args = ["curl", "-sS", "--max-time", String(options.maxTime ?? 4), "-w", "\n%{http_code}", ...headers, url];
    const ran = await this.exec(hostId, args, ((options.maxTime ?? 4) + 10) * 1000);
    const cut = ran.stdout.lastIndexOf("\n");
    const status = Number(ran.stdout.slice(cut + 1));
    const shown = ["curl", ...Object.entries(options.headers ?? {}).flatMap(([k, v]) => ["-H", `"${k}: ${v}"`]), url].join(" ");
    return { exit: ran.code, status: ran.code === 0 && status ? status : undefined, body: ran.stdout.slice(0, Math.max(cut, 0)), error: ran.stderr.trim(), command: shown };
  }

  /**
   * `dig` from a host through its VPC's resolver: the status and the A records (CNAMEs followed).
   * Three tries of 2 s: the resolver always answers (NXDOMAIN included), but a resolver just
   * restarted by a sync, on a machine running four scenarios on two cores, once took longer than
   * one try (CI, many-consumers after a consumer's removal).
   */
  async dig(hostId: string, name: string): Promise<{ status: string; addresses: string[]; cnames: string[]; output: string }> {
    const ran = await this.exec(hostId, ["dig", "+time=2", "+tries=3", "+noall", "+comments", "+answer", name, "A"]);
    const status = /status: ([A-Z]+)/.exec(ran.stdout)?.[1] ?? (ran.code === 9 ? "TIMEOUT" : `exit ${ran.code}`);
    const lines = ran.stdout.split("\n").filter((l) => !l.startsWith(";") && l.trim());
    const field = (type: string) => lines.map((l) => l.split(/\s+/)).filter((f) => f[3] === type).map((f) => f[4].replace(/\.$/, ""));
    // The resolver always answers: no answer is the twin's own failure, and says what it found.
    const output = status === "TIMEOUT" ? `${ran.stdout}${await this.resolverState(hostId)}` : ran.stdout;
    return { status, addresses: field("A"), cnames: field("CNAME"), output };
  }

  /** What stands between a host and its VPC's resolver: for a dig that got no answer. */
  private async resolverState(hostId: string): Promise<string> {
    const host = this.host(hostId);
    const vpc = this.model.vpcs.find((v) => v.id === host.vpcId);
    const router = this.plan.resolvers.find((r) => r.vpcId === host.vpcId);
    const agent = this.agents.get(`dns:${host.vpcId}`);
    const alive = agent ? (await run("kill", ["-0", String(agent.pid)])).code === 0 : false;
    const show = async (ns: string | undefined, args: string[]) => (ns ? (await run("ip", ["-n", ns, ...args])).stdout.trim() || "(nothing)" : "(no namespace)");
    return [
      `the twin: resolver ${vpc?.resolver} of ${host.vpcId} in ${router?.ns}; its process ${agent ? `${agent.pid} (${alive ? "running" : "gone"}, in ${agent.ns}, view ${agent.lastView ? "sent" : "never sent"})` : "none"}`,
      `${router?.ns} addresses: ${await show(router?.ns, ["-brief", "address"])}`,
      `${router?.ns} pids: ${(await run("ip", ["netns", "pids", router?.ns ?? "-"])).stdout.trim().replace(/\s+/g, " ")}`,
      `host ${hostId} (${this.plan.hostNamespaces[hostId]}): ${await show(this.plan.hostNamespaces[hostId], ["-brief", "address"])}; routes: ${await show(this.plan.hostNamespaces[hostId], ["route"])}`,
      `last sync changes: ${this.lastChanges.join(", ") || "none"}`,
      `its log ends: ${agent ? readTail(agent.log) : "(no agent)"}`,
      "",
    ].join("\n");
  }

  /** A loopback HTTP server that runs forwarded Lambda invocations in the function's namespace (see the launcher's lambda-runner). */
  private async listenForInvocations(): Promise<void> {
    this.server = createServer((request, response) => {
      const chunks: Buffer[] = [];
      request.on("data", (c) => chunks.push(c));
      request.on("end", () => {
        const [, , accountId, region] = (request.url ?? "").split("/");
        this.invoke(accountId, region, JSON.parse(Buffer.concat(chunks).toString("utf8") || "{}")).then(
          (result) => response.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify(result)),
          (error: Error) => response.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify({ payload: JSON.stringify({ errorType: "TwinError", errorMessage: error.message }), function_error: "Unhandled" })),
        );
      });
    });
    await new Promise<void>((resolve) => this.server!.listen(0, "127.0.0.1", resolve));
    this.runnerUrl = `http://127.0.0.1:${(this.server.address() as import("net").AddressInfo).port}`;
  }

  private async invoke(accountId: string, region: string, request: any): Promise<{ payload: string; function_error?: string }> {
    // What the accounts hold now: a route deleted since the last call shows in this one.
    await this.sync();
    const host = this.model.hosts.find((h) => h.kind === "function" && h.functionName === request.function_name && h.accountId === accountId && h.region === region);
    if (!host) return { payload: JSON.stringify({ errorType: "TwinError", errorMessage: `the data-plane twin has no place for ${request.function_name} (${accountId}/${region}): it runs functions in a VPC subnet of the accounts it reads` }), function_error: "Unhandled" };
    const agent = this.agents.get(`runner:${host.id}`);
    if (!agent) throw new Error(`no runner for ${host.id}`);
    this.log(`invoke ${request.function_name} in ${host.subnetId} (${host.address})`);
    this.invocations++;
    return ask(agent.socket, { ...request, op: "invoke", region }, (Number(request.timeout ?? 3) + 20) * 1000);
  }

  /** Makes the emulator run every invocation in the twin's accounts and regions with the function's own code, in its subnet. */
  async attachLambdaRunner(): Promise<void> {
    for (const { accountId, region } of this.options.accounts) await this.postRunner(accountId, region, `${this.runnerUrl}/lambda/${accountId}/${region}`);
  }

  private async postRunner(accountId: string, region: string, url: string | null): Promise<void> {
    const response = await fetch(`${this.options.emulator.url}/_emulator/lambda-runner`, { method: "POST", body: JSON.stringify({ account_id: accountId, region, url }) });
    if (!response.ok) throw new Error(`emulator /_emulator/lambda-runner: ${response.status} ${await response.text()}`);
  }

  /** Removes everything this twin made: processes, namespaces (and links, rules), /etc/netns entries, files. */
  async stop(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    live.delete(this);
    if (this.runnerUrl) {
      for (const { accountId, region } of this.options.accounts) await this.postRunner(accountId, region, null).catch(() => undefined);
    }
    await this.syncing?.catch(() => undefined);
    for (const key of [...this.agents.keys()]) this.stopAgent(key);
    this.server?.close();
    const names = new Set([...this.namespaces.keys(), ...((await run("ip", ["netns", "list"])).stdout.split("\n").map((l) => l.split(" ")[0]).filter((n) => n.startsWith(`${PREFIX}${this.runId}-`)))]);
    for (const name of names) await removeNamespace(name);
    this.namespaces.clear();
    rmSync(this.dir, { recursive: true, force: true });
  }
}
