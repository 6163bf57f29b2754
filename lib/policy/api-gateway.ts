import { partitionOf } from "../config/partition";
import { parseIpRange } from "./ip-ranges";
import { Policy, PolicyInput, parsePolicy } from "./document";
import { Decision, PolicyEvaluation, PolicyRequest, evaluatePolicyOverRange } from "./evaluate";
import { arnComponents } from "./patterns";

/** Where a call to a private REST API goes, and where it comes from. */
export interface InvokeRequestInput {
  /** Region of the API, such as `ap-northeast-1`. */
  readonly region: string;
  /** The API's account (12 digits). */
  readonly accountId: string;
  /** The REST API's id, such as `a1b2c3d4e5`. */
  readonly apiId: string;
  /** The stage, such as `v1`. */
  readonly stage: string;
  /** The HTTP method, in any case (`GET`). */
  readonly method: string;
  /** The resource path, such as `/pets/1` (the query string is not part of the ARN). */
  readonly path: string;
  /** The interface endpoint the call comes through (`aws:SourceVpce`). */
  readonly sourceVpce: string;
  /** The caller's own address (`aws:VpcSourceIp`), which the endpoint keeps while it rewrites the packet's source. */
  readonly sourceIp: string;
  /** The VPC that holds the endpoint (`aws:SourceVpc`). @default - not in the context */
  readonly sourceVpc?: string;
  /** The ARN partition. @default - the region's partition (`aws`, `aws-cn`, `aws-us-gov`) */
  readonly partition?: string;
}

/** The API and the call, as an execute-api ARN names them. */
export type ExecuteApiArnInput = Pick<InvokeRequestInput, "region" | "accountId" | "apiId" | "stage" | "method" | "path" | "partition">;

/**
 * `arn:<partition>:execute-api:<region>:<account>:<api-id>/<stage>/<METHOD>/<path>`, the resource
 * of an `execute-api:Invoke` ("Control access for invoking an API": the path without its leading
 * slash). Throws, naming the value, for an input that cannot be part of such an ARN.
 */
export function executeApiArn(input: ExecuteApiArnInput): string {
  const partition = input.partition ?? partitionOf(input.region)?.name;
  if (!/^[a-z]{2}(-[a-z]+)+-\d+$/.test(input.region)) throw new Error(`region "${input.region}" is not an AWS region name such as ap-northeast-1`);
  if (!partition) throw new Error(`region "${input.region}" is in a partition this project does not know; pass partition`);
  if (!/^\d{12}$/.test(input.accountId)) throw new Error(`accountId "${input.accountId}" is not a 12-digit AWS account id`);
  if (!/^[a-z0-9]+$/.test(input.apiId)) throw new Error(`apiId "${input.apiId}" is not a REST API id such as a1b2c3d4e5`);
  if (!/^[A-Za-z0-9_-]+$/.test(input.stage)) throw new Error(`stage "${input.stage}" is not a stage name such as v1`);
  if (!/^[A-Za-z]+$/.test(input.method)) throw new Error(`method "${input.method}" is not an HTTP method such as GET`);
  if (!input.path.startsWith("/")) throw new Error(`path "${input.path}" must start with /`);
  return `arn:${partition}:execute-api:${input.region}:${input.accountId}:${input.apiId}/${input.stage}/${input.method.toUpperCase()}/${input.path.replace(/^\/+/, "")}`;
}

/**
 * The request API Gateway authorizes for an unsigned call (authorization `NONE`) to a private REST
 * API through an interface endpoint: an anonymous caller, `execute-api:Invoke` on the call's ARN,
 * and the context keys `aws:SourceVpce`, `aws:VpcSourceIp` and, if given, `aws:SourceVpc`.
 * `aws:SourceIp` is left out: it is absent for requests through a VPC endpoint.
 */
export function invokeRequest(input: InvokeRequestInput): PolicyRequest {
  if (!/^vpce-[0-9a-z]+$/.test(input.sourceVpce)) throw new Error(`sourceVpce "${input.sourceVpce}" is not a VPC endpoint id such as vpce-0123456789abcdef0`);
  if (input.sourceIp.includes("/") || !parseIpRange(input.sourceIp)) throw new Error(`sourceIp "${input.sourceIp}" is not an IP address`);
  if (input.sourceVpc !== undefined && !/^vpc-[0-9a-z]+$/.test(input.sourceVpc)) throw new Error(`sourceVpc "${input.sourceVpc}" is not a VPC id such as vpc-1a2b3c4d`);
  const context: Record<string, string> = { "aws:SourceVpce": input.sourceVpce, "aws:VpcSourceIp": input.sourceIp };
  if (input.sourceVpc !== undefined) context["aws:SourceVpc"] = input.sourceVpc;
  return { principal: "anonymous", action: "execute-api:Invoke", resource: executeApiArn(input), context };
}

/** An interface endpoint's policy when none is attached: full access ("Control access to VPC endpoints using endpoint policies"). */
export const DEFAULT_ENDPOINT_POLICY = {
  Statement: [{ Effect: "Allow", Principal: "*", Action: "*", Resource: "*" }],
} as const;

/**
 * The policy with API Gateway's short resources (`execute-api:/*`, `execute-api:/v1/GET/pets`)
 * written out against `apiArn` (`arn:aws:execute-api:<region>:<account>:<api-id>`), as API Gateway
 * does when it saves a resource policy ("API Gateway resource policy examples").
 */
