import { IpRange, coverage, formatIpRange, parseIpRange } from "./ip-ranges";
import { arnLike, globMatch } from "./patterns";

/** How an operator compares, and whether it is the negated form of another. */
interface OperatorSpec {
  readonly family: "string" | "like" | "numeric" | "date" | "bool" | "binary" | "ip" | "arn" | "null";
  readonly negated: boolean;
  readonly ignoreCase?: boolean;
  readonly relation?: Relation;
}

type Relation = "eq" | "lt" | "le" | "gt" | "ge";

// IAM User Guide, "IAM JSON policy elements: Condition operators": every operator it documents.
const OPERATORS = {
  StringEquals: { family: "string", negated: false },
  StringNotEquals: { family: "string", negated: true },
  StringEqualsIgnoreCase: { family: "string", negated: false, ignoreCase: true },
  StringNotEqualsIgnoreCase: { family: "string", negated: true, ignoreCase: true },
  StringLike: { family: "like", negated: false },
  StringNotLike: { family: "like", negated: true },
  NumericEquals: { family: "numeric", negated: false, relation: "eq" },
  NumericNotEquals: { family: "numeric", negated: true, relation: "eq" },
  NumericLessThan: { family: "numeric", negated: false, relation: "lt" },
  NumericLessThanEquals: { family: "numeric", negated: false, relation: "le" },
  NumericGreaterThan: { family: "numeric", negated: false, relation: "gt" },
  NumericGreaterThanEquals: { family: "numeric", negated: false, relation: "ge" },
  DateEquals: { family: "date", negated: false, relation: "eq" },
  DateNotEquals: { family: "date", negated: true, relation: "eq" },
  DateLessThan: { family: "date", negated: false, relation: "lt" },
  DateLessThanEquals: { family: "date", negated: false, relation: "le" },
  DateGreaterThan: { family: "date", negated: false, relation: "gt" },
  DateGreaterThanEquals: { family: "date", negated: false, relation: "ge" },
  Bool: { family: "bool", negated: false },
  BinaryEquals: { family: "binary", negated: false },
  IpAddress: { family: "ip", negated: false },
  NotIpAddress: { family: "ip", negated: true },
  ArnEquals: { family: "arn", negated: false },
  ArnLike: { family: "arn", negated: false },
  ArnNotEquals: { family: "arn", negated: true },
  ArnNotLike: { family: "arn", negated: true },
  Null: { family: "null", negated: false },
} satisfies Record<string, OperatorSpec>;

/** A condition operator without its `ForAnyValue:`/`ForAllValues:` qualifier and `IfExists` suffix. */
export type BaseOperator = keyof typeof OPERATORS;

/** A condition operator as a policy names it, taken apart. */
export interface ConditionOperator {
  /** The canonical spelling, such as `ForAnyValue:StringLikeIfExists`. */
  readonly name: string;
  /** The comparison. */
  readonly base: BaseOperator;
  /** `…IfExists`: the clause holds when the key is absent from the request. */
  readonly ifExists: boolean;
  /** The set qualifier, for keys that hold several values in the request. @default - none */
  readonly qualifier?: "ForAnyValue" | "ForAllValues";
}

/** One operator, one key and the values the policy lists for it (JSON numbers and booleans as text). */
export interface ConditionClause {
  readonly operator: ConditionOperator;
  /** The key as the policy writes it; matched against the request case-insensitively. */
  readonly key: string;
  /** The policy's values for the key, at least one. */
  readonly values: readonly string[];
}

/**
 * The request context: condition key → value(s). Keys are matched case-insensitively. An
 * {@link IpRange} stands for every address of a block at once (what `admits` asks about): IP
 * address operators then answer for the whole block, or `depends` when it straddles a range.
 */
export type RequestContext = Readonly<Record<string, string | readonly string[] | IpRange>>;

/** Whether a clause holds for the request, and the fact about the request that decides it. */
export interface ClauseResult {
  /** The clause evaluated. */
  readonly clause: ConditionClause;
  /** `depends`: only for an {@link IpRange} in the context that lies partly inside the policy's ranges. */
  readonly holds: boolean | "depends";
  /** In words a person can check against the request: `aws:VpcSourceIp 10.9.0.5: not in 10.0.0.0/16, 172.31.0.0/16`. */
  readonly reason: string;
}

