import { ConditionClause, conditionValueProblem, parseConditionOperator } from "./conditions";

/** A policy document that cannot be evaluated; the message names the element and the bad value. */
export class PolicyDocumentError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "PolicyDocumentError";
  }
}

/** The principal types a `Principal` element may name. */
export type PrincipalType = "AWS" | "Service" | "Federated" | "CanonicalUser";

/** A statement's `Principal`: `*` (everyone, anonymous callers included) or principals by type. */
export type PrincipalElement = "*" | { readonly [type in PrincipalType]?: readonly string[] };

/** `Action`/`NotAction` or `Resource`/`NotResource`, as a list whatever the document wrote. */
export interface MatchList {
  /** `true` for `NotAction`/`NotResource`: the statement covers everything except the patterns. */
  readonly not: boolean;
  /** The entries, with their `*` and `?` wildcards. */
  readonly patterns: readonly string[];
}

/** A statement, validated, with every "string or list" element turned into a list. */
export interface Statement {
  /** The `Sid`, or `Statement[<index>]` when it has none: how results name the statement. */
  readonly id: string;
  /** Position in the document's `Statement` list (0 when `Statement` is a single object). */
  readonly index: number;
  /** The `Sid`. @default - none */
  readonly sid?: string;
  /** `Allow` or `Deny`. */
  readonly effect: "Allow" | "Deny";
  /** `undefined` when the statement has no `Principal` (an identity-based policy): it applies to any caller. */
  readonly principal?: PrincipalElement;
  /** `Action` or `NotAction`. */
  readonly action: MatchList;
  /** `Resource` or `NotResource`, as written (API Gateway's `execute-api:/…` short form included). */
  readonly resource: MatchList;
  /** One clause per operator and key of `Condition`; none when it has no `Condition`. */
  readonly conditions: readonly ConditionClause[];
}

/** A parsed policy: what {@link parsePolicy} returns and every evaluator accepts. */
export class Policy {
  constructor(
    /** `2012-10-17`, `2008-10-17`, or `undefined` when the document has no `Version`. */
    readonly version: string | undefined,
    /** The statements, in document order. */
    readonly statements: readonly Statement[],
    /** The document's `Id`. @default - none */
    readonly id?: string,
  ) {}
}

/** A policy as JSON text (also GetRestApi's backslash-escaped form), as a JSON value, or parsed. */
export type PolicyInput = string | Readonly<Record<string, unknown>> | Policy;

/** How {@link parsePolicy} reads a document. */
export interface ParseOptions {
  /**
   * What to do with `${…}` in a `Version: 2012-10-17` document, where AWS substitutes policy
   * variables (`${aws:username}`). `refuse`: throw, naming the variable (this evaluator does not
   * know their values). `literal`: read them as text, as AWS does in older versions (useful for a
   * synthesized document whose `${…}` are Terraform references).
   * @default "refuse"
   */
  readonly policyVariables?: "refuse" | "literal";
}

const DOCUMENT_ELEMENTS = ["Version", "Id", "Statement"];
const STATEMENT_ELEMENTS = ["Sid", "Effect", "Principal", "NotPrincipal", "Action", "NotAction", "Resource", "NotResource", "Condition"];
const VERSIONS = ["2012-10-17", "2008-10-17"];
const PRINCIPAL_TYPES: PrincipalType[] = ["AWS", "Service", "Federated", "CanonicalUser"];

/**
 * Parses and validates a policy document, so that evaluation never meets a malformed one. Takes
 * the JSON text (also double-encoded, and the backslash-escaped `{\"Version\":…}` that API
 * Gateway's GetRestApi returns), the JSON value, or an already parsed {@link Policy} (returned as
 * it is). `Statement` may be one object or a list; `Action`, `Resource` and `Principal` values may
 * be a string or a list. Throws a {@link PolicyDocumentError} naming the element and the value.
 *
 * `NotPrincipal` is refused: its meaning depends on how AWS expands the request's principal
 * (account, role, session), which this evaluator does not model.
 */
