/**
 * The two stacks as the preflight rules see them, read from synthesized Terraform JSON
 * (cdktf.out/stacks/<stack>/cdk.tf.json) or from plan JSON (`terraform show -json <plan>`).
 *
 * Values are what the configuration says: literals, or references written `${type.name.attr}`
 * that `StackModel.resolve` follows within a stack and, through B's outputs read by A's
 * `terraform_remote_state`, across them.
 */

/**
 * The two sides of the path a rule checks: `account-a` is the consumer (account A's stack, or any
 * other consumer's), `account-b` the API's stack. A stack's own id is `StackModel.name`.
 */
export type StackName = "account-a" | "account-b";

/** A resource or data source of a stack. */
export interface Element {
  /** `aws_vpc.network_vpc` or `data.aws_vpcs.peering_own-vpc`. */
  readonly address: string;
  readonly type: string;
  /** Its attributes as configured (synth) or planned (plan, unknowns as references). */
  readonly values: Record<string, any>;
  /** Instances the plan holds (plan input only: undefined for synthesized stacks). */
  readonly instances?: Record<string, any>[];
  /** The `count` index or `for_each` key of each of `instances`, in the same order. */
  readonly instanceKeys?: (string | number | undefined)[];
}

/** A value followed to where it comes from. */
export type Resolved =
  | { readonly kind: "literal"; readonly value: unknown }
  | { readonly kind: "attribute"; readonly stack: StackName; readonly address: string; readonly path: string }
  | { readonly kind: "expression"; readonly stack: StackName; readonly text: string };

/** One stack's elements, variables and outputs. */
export class StackModel {
  constructor(
    /** The stack's id: `account-b`, `account-a`, `consumer-<name>`. */
    readonly name: string,
    readonly elements: Element[],
    readonly variables: Record<string, unknown>,
    readonly outputs: Record<string, unknown>,
    readonly provider: { region?: string; accountIds: string[] },
    /** True when read from a plan: instance counts are known. */
    readonly planned: boolean,
    /** The stack's locals as configured (synthesized JSON only: plan JSON does not carry them). */
    readonly locals: Record<string, unknown> = {},
  ) {}

  /** Every element of `type` (resources, or data sources when `type` starts with `data.`). */
  all(type: string): Element[] {
    return this.elements.filter((e) => (type.startsWith("data.") ? `data.${e.type}` === type && e.address.startsWith("data.") : e.type === type && !e.address.startsWith("data.")));
  }

  /** The element at `address`, if there is one. */
  at(address: string): Element | undefined {
    return this.elements.find((e) => e.address === address);
  }
}

/** A consumer's stack and account B's: the path from one consumer to the API. */
export interface ProjectModel {
  readonly a: StackModel;
  readonly b: StackModel;
}

const REFERENCE = /^\$\{([A-Za-z_][\w-]*(?:\.[\w-]+|\[\d+\])+)\}$/;

/**
 * Follows `value` from `stack`: a whole-string reference to another element's attribute, a
 * variable (to its default) or A's remote state of B (to B's output) is followed until it
 * reaches a literal, an attribute AWS assigns, or an expression this reader does not evaluate.
 */
export function resolve(model: ProjectModel, stack: StackName, value: unknown, depth = 0): Resolved {
  if (typeof value !== "string" || depth > 20) return { kind: "literal", value };
  const match = REFERENCE.exec(value);
  if (!match) return value.includes("${") ? { kind: "expression", stack, text: value } : { kind: "literal", value };
  const parts = match[1].replace(/\[(\d+)\]/g, ".$1").split(".");
  const source = stack === "account-a" ? model.a : model.b;
  if (parts[0] === "var") {
    return parts.length === 2 && parts[1] in source.variables ? resolve(model, stack, source.variables[parts[1]], depth + 1) : { kind: "expression", stack, text: value };
  }
  if (parts[0] === "data" && parts[1] === "terraform_remote_state" && parts[3] === "outputs" && stack === "account-a") {
    const remote = source.at(`data.terraform_remote_state.${parts[2]}`);
    const known = remote?.values.outputs?.[parts[4]];
    if (known !== undefined && !(typeof known === "string" && known.startsWith("${"))) return { kind: "literal", value: known };
    return parts[4] in model.b.outputs ? resolve(model, "account-b", model.b.outputs[parts[4]], depth + 1) : { kind: "expression", stack, text: value };
  }
  const typeParts = parts[0] === "data" ? 3 : 2;
  const address = parts.slice(0, typeParts).join(".");
  const path = parts.slice(typeParts);
  const element = source.at(address);
  if (!element) return { kind: "expression", stack, text: value };
  const attribute = valueAt(element.values, path);
  if (attribute !== undefined) return resolve(model, stack, attribute, depth + 1);
  // What AWS assigned (an id, an ARN), when a plan or the live state knows it for the one instance.
  const assigned = element.instances?.length === 1 ? valueAt(element.instances[0], path) : undefined;
  if (assigned !== undefined && !(typeof assigned === "string" && assigned.includes("${"))) return { kind: "literal", value: assigned };
  return { kind: "attribute", stack, address, path: path.join(".") };
}