const QUALIFIERS = { foranyvalue: "ForAnyValue", forallvalues: "ForAllValues" } as const;

/**
 * Takes an operator name apart. Names are matched case-insensitively and returned in their
 * canonical spelling. Throws an error naming the operator for an unknown name, for `IfExists` on
 * `Null` (the guide: "You can add IfExists to the end of any condition operator name except the
 * Null condition"), for a qualifier on `Null`, and for `ForAnyValue:` with `IfExists`, whose
 * meaning AWS does not document (an absent key fails `ForAnyValue`, and passes `IfExists`).
 */
export function parseConditionOperator(name: string): ConditionOperator {
  const colon = name.indexOf(":");
  const qualifierText = colon >= 0 ? name.slice(0, colon) : undefined;
  let rest = colon >= 0 ? name.slice(colon + 1) : name;
  let qualifier: ConditionOperator["qualifier"];
  if (qualifierText !== undefined) {
    qualifier = QUALIFIERS[qualifierText.toLowerCase() as keyof typeof QUALIFIERS];
    if (!qualifier) throw new Error(`operator "${name}" has the unknown qualifier "${qualifierText}"; expected ForAnyValue or ForAllValues`);
  }
  const ifExists = rest.toLowerCase().endsWith("ifexists");
  if (ifExists) rest = rest.slice(0, -"IfExists".length);
  const base = (Object.keys(OPERATORS) as BaseOperator[]).find((known) => known.toLowerCase() === rest.toLowerCase());
  if (!base) throw new Error(`unknown operator "${name}"; the IAM User Guide's "Condition operators" lists the valid ones`);
  const canonical = `${qualifier ? `${qualifier}:` : ""}${base}${ifExists ? "IfExists" : ""}`;
  if (base === "Null" && ifExists) throw new Error(`operator "${name}": IfExists cannot be added to Null, which already tests whether the key exists`);
  if (base === "Null" && qualifier) throw new Error(`operator "${name}": Null takes no ForAnyValue:/ForAllValues: qualifier`);
  if (qualifier === "ForAnyValue" && ifExists) {
    throw new Error(`operator "${name}": ForAnyValue with IfExists has no documented meaning, so this evaluator does not decide it; write ForAnyValue:${base}`);
  }
  return { name: canonical, base, ifExists, qualifier };
}

/** What is wrong with `value` as a policy value of `operator`, or `undefined` when it is valid. */
export function conditionValueProblem(operator: ConditionOperator, value: string): string | undefined {
  switch (OPERATORS[operator.base].family) {
    case "ip":
      return parseIpRange(value) ? undefined : `"${value}" is not an IP address or CIDR`;
    case "numeric":
      return parseNumber(value) === undefined ? `"${value}" is not a number` : undefined;
    case "date":
      return parseDate(value) === undefined ? `"${value}" is not an ISO 8601 date (such as 2020-01-01T00:00:01Z) or epoch seconds` : undefined;
    case "bool":
    case "null":
      return /^(true|false)$/i.test(value) ? undefined : `"${value}" is not "true" or "false"`;
    case "binary":
      return isBase64(value) ? undefined : `"${value}" is not base64`;
    default:
      return undefined;
  }
}

/** The request's value(s) of `key`, looked up case-insensitively (condition key names are not case-sensitive). */
export function contextValue(context: RequestContext, key: string): string | readonly string[] | IpRange | undefined {
  if (Object.prototype.hasOwnProperty.call(context, key)) return context[key];
  const lower = key.toLowerCase();
  const found = Object.keys(context).find((k) => k.toLowerCase() === lower);
  return found === undefined ? undefined : context[found];
}

/**
 * Evaluates a statement's conditions: every clause must hold (several operators, and several keys
 * under one operator, are ANDed; several values of one key are ORed, and NORed for a negated
 * operator). `depends` when no clause fails and one depends on which address of a block calls.
 */
export function evaluateConditions(clauses: readonly ConditionClause[], context: RequestContext): { holds: boolean | "depends"; results: ClauseResult[] } {
  const results = clauses.map((clause) => evaluateClause(clause, context));
  const holds = results.some((r) => r.holds === false) ? false : results.some((r) => r.holds === "depends") ? "depends" : true;
  return { holds, results };
}

