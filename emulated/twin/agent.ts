/**
 * The twin's processes inside its namespaces, one per namespace that needs one (bundled with
 * esbuild and started with `ip netns exec <ns> node agent.js <role> ...`):
 *
 *   dns <address> <control-socket>       the VPC's resolver on <address>:53/udp (dns.ts's answers)
 *   gateway <address> <control-socket> <cert> <key>
 *                                        the execute-api endpoint on <address>:443 (gateway.ts)
 *   runner <control-socket> <code-dir>   runs a Lambda function's own code in its subnet
 *
 * Each takes its view (and invocations) as one JSON line per connection on its Unix control
 * socket (a path on the shared filesystem, reachable from the host's namespace), answers one JSON
 * line, prints "ready" once it listens, and exits when the twin that started it is gone.
 */
import { createSocket } from "dgram";
import * as dnsPacket from "dns-packet";
import { unzipSync } from "fflate";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "fs";
import { createServer as createHttpsServer } from "https";
import { createServer } from "net";
import * as path from "path";
import { answer, ResolverView } from "./dns";
import { GatewayView, handle } from "./gateway";

type Control = (request: any) => Promise<unknown> | unknown;

function control(socketPath: string, onRequest: Control): Promise<void> {
  const server = createServer((connection) => {
    let text = "";
    connection.on("data", (chunk) => {
      text += chunk;
      const end = text.indexOf("\n");
      if (end < 0) return;
      Promise.resolve()
        .then(() => onRequest(JSON.parse(text.slice(0, end))))
        .then((result) => connection.end(`${JSON.stringify({ ok: true, result })}\n`), (error: Error) => connection.end(`${JSON.stringify({ ok: false, error: error.stack ?? error.message })}\n`));
    });
  });
  return new Promise((resolve) => server.listen(socketPath, resolve));
}

/** Exits once the process that started this one is gone (a twin killed with -9 leaves nothing running). */
function followParent(): void {
  const parent = process.ppid;
  setInterval(() => {
    if (process.ppid !== parent) process.exit(0);
  }, 1000).unref();
}

async function dns(address: string, socketPath: string): Promise<void> {
  let view: ResolverView | undefined;
  const socket = createSocket("udp4");
  socket.on("message", (message, remote) => {
    let query: dnsPacket.Packet;
    try {
      query = dnsPacket.decode(message);
    } catch {
      return;
    }
    const question = query.questions?.[0];
    if (!question || !view) return;
    let result: ReturnType<typeof answer>;
    let rcode = 0;
    try {
      result = answer(view, question.name, question.type);
      rcode = result.rcode === "NXDOMAIN" ? 3 : 0;
    } catch (error) {
      // What the twin cannot answer is a SERVFAIL with the reason in its log, never a dead resolver.
      process.stdout.write(`${new Date().toISOString()} ${question.name} ${question.type}: SERVFAIL: ${(error as Error).stack}\n`);
      result = { rcode: "NOERROR", answers: [] };
      rcode = 2;
    }
    const flags = (query.flags ?? 0) & dnsPacket.RECURSION_DESIRED | dnsPacket.RECURSION_AVAILABLE | rcode;
    let response: Buffer;
    try {
      response = dnsPacket.encode({
        type: "response",
        id: query.id,
        flags,
        questions: [question],
        answers: result.answers.map((r) => ({ name: r.name, type: r.type, class: "IN", ttl: r.ttl, data: r.data })) as dnsPacket.Answer[],
      });
    } catch (error) {
      process.stdout.write(`${new Date().toISOString()} ${question.name} ${question.type}: SERVFAIL (encoding): ${(error as Error).stack}\n`);
      response = dnsPacket.encode({ type: "response", id: query.id, flags: (flags & ~0xf) | 2, questions: [question] });
    }
    socket.send(response, remote.port, remote.address);
  });
  // A send that fails is logged; the resolver goes on.
  socket.on("error", (error) => process.stdout.write(`${new Date().toISOString()} socket: ${error.message}\n`));
  await new Promise<void>((resolve, reject) => socket.once("error", reject).bind(53, address, () => resolve()));
  await control(socketPath, (request) => {
    if (request.op === "view") view = request.view;
    return "ok";
  });
}

