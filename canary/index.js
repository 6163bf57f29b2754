// The canary: a Lambda function in a consumer's client subnets that calls the private API by every
// access method the stacks provide, in parallel, and says for each whether it worked and, if not,
// which kind of failure it was. Node.js 22, Node's own modules only; deployed as this one file.
//
// Input: the event's `targets` list, or else the CANARY_TARGETS environment variable (JSON), each
//   { "method": "private-dns", "url": "https://...", "httpMethod": "GET", "headers": {...}, "expectStatus": 200,
//     "expectBody": "...", "expectAddressIn": "172.31.0.0/16" }
// Output: { "ok": <every target ok or not applicable>, "results": [{ "method", "url", "ok", "status"?, "ms", "error"?, "notApplicable"? }] }
//   `error` is "<class>: <detail>", the class one of dns, connect, timeout, tls, status, body, other-endpoint.
//   A name that resolves outside `expectAddressIn` (the VPC of account B's endpoint) leads to another
//   endpoint: in a VPC with an execute-api endpoint of its own and private DNS on, that endpoint's
//   zone answers every *.execute-api name but the API's own (A's private hosted zone is more
//   specific), so the <api-id>-<vpce-id> name reaches the wrong endpoint, whose calls B's policy
//   denies. The method cannot work from such a VPC; the path itself can: the result is
//   `notApplicable` and does not make the canary fail. It is told by the resolved address, before
//   connecting: the canary's security group allows 443 to B's VPC only, so such a call would
//   otherwise only time out.
"use strict";
const dns = require("node:dns");
const https = require("node:https");

/** How long one call may take, connection and answer together, unless a target says otherwise. */
const DEFAULT_TIMEOUT_MS = 3000;
/** Bodies are compared, and quoted in errors, up to this many bytes. */
const MAX_BODY = 64 * 1024;

const DNS_CODES = new Set(["ENOTFOUND", "EAI_AGAIN", "EAI_FAIL", "EAI_NODATA", "EAI_NONAME"]);
const CONNECT_CODES = new Set(["ECONNREFUSED", "ECONNRESET", "EHOSTUNREACH", "ENETUNREACH", "EPIPE", "EADDRNOTAVAIL"]);

/** Whether the IPv4 `address` is inside `cidr` (`a.b.c.d/n`). */
function inCidr(address, cidr) {
  const toNumber = (ip) => ip.split(".").reduce((n, octet) => n * 256 + Number(octet), 0);
  const [network, bits] = cidr.split("/");
  const size = 2 ** (32 - Number(bits));
  const base = Math.floor(toNumber(network) / size) * size;
  const value = toNumber(String(address).replace(/^::ffff:/, ""));
  return /^\d+\.\d+\.\d+\.\d+$/.test(String(address).replace(/^::ffff:/, "")) && value >= base && value < base + size;
}

/** The failure class of a request error: what went wrong, so that the hop to look at follows. */
function classify(error) {
  const code = error && error.code;
  if (DNS_CODES.has(code)) return "dns";
  if (CONNECT_CODES.has(code)) return "connect";
  if (code === "ETIMEDOUT") return "timeout";
  // Certificate and handshake errors: OpenSSL codes (CERT_*, ERR_TLS_*, UNABLE_TO_*) or a TLS alert.
  if (/^(ERR_TLS_|ERR_SSL_|CERT_|UNABLE_TO_|DEPTH_ZERO|SELF_SIGNED|EPROTO$|HOSTNAME_MISMATCH)/.test(code || "")) return "tls";
  return "connect";
}

/**
 * Calls one target: resolves its host first (with `options.lookup`, which the tests inject; Lambda
 * uses the VPC's resolver), classifies an address outside `expectAddressIn` without connecting,
 * then calls the address it resolved. Never throws: every outcome is a result.
 */