/**
 * Evaluates one clause, as the guide documents: a key absent from the request fails the clause,
 * except that a negated operator (`StringNotEquals`, `NotIpAddress`, `ArnNotLike`…) then holds,
 * `…IfExists` holds, `ForAllValues:` holds (an empty set), `ForAnyValue:` fails, and `Null`
 * tests exactly that. A key with several values in the request needs a set qualifier; without
 * one this throws, naming the key.
 */
export function evaluateClause(clause: ConditionClause, context: RequestContext): ClauseResult {
  const { operator, key } = clause;
  const spec: OperatorSpec = OPERATORS[operator.base];
  const raw = contextValue(context, key);
  // An empty list is no value at all: the key is absent.
  const present = raw !== undefined && !(Array.isArray(raw) && raw.length === 0);
  if (isIpRange(raw) && spec.family !== "ip" && spec.family !== "null") {
    throw new Error(`${key} stands for the range ${formatIpRange(raw)} here, and ${operator.name} cannot be decided over a range; only IpAddress, NotIpAddress and Null can`);
  }
  const shown = isIpRange(raw) ? formatIpRange(raw) : raw;

  if (spec.family === "null") {
    const absent = !present;
    const holds = clause.values.some((v) => (v.toLowerCase() === "true") === absent);
    return { clause, holds, reason: absent ? `${key} (absent from the request)` : `${key} ${show(shown!)}: present` };
  }

  if (operator.qualifier) {
    const values = isIpRange(raw) ? [raw] : raw === undefined ? [] : typeof raw === "string" ? (raw === "" ? [] : [raw]) : [...raw];
    if (values.length === 0) {
      // The guide: an empty data set makes ForAllValues true and ForAnyValue false.
      return { clause, holds: operator.qualifier === "ForAllValues", reason: present ? `${key} (no values in the request)` : `${key} (absent from the request)` };
    }
    const each = values.map((value) => single(clause, spec, value));
    if (operator.qualifier === "ForAllValues") {
      const failing = each.find((r) => r.holds === false);
      if (failing) return { clause, holds: false, reason: failing.reason };
      if (each.some((r) => r.holds === "depends")) return { clause, holds: "depends", reason: each.map((r) => r.reason).join("; ") };
      return { clause, holds: true, reason: each.map((r) => r.reason).join("; ") };
    }
    const passing = each.find((r) => r.holds === true);
    if (passing) return { clause, holds: true, reason: passing.reason };
    return { clause, holds: each.some((r) => r.holds === "depends") ? "depends" : false, reason: each.map((r) => r.reason).join("; ") };
  }

  if (!present) {
    return { clause, holds: operator.ifExists || spec.negated, reason: `${key} (absent from the request)` };
  }
  if (Array.isArray(raw) && raw.length !== 1) {
    throw new Error(`${key} has ${raw.length} values in the request (${raw.join(", ")}); ${operator.name} compares one value, and a multivalued key needs ForAnyValue: or ForAllValues:`);
  }
  const value = isIpRange(raw) ? raw : typeof raw === "string" ? raw : (raw as readonly string[])[0];
  return single(clause, spec, value);
}

/** One request value against the clause's values: the positive comparison, then negated if the operator is. */
function single(clause: ConditionClause, spec: OperatorSpec, value: string | IpRange): ClauseResult {
  const { matched, fact } = compare(spec, clause.values, value);
  const holds = matched === "depends" ? "depends" : spec.negated ? !matched : matched;
  return { clause, holds, reason: `${clause.key} ${isIpRange(value) ? formatIpRange(value) : value}: ${fact}` };
}