export function parsePolicy(input: unknown, options: ParseOptions = {}): Policy {
  if (input instanceof Policy) return input;
  const document = typeof input === "string" ? decodeText(input) : input;
  if (!isObject(document)) throw new PolicyDocumentError(`a policy must be a JSON object with a Statement, got ${describe(document)}`);
  for (const element of Object.keys(document)) {
    if (!DOCUMENT_ELEMENTS.includes(element)) throw new PolicyDocumentError(`the policy has an unknown element "${element}"; expected ${DOCUMENT_ELEMENTS.join(", ")}`);
  }
  const version = document.Version;
  if (version !== undefined && typeof version !== "string") throw new PolicyDocumentError(`Version must be a string, got ${describe(version)}`);
  if (version !== undefined && !VERSIONS.includes(version)) throw new PolicyDocumentError(`Version "${version}" is not "2012-10-17" or "2008-10-17"`);
  if (document.Id !== undefined && typeof document.Id !== "string") throw new PolicyDocumentError(`Id must be a string, got ${describe(document.Id)}`);
  if (document.Statement === undefined) throw new PolicyDocumentError("the policy has no Statement");
  const raw = Array.isArray(document.Statement) ? document.Statement : [document.Statement];
  if (!Array.isArray(document.Statement) && !isObject(document.Statement)) {
    throw new PolicyDocumentError(`Statement must be an object or a list of objects, got ${describe(document.Statement)}`);
  }
  if (raw.length === 0) throw new PolicyDocumentError("Statement is an empty list: a policy needs at least one statement");
  const variables = version === "2012-10-17" && (options.policyVariables ?? "refuse") === "refuse";
  const statements = raw.map((statement, index) => parseStatement(statement, index, variables));
  const seen = new Map<string, number>();
  for (const statement of statements) {
    if (statement.sid === undefined) continue;
    const first = seen.get(statement.sid);
    if (first !== undefined) throw new PolicyDocumentError(`Statement[${statement.index}].Sid "${statement.sid}" is also the Sid of Statement[${first}]; Sids must be unique in a policy`);
    seen.set(statement.sid, statement.index);
  }
  return new Policy(version, statements, document.Id as string | undefined);
}

/** JSON text, double-encoded JSON text, or the backslash-escaped text GetRestApi returns. */
function decodeText(text: string): unknown {
  const trimmed = text.trim();
  let value: unknown;
  try {
    value = JSON.parse(trimmed);
  } catch {
    // GetRestApi's `policy` is the document with its quotes escaped (`{\"Version\":…}`): read it as
    // the body of a JSON string first (terraform-provider-aws unquotes it the same way).
    try {
      value = JSON.parse(JSON.parse(`"${trimmed}"`));
    } catch {
      const preview = trimmed.length > 60 ? `${trimmed.slice(0, 60)}…` : trimmed;
      throw new PolicyDocumentError(`the policy text is not JSON (nor the backslash-escaped JSON that GetRestApi returns): ${preview}`);
    }
  }
  return typeof value === "string" ? decodeText(value) : value;
}

function parseStatement(raw: unknown, index: number, refuseVariables: boolean): Statement {
  const at = `Statement[${index}]`;
  if (!isObject(raw)) throw new PolicyDocumentError(`${at} must be an object, got ${describe(raw)}`);
  for (const element of Object.keys(raw)) {
    if (!STATEMENT_ELEMENTS.includes(element)) throw new PolicyDocumentError(`${at} has an unknown element "${element}"; expected ${STATEMENT_ELEMENTS.join(", ")}`);
  }
  if (raw.Sid !== undefined && typeof raw.Sid !== "string") throw new PolicyDocumentError(`${at}.Sid must be a string, got ${describe(raw.Sid)}`);
  const sid = raw.Sid as string | undefined;
  if (raw.Effect === undefined) throw new PolicyDocumentError(`${at} has no Effect; expected "Allow" or "Deny"`);
  if (raw.Effect !== "Allow" && raw.Effect !== "Deny") throw new PolicyDocumentError(`${at}.Effect ${JSON.stringify(raw.Effect)} is not "Allow" or "Deny"`);
  if (raw.NotPrincipal !== undefined && raw.Principal !== undefined) throw new PolicyDocumentError(`${at} has both Principal and NotPrincipal; keep one`);
  if (raw.NotPrincipal !== undefined) {
    throw new PolicyDocumentError(`${at}.NotPrincipal is not supported by this evaluator; name the principals in Principal, or use "*" with a condition on aws:PrincipalArn`);
  }
  const action = matchList(raw, at, "Action", "NotAction", (value) =>
    value === "*" || /^[A-Za-z0-9*?-]+:[A-Za-z0-9*?]+$/.test(value) ? undefined : `is not "*" or "<service>:<action>" (such as "execute-api:Invoke")`,
  );
  const resource = matchList(raw, at, "Resource", "NotResource", (value) => {
    // `execute-api:/…` is API Gateway's short form, which it expands to the API's ARN when it saves the policy.
    if (value === "*" || value.startsWith("execute-api:/") || (value.startsWith("arn:") && value.split(":").length >= 6)) {
      return refuseVariables ? variableProblem(value) : undefined;
    }
    return `is not "*", an ARN (arn:<partition>:<service>:<region>:<account>:<resource>) or API Gateway's execute-api:/<stage>/<method>/<path>`;
  });
  return {
    id: sid ?? at,
    index,
    sid,
    effect: raw.Effect,
    principal: raw.Principal === undefined ? undefined : parsePrincipal(raw.Principal, at),
    action,
    resource,
    conditions: raw.Condition === undefined ? [] : parseCondition(raw.Condition, at, refuseVariables),
  };
}