export function expandExecuteApiShorthand(policy: PolicyInput, apiArn: string): Policy {
  const parsed = parsePolicy(policy);
  const expand = (pattern: string) => (pattern.startsWith("execute-api:/") ? `${apiArn}${pattern.slice("execute-api:".length)}` : pattern);
  const statements = parsed.statements.map((s) => ({ ...s, resource: { ...s.resource, patterns: s.resource.patterns.map(expand) } }));
  return new Policy(parsed.version, statements, parsed.id);
}

/** The two policies a call through an interface endpoint meets. */
export interface PrivateApiPolicies {
  /** The endpoint's policy. @default - the default full-access policy (`null` or absent) */
  readonly endpointPolicy?: PolicyInput | null;
  /** The API's resource policy as deployed; a private API without one denies every call. */
  readonly resourcePolicy: PolicyInput | null | undefined;
}

/** What API Gateway decides for a call through an endpoint, and which policy decided. */
export interface PrivateInvokeDecision<D extends string = Decision> {
  /** Whether API Gateway lets the call through (to the method's own authorization, `NONE` here). */
  readonly allowed: boolean;
  /** The policy whose decision is final: the first that does not allow, else the resource policy. */
  readonly decidedBy: "endpoint policy" | "resource policy";
  /** That policy's decision. */
  readonly decision: D;
  /** That policy's deciding statements. */
  readonly statements: string[];
  /** In words a person can act on. */
  readonly reason: string;
  /** The endpoint policy's evaluation (of the default policy when none is attached). */
  readonly endpoint: PolicyEvaluation<D>;
  /** The resource policy's evaluation; `undefined` when the API has none. */
  readonly resource?: PolicyEvaluation<D>;
}

/**
 * Decides an unsigned call (authorization `NONE`) to a private REST API through an interface
 * endpoint, as the API Gateway developer guide documents it ("Use VPC endpoint policies for
 * private APIs", "How API Gateway resource policies affect authorization workflow"): the endpoint
 * policy is evaluated first, with the caller as an anonymous user, and must allow (no endpoint
 * policy is the default full-access one); then the resource policy must allow with no explicit
 * deny ("your private API requires a resource policy": without one, the call is denied). The
 * resource policy's `execute-api:/…` short resources are expanded against the called API first.
 * Throws an error naming the element for a malformed policy.
 */
export function apiGatewayPrivateInvoke(input: PrivateApiPolicies & { readonly request: PolicyRequest }): PrivateInvokeDecision {
  const decision = privateInvokeOverRange(input);
  if (decision.decision === "depends") throw new Error(`${decision.reason}; apiGatewayPrivateInvoke needs one address, and admits() answers for a range`);
  return decision as PrivateInvokeDecision;
}

/** {@link apiGatewayPrivateInvoke} for a context whose source address may be a block; `depends` when the block splits the decision. */
export function privateInvokeOverRange(input: PrivateApiPolicies & { readonly request: PolicyRequest }): PrivateInvokeDecision<Decision | "depends"> {
  const { request } = input;
  const hasEndpointPolicy = input.endpointPolicy !== undefined && input.endpointPolicy !== null;
  const endpoint = evaluatePolicyOverRange(hasEndpointPolicy ? input.endpointPolicy! : DEFAULT_ENDPOINT_POLICY, request, {
    name: hasEndpointPolicy ? "the endpoint policy" : "the endpoint's default policy",
  });
  const resource =
    input.resourcePolicy === undefined || input.resourcePolicy === null
      ? undefined
      : evaluatePolicyOverRange(expandExecuteApiShorthand(input.resourcePolicy, apiArnOf(request.resource)), request, { name: "the resource policy" });
  const denied = (by: PrivateInvokeDecision["decidedBy"], evaluation: PolicyEvaluation<Decision | "depends">) => ({
    allowed: false,
    decidedBy: by,
    decision: evaluation.decision,
    statements: evaluation.statements,
    reason: evaluation.reason,
    endpoint,
    resource,
  });
  if (endpoint.decision !== "allow") return denied("endpoint policy", endpoint);
  if (!resource) {
    return {
      allowed: false,
      decidedBy: "resource policy",
      decision: "implicit-deny",
      statements: [],
      reason: "the private API has no resource policy, and API Gateway denies every call to a private API without one: attach a policy that allows execute-api:Invoke, then deploy the API again",
      endpoint,
      resource,
    };
  }
  if (resource.decision !== "allow") return denied("resource policy", resource);
  return {
    allowed: true,
    decidedBy: "resource policy",
    decision: "allow",
    statements: resource.statements,
    reason: `${endpoint.reason}; ${resource.reason}, and none of its statements denies it`,
    endpoint,
    resource,
  };
}

/** `arn:…:execute-api:<region>:<account>:<api-id>` from the ARN of a call to that API. */
function apiArnOf(resource: string): string {
  const parts = arnComponents(resource);
  if (!parts || parts[2] !== "execute-api" || !parts[5].includes("/")) {
    throw new Error(`resource "${resource}" is not the ARN of a call to a REST API (arn:<partition>:execute-api:<region>:<account>:<api-id>/<stage>/<method>/<path>)`);
  }
  return `${parts.slice(0, 5).join(":")}:${parts[5].split("/")[0]}`;
}
