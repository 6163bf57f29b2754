import { RequestContext, evaluateConditions } from "./conditions";
import { PolicyInput, PrincipalElement, Statement, parsePolicy } from "./document";
import { actionMatches, arnComponents, resourceMatches } from "./patterns";

/**
 * Who makes the request: `anonymous` for an unsigned call (API Gateway evaluates a call without
 * SigV4 as "an anonymous user"), or one principal by type, such as
 * `{ AWS: "arn:aws:iam::111122223333:role/developer" }`.
 */
export type RequestPrincipal =
  | "anonymous"
  | { readonly AWS: string }
  | { readonly Service: string }
  | { readonly Federated: string }
  | { readonly CanonicalUser: string };

/** The request a policy is asked about. */
export interface PolicyRequest {
  /** Who calls; `anonymous` for an unsigned call. */
  readonly principal: RequestPrincipal;
  /** `service:action`, such as `execute-api:Invoke`. */
  readonly action: string;
  /** The resource ARN, such as `arn:aws:execute-api:ap-northeast-1:222222222222:a1b2c3d4e5/v1/GET/pets`. */
  readonly resource: string;
  /** Condition keys and their values (`aws:SourceVpce`, `aws:VpcSourceIp`…); keys are matched case-insensitively. */
  readonly context: RequestContext;
}

/** IAM's three outcomes for one policy. */
export type Decision = "allow" | "explicit-deny" | "implicit-deny";

/** Whether one statement applies to the request, and why. */
export interface StatementOutcome {
  /** The `Sid`, or `Statement[<index>]`. */
  readonly id: string;
  /** The statement's `Effect`. */
  readonly effect: "Allow" | "Deny";
  /** `depends` only when the context holds an address block that straddles one of its ranges. */
  readonly applies: boolean | "depends";
  /**
   * When it applies: the facts that make it apply (`aws:VpcSourceIp 10.9.0.5: not in 10.0.0.0/16`,
   * or `<action> on <resource>` without conditions). Otherwise a phrase that follows "statement
   * <id>": `covers arn:…/*, not arn:…`, `does not apply: aws:SourceVpce vpce-1: not vpce-2`.
   */
  readonly reason: string;
}

/** What a policy decides for a request. */
export interface PolicyEvaluation<D extends string = Decision> {
  /** `allow`, `explicit-deny` or `implicit-deny`. */
  readonly decision: D;
  /** The statements that decided: the denying ones, else the allowing ones; none for an implicit deny. */
  readonly statements: string[];
  /** In words a person can act on, naming the policy, the statement and the request's values. */
  readonly reason: string;
  /** Every statement, in document order. */
  readonly outcomes: readonly StatementOutcome[];
}

/** Options of {@link evaluatePolicy}. */
export interface EvaluateOptions {
  /** How reasons name the policy, such as `the resource policy`. @default "the policy" */
  readonly name?: string;
}

/**
 * Decides a request against one policy with IAM's evaluation logic (IAM User Guide, "Policy
 * evaluation logic"): a statement applies when its principal, action, resource and every
 * condition match; an applying `Deny` is an explicit deny, which overrides any `Allow`; an
 * applying `Allow` allows; and what no statement allows is implicitly denied.
 *
 * `Action` is matched case-insensitively, `Resource` case-sensitively, both with `*` and `?`;
 * `NotAction`/`NotResource` cover everything but their patterns. A statement without `Principal`
 * (an identity-based policy) applies to any caller; `"*"` and `{"AWS": "*"}` match everyone,
 * anonymous callers included; an account (`111122223333` or `arn:aws:iam::111122223333:root`)
 * matches every principal of that account, and a role matches its assumed-role sessions.
 * API Gateway's short resources (`execute-api:/*`) match nothing here: `apiGatewayPrivateInvoke`
 * expands them, as API Gateway does on save (or see `expandExecuteApiShorthand`).
 * Throws a `PolicyDocumentError` for a malformed policy.
 */
export function evaluatePolicy(policy: PolicyInput, request: PolicyRequest, options: EvaluateOptions = {}): PolicyEvaluation {
  const evaluation = evaluatePolicyOverRange(policy, request, options);
  if (evaluation.decision === "depends") {
    throw new Error(`${evaluation.reason}; evaluatePolicy needs one address, and admits() answers for a range`);
  }
  return evaluation as PolicyEvaluation;
}

/**
 * {@link evaluatePolicy} for a context that may hold an address block (an `IpRange`) in place of
 * one address: the decision is `depends` when it differs between addresses of the block. What
 * `admits` splits on.
 */
