/**
 * API Gateway behind an execute-api endpoint, as pure functions: which API a request is for (the
 * `x-apigw-api-id` header, else the `Host` name `<api-id>.execute-api...` or
 * `<api-id>-<vpce-id>.execute-api...`), the endpoint policy and the resource policy as the stage's
 * deployment holds it, decided by lib/policy (`aws:SourceVpce` the endpoint, `aws:VpcSourceIp` the
 * caller's address), the
 * deployed method, and what its MOCK integration answers (the request template's `statusCode`
 * selecting the integration response, whose template makes the body).
 */
import { render } from "velocityjs";
import type { ApiModel, EndpointModel, RouteDefinition } from "./model";
import { apiGatewayPrivateInvoke, invokeRequest } from "../../lib/policy";

export interface GatewayRequest {
  readonly method: string;
  /** Path and query, as sent (`/v1/pets/?x=1`). */
  readonly url: string;
  /** Header names in lower case. */
  readonly headers: Readonly<Record<string, string | undefined>>;
  /** The caller's address as the endpoint sees it (peering does no NAT). */
  readonly sourceIp: string;
  readonly body?: string;
}

export interface GatewayResponse {
  readonly status: number;
  readonly body: string;
  readonly headers: Record<string, string>;
  /** Why, in one line, for the twin's log and messages. */
  readonly why: string;
}

/** What one endpoint's gateway knows: the endpoint, and the APIs of its region (every account's). */
export interface GatewayView {
  readonly endpoint: Pick<EndpointModel, "id" | "accountId" | "region" | "vpcId" | "policy">;
  readonly apis: ApiModel[];
  /** `amazonaws.com` (or `amazonaws.com.cn`). */
  readonly dnsSuffix: string;
  readonly partition: string;
}

const json = (status: number, body: unknown, why: string, extra: Record<string, string> = {}): GatewayResponse => ({
  status,
  body: JSON.stringify(body),
  headers: { "content-type": "application/json", ...extra },
  why,
});
const FORBIDDEN = (why: string) => json(403, { message: "Forbidden" }, why, { "x-amzn-errortype": "ForbiddenException" });

/** The API id a request names, or why none. */
export function apiIdOf(view: GatewayView, request: GatewayRequest): { apiId?: string; why: string } {
  const header = request.headers["x-apigw-api-id"];
  if (header) return { apiId: header.trim(), why: "x-apigw-api-id header" };
  const host = (request.headers.host ?? "").replace(/:\d+$/, "").toLowerCase();
  const domain = `.execute-api.${view.endpoint.region}.${view.dnsSuffix}`;
  if (!host.endsWith(domain)) return { why: `Host ${JSON.stringify(host)} names no API (neither an API's name nor x-apigw-api-id)` };
  const label = host.slice(0, -domain.length);
  const alias = /^([a-z0-9]+)-(vpce-[0-9a-f]+)$/.exec(label);
  if (alias) {
    if (alias[2] !== view.endpoint.id) return { why: `Host names endpoint ${alias[2]}, but the request came through ${view.endpoint.id}` };
    return { apiId: alias[1], why: `Host ${host}` };
  }
  return /^[a-z0-9]+$/.test(label) ? { apiId: label, why: `Host ${host}` } : { why: `Host ${JSON.stringify(host)} names no API` };
}

/** A Java-like string for templates: `.matches(regex)` is a whole-string match, as in Java. */
function javaString(value: string): string {
  return Object.assign(new String(value), {
    matches: (regex: string) => new RegExp(`^(?:${regex})$`).test(value),
  }) as unknown as string;
}

/** Matches `path` against a route's template (`/pets/{petId}`, `{proxy+}`): its path parameters, or undefined. */
function matchPath(template: string, path: string): Record<string, string> | undefined {
  const names: string[] = [];
  const source = template.replace(/[.*?^$()|[\]\\]/g, "\\$&").replace(/\{([^}]+?)(\+)?\}/g, (_, name: string, greedy?: string) => {
    names.push(name);
    return greedy ? "(.+)" : "([^/]+)";
  });
  const match = new RegExp(`^${source}$`).exec(path);
  if (!match) return undefined;
  return Object.fromEntries(names.map((name, i) => [name, decodeURIComponent(match[i + 1])]));
}

/** The route a method and path select in a stage (exact paths before templated ones, then ANY). */
export function findRoute(routes: RouteDefinition[], method: string, path: string): { route: RouteDefinition; params: Record<string, string> } | undefined {
  const candidates = routes
    .map((route) => ({ route, params: matchPath(route.path, path) }))
    .filter((c): c is { route: RouteDefinition; params: Record<string, string> } => c.params !== undefined && (c.route.method === method || c.route.method === "ANY"))
    .sort((x, y) => Object.keys(x.params).length - Object.keys(y.params).length || (x.route.method === "ANY" ? 1 : 0) - (y.route.method === "ANY" ? 1 : 0));
  return candidates[0];
}