/** Whether some policy value matches the request value (the positive form of the operator), in words. */
function compare(spec: OperatorSpec, policyValues: readonly string[], value: string | IpRange): { matched: boolean | "depends"; fact: string } {
  const list = policyValues.join(", ");
  switch (spec.family) {
    case "ip": {
      const block = isIpRange(value) ? value : value.includes("/") ? undefined : parseIpRange(value);
      if (!block) return { matched: false, fact: "not an IP address" };
      const ranges = policyValues.map((v) => parseIpRange(v)!);
      const holding = policyValues.find((_, i) => coverage(block, [ranges[i]]) === "all");
      if (holding !== undefined) return { matched: true, fact: `in ${holding}` };
      const covered = coverage(block, ranges);
      if (covered === "all") return { matched: true, fact: `in ${list}` };
      return covered === "none" ? { matched: false, fact: `not in ${list}` } : { matched: "depends", fact: `partly in ${list}` };
    }
    case "string":
    case "binary": {
      const equal = (p: string) => (spec.family === "binary" ? sameBytes(p, value as string) : spec.ignoreCase ? p.toLowerCase() === (value as string).toLowerCase() : p === value);
      const found = policyValues.find(equal);
      const suffix = spec.ignoreCase ? " (ignoring case)" : "";
      if (found !== undefined) return { matched: true, fact: `equals ${found}${suffix}` };
      return { matched: false, fact: policyValues.length === 1 ? `not ${list}${suffix}` : `not any of ${list}${suffix}` };
    }
    case "like":
    case "arn": {
      const found = policyValues.find((p) => (spec.family === "arn" ? arnLike(p, value as string) : globMatch(p, value as string)));
      if (found !== undefined) return { matched: true, fact: `matches ${found}` };
      return { matched: false, fact: policyValues.length === 1 ? `does not match ${list}` : `matches none of ${list}` };
    }
    case "numeric":
    case "date": {
      const parse = spec.family === "numeric" ? parseNumber : parseDate;
      const words = (spec.family === "numeric" ? NUMERIC_WORDS : DATE_WORDS)[spec.relation!];
      const actual = parse(value as string);
      if (actual === undefined) return { matched: false, fact: spec.family === "numeric" ? "not a number" : "not a date" };
      const found = policyValues.find((p) => related(actual, spec.relation!, parse(p)!));
      if (found !== undefined) return { matched: true, fact: `${words} ${found}` };
      return { matched: false, fact: `not ${words} ${policyValues.join(" or ")}` };
    }
    case "bool": {
      const found = policyValues.find((p) => p.toLowerCase() === (value as string).toLowerCase());
      return found !== undefined ? { matched: true, fact: `is ${found}` } : { matched: false, fact: `is not ${policyValues.join(" or ")}` };
    }
    default:
      throw new Error(`no comparison for ${spec.family}`);
  }
}

const NUMERIC_WORDS: Record<Relation, string> = { eq: "equals", lt: "less than", le: "at most", gt: "greater than", ge: "at least" };
const DATE_WORDS: Record<Relation, string> = { eq: "equals", lt: "before", le: "at or before", gt: "after", ge: "at or after" };

function related(actual: number, relation: Relation, expected: number): boolean {
  switch (relation) {
    case "eq":
      return actual === expected;
    case "lt":
      return actual < expected;
    case "le":
      return actual <= expected;
    case "gt":
      return actual > expected;
    case "ge":
      return actual >= expected;
  }
}

function parseNumber(text: string): number | undefined {
  return /^[+-]?\d+(\.\d+)?$/.test(text) ? Number(text) : undefined;
}

// The W3C profile of ISO 8601 the guide links to, from a full date on; a bare number is epoch
// seconds (aws:EpochTime), so the W3C year-only form `2020` is read as a number of seconds.
const W3C_DATE = /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2}))?$/;

function parseDate(text: string): number | undefined {
  if (/^\d+(\.\d+)?$/.test(text)) return Number(text) * 1000;
  if (!W3C_DATE.test(text)) return undefined;
  const ms = Date.parse(text);
  return Number.isNaN(ms) ? undefined : ms;
}

function isBase64(text: string): boolean {
  return text.length % 4 === 0 && /^[A-Za-z0-9+/]*={0,2}$/.test(text);
}

function sameBytes(a: string, b: string): boolean {
  return isBase64(b) && Buffer.from(a, "base64").equals(Buffer.from(b, "base64"));
}

function show(value: string | readonly string[]): string {
  return typeof value === "string" ? value : value.join(", ");
}

function isIpRange(value: unknown): value is IpRange {
  return typeof value === "object" && value !== null && !Array.isArray(value) && "family" in value;
}