async function gateway(address: string, socketPath: string, cert: string, key: string): Promise<void> {
  let view: GatewayView | undefined;
  const server = createHttpsServer({ cert: readFileSync(cert), key: readFileSync(key) }, (request, response) => {
    const chunks: Buffer[] = [];
    request.on("data", (chunk) => chunks.push(chunk));
    request.on("end", () => {
      if (!view) {
        response.writeHead(503).end();
        return;
      }
      const sourceIp = (request.socket.remoteAddress ?? "").replace(/^::ffff:/, "");
      let answered: ReturnType<typeof handle>;
      try {
        answered = handle(view, { method: request.method ?? "GET", url: request.url ?? "/", headers: request.headers as Record<string, string>, sourceIp, body: Buffer.concat(chunks).toString("utf8") });
      } catch (error) {
        // What the twin cannot evaluate says so; it never passes for AWS's answer.
        answered = { status: 500, body: JSON.stringify({ message: `The data-plane twin could not answer: ${(error as Error).message}` }), headers: { "content-type": "application/json" }, why: (error as Error).message };
      }
      process.stdout.write(`${new Date().toISOString()} ${sourceIp} ${request.method} ${request.headers.host} ${request.url} -> ${answered.status}: ${answered.why}\n`);
      response.writeHead(answered.status, { ...answered.headers, "content-length": Buffer.byteLength(answered.body) });
      response.end(answered.body);
    });
  });
  await new Promise<void>((resolve, reject) => server.once("error", reject).listen(443, address, () => resolve()));
  await control(socketPath, (request) => {
    if (request.op === "view") view = request.view;
    return "ok";
  });
}

/** Lambda's environment for a function, on top of what this process had (NODE_EXTRA_CA_CERTS, PATH). */
function lambdaEnvironment(request: any): Record<string, string> {
  return {
    ...request.environment,
    AWS_LAMBDA_FUNCTION_NAME: request.function_name,
    AWS_LAMBDA_FUNCTION_TIMEOUT: String(request.timeout ?? 3),
    AWS_REGION: request.region ?? "",
    AWS_DEFAULT_REGION: request.region ?? "",
  };
}

async function runner(socketPath: string, codeDir: string): Promise<void> {
  let queue = Promise.resolve<unknown>(undefined);
  await control(socketPath, (request) => {
    if (request.op !== "invoke") return "ok";
    // One invocation at a time: a function's environment is this process's while it runs.
    const run = queue.then(() => invoke(request, codeDir));
    queue = run.catch(() => undefined);
    return run;
  });
}

async function invoke(request: any, codeDir: string): Promise<{ payload: string; function_error?: string }> {
  if (!String(request.runtime ?? "").startsWith("nodejs")) {
    return { payload: JSON.stringify({ errorMessage: `the data-plane twin runs Node.js functions only, not ${request.runtime}` }), function_error: "Unhandled" };
  }
  const dir = path.join(codeDir, String(request.code_sha256 || "unknown").replace(/[^A-Za-z0-9]/g, "_"));
  if (!existsSync(dir)) {
    const files = unzipSync(Buffer.from(request.code, "base64"));
    for (const [name, bytes] of Object.entries(files)) {
      if (name.endsWith("/")) continue;
      const file = path.join(dir, name);
      if (!file.startsWith(dir + path.sep)) throw new Error(`the package holds a path outside itself: ${name}`);
      mkdirSync(path.dirname(file), { recursive: true });
      writeFileSync(file, bytes);
    }
  }
  const [moduleName, handlerName] = [request.handler.slice(0, request.handler.lastIndexOf(".")), request.handler.slice(request.handler.lastIndexOf(".") + 1)];
  const saved = { ...process.env };
  Object.assign(process.env, lambdaEnvironment(request));
  const timeoutMs = Number(request.timeout ?? 3) * 1000;
  let timer: NodeJS.Timeout | undefined;
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const handler = require(path.join(dir, moduleName))[handlerName];
    const event = request.payload ? JSON.parse(request.payload) : {};
    const result = await Promise.race([
      Promise.resolve(handler(event, { functionName: request.function_name, getRemainingTimeInMillis: () => timeoutMs })),
      new Promise((_, reject) => (timer = setTimeout(() => reject(Object.assign(new Error(`Task timed out after ${request.timeout} seconds`), { timedOut: true })), timeoutMs))),
    ]);
    return { payload: result === undefined ? "null" : JSON.stringify(result) };
  } catch (error) {
    const e = error as Error;
    return { payload: JSON.stringify({ errorType: e.name, errorMessage: e.message }), function_error: "Unhandled" };
  } finally {
    clearTimeout(timer);
    for (const key of Object.keys(process.env)) if (!(key in saved)) delete process.env[key];
    Object.assign(process.env, saved);
  }
}

async function main(argv: string[]): Promise<void> {
  const [role, ...args] = argv;
  followParent();
  if (role === "dns") await dns(args[0], args[1]);
  else if (role === "gateway") await gateway(args[0], args[1], args[2], args[3]);
  else if (role === "runner") await runner(args[0], args[1]);
  else throw new Error(`unknown role ${role}`);
  process.stdout.write("ready\n");
}

main(process.argv.slice(2)).catch((error: Error) => {
  process.stderr.write(`${error.stack ?? error.message}\n`);
  process.exit(1);
});