function check(target, options = {}) {
  const started = Date.now();
  const base = { method: target.method, url: target.url };
  const timeoutMs = target.timeoutMs || options.timeoutMs || DEFAULT_TIMEOUT_MS;
  return new Promise((resolve) => {
    let settled = false;
    let request;
    const done = (fields) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      if (request) request.destroy();
      resolve({ ...base, ...fields, ms: Date.now() - started });
    };
    // One deadline for the whole call, name resolution included: a blackholed route never answers the TCP handshake.
    const timer = setTimeout(() => done({ ok: false, error: `timeout: no answer within ${timeoutMs} ms` }), timeoutMs);
    let host;
    try {
      host = new URL(target.url).hostname;
    } catch (error) {
      return done({ ok: false, error: `connect: ${error.message}` });
    }
    (options.lookup || dns.lookup)(host, { family: 4 }, (error, address, family) => {
      if (settled) return;
      if (error) return done({ ok: false, error: `${classify(error)}: ${error.code ? `${error.code} ` : ""}${error.message}` });
      if (target.expectAddressIn && !inCidr(address, target.expectAddressIn)) {
        return done({
          ok: false,
          notApplicable: true,
          error: `other-endpoint: ${host} resolved to ${address}, outside account B's VPC ${target.expectAddressIn}: an execute-api endpoint of this VPC (private DNS on) answers the name, so this method cannot reach B's endpoint from here`,
        });
      }
      // The address just resolved, for the connection (the TLS name and Host stay the URL's).
      const resolved = (_name, lookupOptions, callback) => (lookupOptions && lookupOptions.all ? callback(null, [{ address, family: family || 4 }]) : callback(null, address, family || 4));
      request = call(target, resolved, done);
    });
  });

  function call(target, lookup, done) {
    let request;
    try {
      request = https.request(target.url, { method: target.httpMethod || "GET", headers: target.headers || {}, lookup, agent: false }, (response) => {
        const chunks = [];
        let size = 0;
        response.on("data", (chunk) => {
          if (size < MAX_BODY) chunks.push(chunk);
          size += chunk.length;
        });
        response.on("error", (error) => done({ ok: false, status: response.statusCode, error: `${classify(error)}: ${error.message}` }));
        response.on("end", () => {
          const body = Buffer.concat(chunks).toString("utf8").slice(0, MAX_BODY);
          const expectStatus = target.expectStatus === undefined ? 200 : target.expectStatus;
          if (response.statusCode !== expectStatus) {
            return done({ ok: false, status: response.statusCode, error: `status: got ${response.statusCode}, expected ${expectStatus}: ${excerpt(body)}` });
          }
          if (target.expectBody !== undefined && body.trim() !== String(target.expectBody).trim()) {
            return done({ ok: false, status: response.statusCode, error: `body: got ${excerpt(body)}, expected ${excerpt(String(target.expectBody))}` });
          }
          done({ ok: true, status: response.statusCode });
        });
      });
    } catch (error) {
      return done({ ok: false, error: `connect: ${error.message}` });
    }
    request.on("error", (error) => done({ ok: false, error: `${classify(error)}: ${error.code ? `${error.code} ` : ""}${error.message}` }));
    request.end();
    return request;
  }
}

/** The first 200 characters of a body, on one line. */
function excerpt(text) {
  const line = text.replace(/\s+/g, " ").trim();
  return JSON.stringify(line.length > 200 ? `${line.slice(0, 200)}...` : line);
}

/** Calls every target in parallel. */
async function run(targets, options = {}) {
  const results = await Promise.all(targets.map((target) => check(target, options)));
  return { ok: verdict(results), results };
}

/** Every method works, or does not apply from this VPC; and at least one works. */
function verdict(results) {
  return results.some((r) => r.ok) && results.every((r) => r.ok || r.notApplicable);
}

/** The targets of an invocation: the event's, or the environment's. */
function targetsOf(event, env = process.env) {
  if (event && Array.isArray(event.targets)) return event.targets;
  return JSON.parse(env.CANARY_TARGETS || "[]");
}

exports.handler = async (event) => run(targetsOf(event));
exports.check = check;
exports.run = run;
exports.verdict = verdict;
exports.targetsOf = targetsOf;