/** The answer of API Gateway, behind `view.endpoint`, to `request`. */
export function handle(view: GatewayView, request: GatewayRequest): GatewayResponse {
  const { apiId, why } = apiIdOf(view, request);
  if (!apiId) return FORBIDDEN(why);
  const api = view.apis.find((a) => a.id === apiId && a.region === view.endpoint.region);
  if (!api) return FORBIDDEN(`no API ${apiId} in ${view.endpoint.region} (${why})`);
  if (!api.types.includes("PRIVATE")) return FORBIDDEN(`API ${apiId} is not PRIVATE: it is not served through an execute-api endpoint`);
  const [pathPart, query = ""] = request.url.split("?");
  const segments = pathPart.split("/").filter((s, i) => i > 0 || s !== "");
  const stageName = segments.shift() ?? "";
  const stage = api.stages.find((s) => s.name === stageName);
  if (!stage) return FORBIDDEN(`API ${apiId} has no stage ${JSON.stringify(stageName)}`);
  if (!stage.routes) return json(500, { message: "Internal server error" }, `stage ${stageName} of ${apiId}: what it serves could not be read (${stage.problem ?? "no export"})`);
  // `/v1/pets/` is `/pets`: API Gateway ignores one trailing slash.
  const resourcePath = `/${segments.join("/")}`.replace(/(.)\/$/, "$1");
  const invoke = invokeRequest({ partition: view.partition, region: api.region, accountId: api.accountId, apiId, stage: stageName, method: request.method, path: resourcePath, sourceVpce: view.endpoint.id, sourceVpc: view.endpoint.vpcId, sourceIp: request.sourceIp });
  const decision = apiGatewayPrivateInvoke({ endpointPolicy: view.endpoint.policy as any, resourcePolicy: stage.policy as any, request: invoke });
  if (!decision.allowed) {
    const tail = decision.decidedBy === "endpoint policy"
      ? decision.decision === "explicit-deny" ? " with an explicit deny in a VPC endpoint policy" : " because no VPC endpoint policy allows the execute-api:Invoke action"
      : decision.decision === "explicit-deny" ? " with an explicit deny" : "";
    return json(403, { Message: `User: anonymous is not authorized to perform: execute-api:Invoke on resource: ${invoke.resource}${tail}` }, `${decision.decidedBy}: ${decision.reason} (${request.sourceIp} through ${view.endpoint.id})`, { "x-amzn-errortype": "AccessDeniedException" });
  }
  const found = findRoute(stage.routes, request.method.toUpperCase(), resourcePath);
  if (!found) return json(403, { message: "Missing Authentication Token" }, `no ${request.method} ${resourcePath} in stage ${stageName} of ${apiId}`, { "x-amzn-errortype": "MissingAuthenticationTokenException" });
  const { route, params } = found;
  if (!route.integration) return json(500, { message: "Internal server error" }, `${request.method} ${route.path} has no integration`);
  if (route.integration.type !== "MOCK") {
    return json(502, { message: `The data-plane twin does not emulate ${route.integration.type} integrations (${request.method} ${route.path} of ${apiId}); only MOCK integrations are answered.` }, `${route.integration.type} integration not emulated`);
  }
  return mock(route, { params, query, request, stageName, apiId, resourcePath });
}

interface TemplateContext {
  readonly params: Record<string, string>;
  readonly query: string;
  readonly request: GatewayRequest;
  readonly stageName: string;
  readonly apiId: string;
  readonly resourcePath: string;
}

function templateContext(route: RouteDefinition, c: TemplateContext): Record<string, unknown> {
  const querystring = Object.fromEntries(new URLSearchParams(c.query));
  const header = Object.fromEntries(Object.entries(c.request.headers).filter(([, v]) => v !== undefined)) as Record<string, string>;
  const lookup = (name: string) => c.params[name] ?? querystring[name] ?? header[name.toLowerCase()];
  const input = {
    // $input.params('x'): path, then query string, then header (API Gateway's mapping template reference).
    params: (name?: string) => (name === undefined ? { path: c.params, querystring, header } : javaString(lookup(name) ?? "")),
    body: c.request.body ?? "",
    json: () => c.request.body || "{}",
    path: () => { try { return JSON.parse(c.request.body || "{}"); } catch { return {}; } },
  };
  const context = { stage: c.stageName, apiId: c.apiId, httpMethod: c.request.method, resourcePath: route.path, path: `/${c.stageName}${c.resourcePath}`, identity: { sourceIp: c.request.sourceIp } };
  return { input, context, util: { escapeJavaScript: (s: string) => JSON.stringify(String(s)).slice(1, -1), urlEncode: encodeURIComponent, urlDecode: decodeURIComponent } };
}

/** A MOCK integration: the request template's statusCode selects the response, whose template is the body. */
function mock(route: RouteDefinition, c: TemplateContext): GatewayResponse {
  const integration = route.integration!;
  const context = templateContext(route, c);
  const requestTemplate = integration.requestTemplates["application/json"] ?? Object.values(integration.requestTemplates)[0];
  let statusCode = 200;
  if (requestTemplate !== undefined) {
    const rendered = render(requestTemplate, context).trim();
    try {
      statusCode = Number(JSON.parse(rendered).statusCode);
    } catch {
      return json(500, { message: "Internal server error" }, `the MOCK request template of ${c.request.method} ${route.path} rendered ${JSON.stringify(rendered.slice(0, 100))}, not JSON with a statusCode`);
    }
  }
  // A mock's selection pattern is matched against the status code (a whole-string regular expression).
  const selected = integration.responses.find((r) => r.pattern !== "default" && new RegExp(`^(?:${r.pattern})$`).test(String(statusCode))) ?? integration.responses.find((r) => r.pattern === "default");
  if (!selected) return json(500, { message: "Internal server error" }, `no integration response of ${c.request.method} ${route.path} matches status ${statusCode}`);
  const template = selected.templates["application/json"] ?? Object.values(selected.templates)[0];
  const body = template === undefined || template === null ? "" : render(template, context);
  return { status: Number(selected.statusCode), body, headers: { "content-type": "application/json" }, why: `MOCK ${c.request.method} ${route.path} -> ${selected.statusCode}` };
}