/** The value at `path` inside `value`, or undefined. */
function valueAt(value: unknown, path: string[]): unknown {
  let current = value;
  for (const key of path) {
    if (current === null || typeof current !== "object" || !(key in (current as object))) return undefined;
    current = (current as Record<string, unknown>)[key];
  }
  return current;
}

/** Whether two values resolve to the same literal or the same attribute. */
export function sameValue(model: ProjectModel, x: [StackName, unknown], y: [StackName, unknown]): boolean {
  const a = resolve(model, ...x);
  const b = resolve(model, ...y);
  if (a.kind === "literal" && b.kind === "literal") return JSON.stringify(a.value) === JSON.stringify(b.value);
  if (a.kind === "attribute" && b.kind === "attribute") return a.stack === b.stack && a.address === b.address && a.path === b.path;
  if (a.kind === "expression" && b.kind === "expression") return a.stack === b.stack && a.text === b.text;
  return false;
}

/** A literal string value, or undefined when `value` resolves to anything else. */
export function literal(model: ProjectModel, stack: StackName, value: unknown): string | undefined {
  const resolved = resolve(model, stack, value);
  return resolved.kind === "literal" && typeof resolved.value === "string" ? resolved.value : undefined;
}

/** A literal list of strings, or undefined. */
export function literalList(model: ProjectModel, stack: StackName, value: unknown): string[] | undefined {
  if (Array.isArray(value)) {
    const items = value.map((item) => literal(model, stack, item));
    return items.every((item): item is string => item !== undefined) ? items : undefined;
  }
  const resolved = resolve(model, stack, value);
  if (resolved.kind === "literal" && Array.isArray(resolved.value)) return literalList(model, stack, resolved.value);
  if (resolved.kind === "expression") {
    const set = /^\$\{toset\((.+)\)\}$/.exec(resolved.text);
    if (set) return literalList(model, stack, `\${${set[1]}}`);
  }
  return undefined;
}

/**
 * Parses a policy as the stacks write it into JSON, references kept as `${...}` strings:
 * `jsonencode(local.<name>)` of a document kept in a local (`locals`: the stack's, from synth), or
 * an inline `jsonencode({...})`; a plan's JSON policy string is parsed as is. Undefined when none.
 */
export function policyDocument(value: unknown, locals: Record<string, unknown> = {}): any {
  if (typeof value !== "string") return undefined;
  const local = /^\$\{jsonencode\(local\.([\w-]+)\)\}$/.exec(value)?.[1];
  if (local !== undefined) return locals[local] && typeof locals[local] === "object" ? structuredClone(locals[local]) : undefined;
  if (value.trim().startsWith("{")) {
    try {
      return JSON.parse(value);
    } catch {
      return undefined;
    }
  }
  const match = /^\$\{jsonencode\(([\s\S]*)\)\}$/.exec(value);
  return match ? hclToJson(match[1]) : undefined;
}

/** The subset of HCL that cdktf's Fn.jsonencode writes: objects, tuples, strings, numbers, references. */
function hclToJson(text: string): any {
  let out = "";
  let i = 0;
  while (i < text.length) {
    const c = text[i];
    if (c === '"') {
      let j = i + 1;
      let depth = 0;
      while (j < text.length && !(text[j] === '"' && depth === 0)) {
        if (text[j] === "\\") j++;
        else if (text.startsWith("${", j)) depth++;
        else if (text[j] === "}" && depth > 0) depth--;
        j++;
      }
      out += text.slice(i, j + 1);
      i = j + 1;
    } else if (c === "=") {
      out += ":";
      i++;
    } else if (/[A-Za-z_]/.test(c)) {
      const m = /^[A-Za-z_][\w-]*(?:\.[\w-]+|\[\d+\])*/.exec(text.slice(i))!;
      const word = m[0];
      out += ["true", "false", "null"].includes(word) ? word : JSON.stringify(`\${${word}}`);
      i += word.length;
    } else {
      out += c;
      i++;
    }
  }
  try {
    return JSON.parse(out);
  } catch {
    return undefined;
  }
}

/** Reads a stack's synthesized Terraform JSON. */
export function stackFromSynth(name: string, json: any): StackModel {
  const elements: Element[] = [];
  for (const [kind, prefix] of [["resource", ""], ["data", "data."]] as const) {
    for (const [type, byName] of Object.entries<any>(json[kind] ?? {})) {
      for (const [elementName, values] of Object.entries<any>(byName)) {
        elements.push({ address: `${prefix}${type}.${elementName}`, type, values });
      }
    }
  }
  const variables = Object.fromEntries(Object.entries<any>(json.variable ?? {}).map(([k, v]) => [k, v.default]));
  const outputs = Object.fromEntries(Object.entries<any>(json.output ?? {}).map(([k, v]) => [k, v.value]));
  const provider = (json.provider?.aws ?? [])[0] ?? {};
  return new StackModel(name, elements, variables, outputs, { region: provider.region, accountIds: provider.allowed_account_ids ?? [] }, false, json.locals ?? {});
}