function matchList(raw: Record<string, unknown>, at: string, name: string, notName: string, problem: (value: string) => string | undefined): MatchList {
  if (raw[name] !== undefined && raw[notName] !== undefined) throw new PolicyDocumentError(`${at} has both ${name} and ${notName}; keep one`);
  if (raw[name] === undefined && raw[notName] === undefined) throw new PolicyDocumentError(`${at} has neither ${name} nor ${notName}`);
  const element = raw[name] !== undefined ? name : notName;
  const patterns = stringList(raw[element], `${at}.${element}`);
  for (const pattern of patterns) {
    const wrong = problem(pattern);
    if (wrong) throw new PolicyDocumentError(`${at}.${element} "${pattern}" ${wrong}`);
  }
  return { not: element === notName, patterns };
}

function parsePrincipal(raw: unknown, at: string): PrincipalElement {
  if (raw === "*") return "*";
  if (typeof raw === "string") throw new PolicyDocumentError(`${at}.Principal "${raw}" must be "*" or an object such as {"AWS": "arn:aws:iam::111122223333:root"}`);
  if (!isObject(raw)) throw new PolicyDocumentError(`${at}.Principal must be "*" or an object such as {"AWS": "arn:aws:iam::111122223333:root"}, got ${describe(raw)}`);
  const principal: { [type in PrincipalType]?: readonly string[] } = {};
  for (const [type, value] of Object.entries(raw)) {
    if (!PRINCIPAL_TYPES.includes(type as PrincipalType)) {
      throw new PolicyDocumentError(`${at}.Principal has the unknown principal type "${type}"; expected ${PRINCIPAL_TYPES.join(", ")}`);
    }
    const ids = stringList(value, `${at}.Principal.${type}`);
    const partial = ids.find((id) => id !== "*" && /[*?]/.test(id));
    // "IAM JSON policy elements: Principal": a wildcard cannot match part of a principal name or ARN.
    if (partial) throw new PolicyDocumentError(`${at}.Principal.${type} "${partial}": a wildcard in a principal only works as "*" on its own`);
    principal[type as PrincipalType] = ids;
  }
  return principal;
}

function parseCondition(raw: unknown, at: string, refuseVariables: boolean): ConditionClause[] {
  if (!isObject(raw)) throw new PolicyDocumentError(`${at}.Condition must be an object of {operator: {key: value}}, got ${describe(raw)}`);
  const clauses: ConditionClause[] = [];
  for (const [name, body] of Object.entries(raw)) {
    let operator;
    try {
      operator = parseConditionOperator(name);
    } catch (error) {
      throw new PolicyDocumentError(`${at}.Condition: ${(error as Error).message}`);
    }
    const where = `${at}.Condition.${name}`;
    if (!isObject(body)) throw new PolicyDocumentError(`${where} must be an object of {key: value}, got ${describe(body)}`);
    if (Object.keys(body).length === 0) throw new PolicyDocumentError(`${where} has no condition key`);
    for (const [key, value] of Object.entries(body)) {
      // JSON numbers and booleans are valid condition values ("Bool": {"aws:SecureTransport": false}).
      const values = stringList(Array.isArray(value) ? value.map(scalarText) : scalarText(value), `${where}.${key}`);
      for (const v of values) {
        const variable = refuseVariables ? variableProblem(v) : undefined;
        const wrong = conditionValueProblem(operator, v) ?? (variable && `"${v}" ${variable}`);
        if (wrong) throw new PolicyDocumentError(`${where}.${key}: ${wrong}`);
      }
      clauses.push({ operator, key, values });
    }
  }
  return clauses;
}

function variableProblem(value: string): string | undefined {
  const variable = /\$\{[^}]*\}/.exec(value)?.[0];
  return variable && `uses the policy variable ${variable}, which this evaluator does not substitute`;
}

function stringList(value: unknown, where: string): string[] {
  if (typeof value === "string") return [value];
  if (Array.isArray(value) && value.every((v) => typeof v === "string")) {
    if (value.length === 0) throw new PolicyDocumentError(`${where} is an empty list`);
    return value;
  }
  throw new PolicyDocumentError(`${where} must be a string or a list of strings, got ${describe(value)}`);
}

function scalarText(value: unknown): unknown {
  return typeof value === "number" || typeof value === "boolean" ? String(value) : value;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function describe(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "a list";
  if (typeof value === "string") return `the string ${JSON.stringify(value)}`;
  if (typeof value === "object") return JSON.stringify(value);
  return String(value);
}
