/**
 * The decision API Gateway makes for a call to a private API through an execute-api endpoint: the
 * endpoint's policy and the API's resource policy (as deployed) must both allow
 * `execute-api:Invoke` on the method's ARN for the anonymous caller, and neither may deny it
 * explicitly. This is the interface of `lib/policy/` (`apiGatewayPrivateInvoke`, `invokeRequest`),
 * written here against it until that evaluator lands; it implements IAM's documented evaluation
 * logic ("Policy evaluation logic": an explicit deny wins, else an allow is needed) for the parts
 * the stacks and the checklist use: Effect, Principal `*`, Action/NotAction and Resource/NotResource
 * with `*` and `?` wildcards, and the condition operators String(Not)Equals(IgnoreCase),
 * String(Not)Like, (Not)IpAddress, Arn(Not)Equals/Like, Bool and Null, each with `IfExists`; a
 * negated operator on a key the request lacks matches ("Condition operators").
 */
import { contains } from "./cidr";

/** What is asked: the action, the resource ARN, and the request's context keys. */
export interface InvokeRequest {
  readonly action: string;
  readonly resource: string;
  readonly context: Readonly<Record<string, string | undefined>>;
}

/** `execute-api:Invoke` on `arn:<partition>:execute-api:<region>:<account>:<api>/<stage>/<METHOD>/<path>`. */
export function invokeRequest(props: { partition?: string; region: string; accountId: string; apiId: string; stage: string; method: string; path: string; sourceVpce: string; sourceVpc?: string; vpcSourceIp: string }): InvokeRequest {
  const path = props.path.replace(/^\/+/, "").replace(/\/+$/, "");
  return {
    action: "execute-api:Invoke",
    resource: `arn:${props.partition ?? "aws"}:execute-api:${props.region}:${props.accountId}:${props.apiId}/${props.stage}/${props.method.toUpperCase()}/${path}`,
    context: { "aws:SourceVpce": props.sourceVpce, "aws:SourceVpc": props.sourceVpc, "aws:VpcSourceIp": props.vpcSourceIp },
  };
}

export type Decision = "allow" | "explicit-deny" | "implicit-deny";

export interface InvokeDecision {
  readonly allowed: boolean;
  /** Which policy refused, when one did. */
  readonly deniedBy?: "endpoint-policy" | "resource-policy";
  readonly decision: Decision;
  /** The statement that decided (its Sid or index), for messages. */
  readonly statement?: string;
}

/** The endpoint policy (absent: AWS's default, full access) and the resource policy (absent: a private API admits nobody). */
export function apiGatewayPrivateInvoke(props: { endpointPolicy?: unknown; resourcePolicy?: unknown; request: InvokeRequest }): InvokeDecision {
  const endpoint = props.endpointPolicy === undefined ? { decision: "allow" as Decision } : evaluatePolicy(props.endpointPolicy, props.request);
  if (endpoint.decision !== "allow") return { allowed: false, deniedBy: "endpoint-policy", decision: endpoint.decision, statement: endpoint.statement };
  const resource = props.resourcePolicy === undefined ? { decision: "implicit-deny" as Decision } : evaluatePolicy(props.resourcePolicy, props.request);
  if (resource.decision !== "allow") return { allowed: false, deniedBy: "resource-policy", decision: resource.decision, statement: resource.statement };
  return { allowed: true, decision: "allow" };
}

const list = (value: unknown): string[] => (value === undefined ? [] : (Array.isArray(value) ? value : [value]).map(String));

function wildcard(pattern: string, value: string, ignoreCase = false): boolean {
  const source = `^${pattern.split("").map((c) => (c === "*" ? ".*" : c === "?" ? "." : c.replace(/[.+^${}()|[\]\\]/g, "\\$&"))).join("")}$`;
  return new RegExp(source, ignoreCase ? "is" : "s").test(value);
}

function principalMatches(principal: unknown): boolean {
  if (principal === "*") return true;
  if (principal && typeof principal === "object") return list((principal as any).AWS).includes("*");
  return false;
}

/** One policy document's decision for `request`, and the statement that made it. */
export function evaluatePolicy(policy: unknown, request: InvokeRequest): { decision: Decision; statement?: string } {
  const raw = (policy as any)?.Statement;
  const statements: any[] = Array.isArray(raw) ? raw : raw ? [raw] : [];
  let allowedBy: string | undefined;
  for (const [i, s] of statements.entries()) {
    const name = s.Sid ?? `#${i}`;
    if (s.Principal !== undefined && !principalMatches(s.Principal)) continue;
    if (s.NotPrincipal !== undefined) continue;
    const actionOk = s.Action !== undefined ? list(s.Action).some((a) => wildcard(a, request.action, true)) : !list(s.NotAction).some((a) => wildcard(a, request.action, true));
    const resourceOk = s.Resource !== undefined ? list(s.Resource).some((r) => wildcard(r, request.resource)) : !list(s.NotResource).some((r) => wildcard(r, request.resource));
    if (!actionOk || !resourceOk || !conditionsHold(s.Condition ?? {}, request.context)) continue;
    if (s.Effect === "Deny") return { decision: "explicit-deny", statement: name };
    if (s.Effect === "Allow") allowedBy ??= name;
  }
  return allowedBy ? { decision: "allow", statement: allowedBy } : { decision: "implicit-deny" };
}

function conditionsHold(conditions: Record<string, Record<string, unknown>>, context: InvokeRequest["context"]): boolean {
  return Object.entries(conditions).every(([operator, keys]) => Object.entries(keys).every(([key, values]) => operatorHolds(operator, context[key] ?? Object.entries(context).find(([k]) => k.toLowerCase() === key.toLowerCase())?.[1], list(values))));
}

function operatorHolds(operator: string, actual: string | undefined, values: string[]): boolean {
  const ifExists = operator.endsWith("IfExists");
  const op = operator.replace(/IfExists$/, "").replace(/^(ForAnyValue|ForAllValues):/, "");
  if (op === "Null") return values.some((v) => (v === "true") === (actual === undefined));
  const negated = /Not/.test(op);
  if (actual === undefined) return ifExists || negated;
  const test: Record<string, (value: string) => boolean> = {
    StringEquals: (v) => actual === v,
    StringNotEquals: (v) => actual === v,
    StringEqualsIgnoreCase: (v) => actual.toLowerCase() === v.toLowerCase(),
    StringNotEqualsIgnoreCase: (v) => actual.toLowerCase() === v.toLowerCase(),
    StringLike: (v) => wildcard(v, actual),
    StringNotLike: (v) => wildcard(v, actual),
    IpAddress: (v) => contains(v.includes("/") ? v : `${v}/32`, actual),
    NotIpAddress: (v) => contains(v.includes("/") ? v : `${v}/32`, actual),
    ArnEquals: (v) => actual === v,
    ArnNotEquals: (v) => actual === v,
    ArnLike: (v) => wildcard(v, actual),
    ArnNotLike: (v) => wildcard(v, actual),
    Bool: (v) => actual.toLowerCase() === v.toLowerCase(),
  };
  const one = test[op];
  if (!one) throw new Error(`condition operator ${operator} is not evaluated by the twin`);
  const any = values.some(one);
  return negated ? !any : any;
}