export function evaluatePolicyOverRange(policy: PolicyInput, request: PolicyRequest, options: EvaluateOptions = {}): PolicyEvaluation<Decision | "depends"> {
  const name = options.name ?? "the policy";
  const outcomes = parsePolicy(policy).statements.map((statement) => outcome(statement, request));
  const applying = (effect: string) => outcomes.filter((o) => o.effect === effect && o.applies === true);
  const depending = (effect: string) => outcomes.filter((o) => o.effect === effect && o.applies === "depends");

  const denies = applying("Deny");
  if (denies.length > 0) {
    const reason = denies.map((o, i) => `${i === 0 ? `${name}'s statement` : "its statement"} ${o.id} denies ${o.reason}`).join(", and ");
    return { decision: "explicit-deny", statements: denies.map((o) => o.id), reason, outcomes };
  }
  const undecided = depending("Deny");
  if (undecided.length > 0) return dependsOn(name, undecided, outcomes);
  const allows = applying("Allow");
  if (allows.length > 0) {
    const reason = allows.map((o, i) => `${i === 0 ? `${name}'s statement` : "its statement"} ${o.id} allows ${facts(o, request)}`).join(", and ");
    return { decision: "allow", statements: allows.map((o) => o.id), reason, outcomes };
  }
  const maybe = depending("Allow");
  if (maybe.length > 0) return dependsOn(name, maybe, outcomes);
  const others = outcomes.filter((o) => o.effect === "Allow");
  const why = others.length === 0 ? "it has no Allow statement" : others.map((o) => `statement ${o.id} ${o.reason}`).join("; ");
  return { decision: "implicit-deny", statements: [], reason: `${name} allows no ${request.action} on ${request.resource}: ${why}`, outcomes };
}

function dependsOn(name: string, undecided: StatementOutcome[], outcomes: StatementOutcome[]): PolicyEvaluation<"depends"> {
  const reason = `${name}'s decision depends on the address: ${undecided.map((o) => `statement ${o.id} on ${o.reason}`).join("; ")}`;
  return { decision: "depends", statements: undecided.map((o) => o.id), reason, outcomes };
}

/** An allowing statement's facts, after "allows": the action and resource, then its conditions. */
function facts(o: StatementOutcome, request: PolicyRequest): string {
  const call = `${request.action} on ${request.resource}`;
  return o.reason === call ? call : `${call} (${o.reason})`;
}

function outcome(statement: Statement, request: PolicyRequest): StatementOutcome {
  const { id, effect } = statement;
  const no = (reason: string): StatementOutcome => ({ id, effect, applies: false, reason });
  if (statement.principal !== undefined && !principalMatches(statement.principal, request.principal)) {
    return no(`is for ${describePrincipal(statement.principal)}, not ${describeCaller(request.principal)}`);
  }
  const action = statement.action.patterns.find((pattern) => actionMatches(pattern, request.action));
  if (statement.action.not && action !== undefined) return no(`excludes ${request.action} (NotAction ${action})`);
  if (!statement.action.not && action === undefined) return no(`is for ${statement.action.patterns.join(", ")}, not ${request.action}`);
  const resource = statement.resource.patterns.find((pattern) => resourceMatches(pattern, request.resource));
  if (statement.resource.not && resource !== undefined) return no(`excludes ${request.resource} (NotResource ${resource})`);
  if (!statement.resource.not && resource === undefined) return no(`covers ${statement.resource.patterns.join(", ")}, not ${request.resource}`);
  if (statement.conditions.length === 0) return { id, effect, applies: true, reason: `${request.action} on ${request.resource}` };
  const { holds, results } = evaluateConditions(statement.conditions, request.context);
  if (holds === false) return no(`does not apply: ${results.filter((r) => r.holds === false).map((r) => r.reason).join("; ")}`);
  const shown = holds === true ? results : results.filter((r) => r.holds === "depends");
  return { id, effect, applies: holds, reason: shown.map((r) => r.reason).join("; ") };
}

function principalMatches(element: PrincipalElement, caller: RequestPrincipal): boolean {
  if (element === "*") return true;
  // S3 and MediaPackage's guides: both "*" and {"AWS": "*"} grant anonymous access.
  if (caller === "anonymous") return element.AWS?.includes("*") ?? false;
  const [type, id] = Object.entries(caller)[0] as [keyof typeof element, string];
  const ids = element[type] ?? [];
  if (ids.includes("*")) return true;
  return type === "AWS" ? ids.some((principal) => awsPrincipalMatches(principal, id)) : ids.includes(id);
}

/**
 * An `AWS` principal against the caller's ARN: the same ARN; the caller's account, as an id or as
 * its `:root` ARN ("IAM JSON policy elements: Principal": an account principal stands for every
 * principal of the account that its own policies allow); or the role an assumed-role session comes from.
 */
function awsPrincipalMatches(principal: string, arn: string): boolean {
  if (principal === arn) return true;
  const caller = arnComponents(arn);
  if (!caller) return false;
  const account = caller[4];
  if (/^\d{12}$/.test(principal)) return principal === account;
  const root = /^arn:[^:]+:iam::(\d{12}):root$/.exec(principal);
  if (root) return root[1] === account;
  const session = /^assumed-role\/([^/]+)\/[^/]+$/.exec(caller[5]);
  const role = /^arn:[^:]+:iam::(\d{12}):role\/(?:.*\/)?([^/]+)$/.exec(principal);
  return caller[2] === "sts" && session !== null && role !== null && role[1] === account && role[2] === session[1];
}

function describePrincipal(element: PrincipalElement): string {
  return element === "*" ? "everyone" : Object.values(element).flat().join(", ");
}

function describeCaller(caller: RequestPrincipal): string {
  return caller === "anonymous" ? "an anonymous caller" : Object.values(caller)[0];
}