/**
 * Reads a stack from `terraform show -json` of a plan: planned values, with every value the plan
 * does not know yet replaced by the reference its configuration names.
 */
export function stackFromPlan(name: string, plan: any): StackModel {
  const configResources: any[] = plan.configuration?.root_module?.resources ?? [];
  const planned: any[] = plan.planned_values?.root_module?.resources ?? [];
  const prior: any[] = (plan.prior_state?.values?.root_module?.resources ?? []).filter((r: any) => r.mode === "data");
  const unknowns = new Map<string, any>((plan.resource_changes ?? []).map((c: any) => [c.address, c.change?.after_unknown ?? {}]));
  const byConfigAddress = new Map<string, any>();
  for (const resource of [...prior, ...planned]) {
    const configAddress = resource.address.replace(/\[[^\]]*\]$/, "");
    const entry = byConfigAddress.get(configAddress) ?? { type: resource.type, instances: [] as any[], keys: [] as (string | number | undefined)[] };
    const values = fillUnknowns(resource.values ?? {}, unknowns.get(resource.address) ?? {}, configResources.find((c) => c.address === configAddress)?.expressions ?? {});
    entry.instances.push(values);
    entry.keys.push(resource.index);
    byConfigAddress.set(configAddress, entry);
  }
  const elements: Element[] = [];
  for (const config of configResources) {
    const entry = byConfigAddress.get(config.address);
    const values = { ...(entry?.instances[0] ?? expressionsAsValues(config.expressions ?? {})) };
    // Counted and for_each elements keep what they iterate over, as a reference.
    if (config.for_each_expression) values.for_each = referenceOf(config.for_each_expression);
    if (config.count_expression) values.count = referenceOf(config.count_expression) ?? config.count_expression.constant_value;
    elements.push({ address: config.address, type: config.type, values, instances: entry?.instances ?? [], instanceKeys: entry?.keys ?? [] });
  }
  const variables = Object.fromEntries(Object.entries<any>(plan.variables ?? {}).map(([k, v]) => [k, v.value]));
  const outputs = Object.fromEntries(Object.entries<any>(plan.planned_values?.outputs ?? {}).map(([k, v]) => [k, v.value]));
  const providerConfig = Object.values<any>(plan.configuration?.provider_config ?? {}).find((p) => p.name === "aws") ?? {};
  return new StackModel(
    name,
    elements,
    variables,
    outputs,
    {
      region: providerConfig.expressions?.region?.constant_value,
      accountIds: providerConfig.expressions?.allowed_account_ids?.constant_value ?? [],
    },
    true,
  );
}

/**
 * A synthesized stack with the instances Terraform last read of the deployed stack (a refresh-only
 * plan's prior state, or a state): the configuration as written, and what exists. Rules that look
 * at instances (acceptance, B's routes) then see the deployed ones.
 */
export function withLiveInstances(model: StackModel, resources: any[]): StackModel {
  const byAddress = new Map<string, { values: Record<string, any>[]; keys: (string | number | undefined)[] }>();
  for (const resource of resources) {
    const address = `${resource.mode === "data" ? "data." : ""}${resource.type}.${resource.name}`;
    const entry = byAddress.get(address) ?? { values: [], keys: [] };
    entry.values.push(resource.values ?? {});
    entry.keys.push(resource.index);
    byAddress.set(address, entry);
  }
  const elements = model.elements.map((element) => {
    const live = byAddress.get(element.address);
    return { ...element, instances: live?.values ?? [], instanceKeys: live?.keys ?? [] };
  });
  return new StackModel(model.name, elements, model.variables, model.outputs, model.provider, true, model.locals);
}

function fillUnknowns(values: any, unknown: any, expressions: any): any {
  if (unknown === true) return referenceOf(expressions);
  if (Array.isArray(values)) return values.map((v, i) => fillUnknowns(v, Array.isArray(unknown) ? unknown[i] : undefined, Array.isArray(expressions) ? expressions[i] : expressions));
  if (values && typeof values === "object") {
    const result: Record<string, any> = { ...values };
    for (const key of new Set([...Object.keys(values), ...Object.keys(unknown ?? {})])) {
      result[key] = fillUnknowns(values[key], unknown?.[key], expressions?.[key]);
    }
    return result;
  }
  return values === undefined && unknown ? referenceOf(expressions) : values;
}

/** `${first.reference}` of a configuration expression, or undefined. */
function referenceOf(expression: any): string | undefined {
  const ref = expression?.references?.[0] ?? (Array.isArray(expression) ? expression[0]?.references?.[0] : undefined);
  return ref ? `\${${ref}}` : undefined;
}

function expressionsAsValues(expressions: any): any {
  if (Array.isArray(expressions)) return expressions.map(expressionsAsValues);
  if (!expressions || typeof expressions !== "object") return expressions;
  if ("constant_value" in expressions) return expressions.constant_value;
  if ("references" in expressions) return referenceOf(expressions);
  return Object.fromEntries(Object.entries(expressions).map(([k, v]) => [k, expressionsAsValues(v)]));
}
