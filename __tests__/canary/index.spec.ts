import { execFile, execFileSync } from "child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "fs";
import { createServer as createHttpsServer, Server } from "https";
import { AddressInfo, createServer as createTcpServer } from "net";
import { tmpdir } from "os";
import * as path from "path";
import { promisify } from "util";

// eslint-disable-next-line @typescript-eslint/no-require-imports
const canary = require("../../canary/index.js");

const PETS = '[{"id":1,"type":"dog","price":249.99},{"id":2,"type":"cat","price":124.99},{"id":3,"type":"fish","price":0.99}]';
const API_HOST = "a1b2c3d4e5.execute-api.ap-northeast-1.amazonaws.com";
const VPCE_HOST = "vpce-0b1c2d3e4f5a6b7c8-x1y2z3w4.execute-api.ap-northeast-1.vpce.amazonaws.com";

/** A CA and a server certificate for the API's and the endpoint's names, made with openssl. */
function certificates(): { dir: string; key: Buffer; cert: Buffer; ca: string } {
  const dir = mkdtempSync(path.join(tmpdir(), "canary-tls-"));
  const sh = (args: string[]) => execFileSync("openssl", args, { cwd: dir, stdio: "pipe" });
  sh(["req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes", "-keyout", "ca.key", "-out", "ca.pem", "-days", "1", "-subj", "/CN=canary test CA"]);
  sh(["req", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes", "-keyout", "server.key", "-out", "server.csr", "-subj", `/CN=${API_HOST}`]);
  writeFileSync(path.join(dir, "san.ext"), `subjectAltName=DNS:${API_HOST},DNS:${VPCE_HOST}\n`);
  sh(["x509", "-req", "-in", "server.csr", "-CA", "ca.pem", "-CAkey", "ca.key", "-CAcreateserial", "-out", "server.pem", "-days", "1", "-extfile", "san.ext"]);
  return { dir, key: readFileSync(path.join(dir, "server.key")), cert: readFileSync(path.join(dir, "server.pem")), ca: path.join(dir, "ca.pem") };
}

/** An HTTPS server on 127.0.0.1 answering every request with `status` and `body`, or never (`undefined`). */
async function server(tls: { key: Buffer; cert: Buffer }, status?: number, body = ""): Promise<{ port: number; server: Server; seen: any[] }> {
  const seen: any[] = [];
  const s = createHttpsServer(tls, (request, response) => {
    seen.push({ url: request.url, headers: request.headers });
    if (status === undefined) return; // accepts, then never answers
    response.writeHead(status, { "content-type": "application/json" }).end(body);
  });
  await new Promise<void>((resolve) => s.listen(0, "127.0.0.1", resolve));
  return { port: (s.address() as AddressInfo).port, server: s, seen };
}

/** A port on 127.0.0.1 that nothing listens on. */
async function closedPort(): Promise<number> {
  const s = createTcpServer();
  await new Promise<void>((resolve) => s.listen(0, "127.0.0.1", resolve));
  const { port } = s.address() as AddressInfo;
  await new Promise((resolve) => s.close(resolve));
  return port;
}

describe("canary", () => {
  const TIMEOUT_MS = 250;
  let answer: { ok: boolean; results: any[] };
  let elapsed: number;
  const servers: Server[] = [];
  let api: Awaited<ReturnType<typeof server>>;

  beforeAll(async () => {
    // GIVEN servers on 127.0.0.1 that stand for the API through B's endpoint in each state, and
    // names that resolve only through the canary's injected lookup (no DNS query leaves the test)
    const tls = certificates();
    api = await server(tls, 200, PETS);
    const forbidden = await server(tls, 403, '{"message":"Forbidden"}');
    const stale = await server(tls, 200, '[{"id":1,"type":"dog","price":249.99}]');
    const silent = await server(tls, undefined);
    servers.push(api.server, forbidden.server, stale.server, silent.server);
    const closed = await closedPort();
    const hosts = { [API_HOST]: "127.0.0.1", [VPCE_HOST]: "127.0.0.1", "127.0.0.1": "127.0.0.1", "wrong-name.example.internal": "127.0.0.1" };
    const url = (host: string, port: number) => `https://${host}:${port}/v1/pets`;
    const targets = [
      { method: "private-dns", url: url(API_HOST, api.port), expectBody: PETS },
      { method: "host-header", url: url(VPCE_HOST, api.port), headers: { Host: `${API_HOST}:${api.port}` }, expectBody: PETS },
      { method: "api-id-header", url: url(VPCE_HOST, api.port), headers: { "x-apigw-api-id": "a1b2c3d4e5" }, expectBody: PETS },
      { method: "forbidden", url: url(API_HOST, forbidden.port), expectBody: PETS, expectAddressIn: "127.0.0.0/8" },
      // 127.0.0.1 stands for an address outside B's VPC: the name led to another endpoint.
      { method: "other-endpoint", url: url(API_HOST, forbidden.port), expectBody: PETS, expectAddressIn: "172.31.0.0/16" },
      // Where the canary's security group allows 443 to B's VPC only, a call to another endpoint never connects.
      { method: "other-endpoint-unreachable", url: url(API_HOST, silent.port), expectBody: PETS, expectAddressIn: "172.31.0.0/16" },
      { method: "stale", url: url(API_HOST, stale.port), expectBody: PETS },
      { method: "silent", url: url(API_HOST, silent.port) },
      { method: "closed", url: url(API_HOST, closed) },
      { method: "unresolved", url: url("a1b2c3d4e5-vpce-0b1c2d3e4f5a6b7c8.execute-api.ap-northeast-1.amazonaws.com", api.port) },
      { method: "wrong-name", url: url("wrong-name.example.internal", api.port) },
    ];
    // WHEN the canary runs them all, in a process that trusts the test's CA
    const started = Date.now();
    // Only the silent server's call waits for the short deadline; every other call may take as long
    // as a loaded machine needs for a TLS handshake (the short one failed them under load).
    const patient = targets.map((t) => (t.method === "silent" ? t : { ...t, timeoutMs: 10_000 }));
    const { stdout } = await promisify(execFile)(process.execPath, [path.join(__dirname, "run-in-child.js"), JSON.stringify({ targets: patient, hosts, timeoutMs: TIMEOUT_MS })], {
      env: { PATH: process.env.PATH, NODE_EXTRA_CA_CERTS: tls.ca },
    });
    elapsed = Date.now() - started;
    answer = JSON.parse(stdout);
  });

  afterAll(() => {
    for (const s of servers) s.closeAllConnections?.(), s.close();
  });

  const result = (method: string) => answer.results.find((r) => r.method === method);

  test("a correct answer by each method passes, with its status and time", () => {
    for (const method of ["private-dns", "host-header", "api-id-header"]) {
      expect(result(method)).toMatchObject({ method, ok: true, status: 200 });
      expect(result(method).error).toBeUndefined();
      expect(typeof result(method).ms).toBe("number");
    }
  });

  test("the headers of a method reach the API: Host, and x-apigw-api-id", () => {
    expect(api.seen.map((r) => r.headers.host)).toContain(`${API_HOST}:${api.port}`);
    expect(api.seen.map((r) => r.headers["x-apigw-api-id"])).toContain("a1b2c3d4e5");
  });

  test("403 is a status failure, with the status and the body", () => {
    expect(result("forbidden")).toMatchObject({ ok: false, status: 403, error: 'status: got 403, expected 200: "{\\"message\\":\\"Forbidden\\"}"' });
  });

  test("a name that resolves outside B's VPC is told apart before connecting: another endpoint answers it, the method does not apply there", () => {
    for (const method of ["other-endpoint", "other-endpoint-unreachable"]) {
      expect(result(method)).toMatchObject({ ok: false, notApplicable: true });
      expect(result(method).status).toBeUndefined();
      expect(result(method).error).toBe(
        `other-endpoint: ${API_HOST} resolved to 127.0.0.1, outside account B's VPC 172.31.0.0/16: an execute-api endpoint of this VPC (private DNS on) answers the name, so this method cannot reach B's endpoint from here`,
      );
    }
    // Not a timeout: nothing waited for a connection the canary's security group would never let through.
    expect(result("other-endpoint-unreachable").ms).toBeLessThan(1000);
  });

  test("(before connecting) an address inside B's VPC is called as usual", () => {
    expect(result("forbidden")).toMatchObject({ ok: false, status: 403 });
    expect(result("forbidden").notApplicable).toBeUndefined();
  });

  test("a wrong body (an old deployment) is a body failure", () => {
    expect(result("stale")).toMatchObject({ ok: false, status: 200 });
    expect(result("stale").error).toMatch(/^body: got "\[\{\\"id\\":1,\\"type\\":\\"dog\\",\\"price\\":249.99\}\]", expected /);
  });

  test("a server that never answers is a timeout, bounded by the timeout", () => {
    expect(result("silent")).toMatchObject({ ok: false, error: `timeout: no answer within ${TIMEOUT_MS} ms` });
    expect(result("silent").ms).toBeGreaterThanOrEqual(TIMEOUT_MS - 5);
    expect(result("silent").ms).toBeLessThan(TIMEOUT_MS + 1000);
    // Every target ran in parallel: the whole run took about one timeout, not the sum.
    expect(elapsed).toBeLessThan(TIMEOUT_MS + 3000);
  });

  test("a closed port is a connect failure", () => {
    expect(result("closed")).toMatchObject({ ok: false });
    expect(result("closed").error).toMatch(/^connect: ECONNREFUSED /);
  });

  test("a name that does not resolve is a dns failure", () => {
    expect(result("unresolved")).toMatchObject({ ok: false });
    expect(result("unresolved").error).toMatch(/^dns: ENOTFOUND getaddrinfo ENOTFOUND a1b2c3d4e5-vpce-/);
  });

  test("a certificate that does not name the host is a tls failure", () => {
    expect(result("wrong-name")).toMatchObject({ ok: false });
    expect(result("wrong-name").error).toMatch(/^tls: ERR_TLS_CERT_ALTNAME_INVALID /);
  });

  test("the answer is ok only when every method is", () => {
    expect(answer.ok).toBe(false);
    expect(Object.keys(answer)).toEqual(["ok", "results"]);
    for (const r of answer.results) expect(Object.keys(r).sort()).toEqual(expect.arrayContaining(["method", "url", "ok", "ms"]));
  });
});

describe("canary targets", () => {
  test("come from CANARY_TARGETS, unless the invocation lists its own", () => {
    const env = { CANARY_TARGETS: JSON.stringify([{ method: "private-dns", url: "https://from-env" }]) };
    expect(canary.targetsOf({}, env)).toEqual([{ method: "private-dns", url: "https://from-env" }]);
    expect(canary.targetsOf({ targets: [{ method: "x", url: "https://from-event" }] }, env)).toEqual([{ method: "x", url: "https://from-event" }]);
    expect(canary.targetsOf(undefined, {})).toEqual([]);
  });

  test("no target at all is not ok", async () => {
    expect(await canary.run([])).toEqual({ ok: false, results: [] });
  });

  test("a method that does not apply in this VPC does not fail the canary, as long as another one works", () => {
    const ok = { method: "a", url: "https://a", ok: true, status: 200, ms: 1 };
    const notApplicable = { method: "b", url: "https://b", ok: false, notApplicable: true, ms: 1, error: "other-endpoint: ..." };
    expect(canary.verdict([ok, notApplicable])).toBe(true);
    expect(canary.verdict([notApplicable])).toBe(false);
    expect(canary.verdict([ok, { ...notApplicable, notApplicable: undefined }])).toBe(false);
  });
});
