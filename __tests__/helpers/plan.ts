import { policyDocument } from "../../lib/preflight/model";
import { TerraformJson } from "./terraform-json";

/**
 * Plan JSON shaped like `terraform show -json <plan>` (format_version 1.2) for a synthesized
 * stack, for testing the preflight's plan input without an AWS account:
 * - attributes in `known` are planned values (as after an earlier apply);
 * - every other attribute that refers to another element is unknown (`after_unknown`), with the
 *   reference in the configuration's `expressions`;
 * - counted or for_each elements have the instances in `instances` (none by default), and data
 *   sources land in `prior_state` as read during the plan.
 */
export function planOf(
  json: TerraformJson,
  known: Record<string, Record<string, unknown>> = {},
  instances: Record<string, Record<string, unknown>[]> = {},
): any {
  const planned: any[] = [];
  const priorData: any[] = [];
  const changes: any[] = [];
  const configResources: any[] = [];
  for (const [kind, prefix, mode] of [["resource", "", "managed"], ["data", "data.", "data"]] as const) {
    for (const [type, byName] of Object.entries<any>(json[kind] ?? {})) {
      for (const [name, body] of Object.entries<any>(byName)) {
        const address = `${prefix}${type}.${name}`;
        const { provider, depends_on, lifecycle, for_each, count, "//": _, ...attributes } = body;
        configResources.push({
          address, mode, type, name, provider_config_key: provider, expressions: expressionsOf(attributes),
          ...(for_each !== undefined ? { for_each_expression: expressionsOf(for_each) } : {}),
          ...(count !== undefined ? { count_expression: expressionsOf(count) } : {}),
        });
        const repeated = for_each !== undefined || count !== undefined;
        const list = repeated ? (instances[address] ?? eachOfVariable(for_each, json)) : [{}];
        list.forEach((extra, index) => {
          const scope = { json, known, each: extra.key as string | undefined };
          const [values, unknown] = valuesOf(evaluate(attributes, scope));
          const instanceAddress = repeated ? `${address}[${JSON.stringify(extra.key ?? index)}]` : address;
          const merged = { ...values, ...(known[address] ?? {}), ...extra };
          delete (merged as any).key;
          const entry = { address: instanceAddress, mode, type, name, ...(repeated ? { index: extra.key ?? index } : {}), values: merged };
          if (mode === "data") priorData.push(entry);
          else {
            planned.push(entry);
            changes.push({ address: instanceAddress, change: { actions: ["create"], after_unknown: without(unknown, Object.keys(merged).filter((k) => merged[k] !== undefined)) } });
          }
        });
      }
    }
  }
  const provider = json.provider.aws[0];
  return {
    format_version: "1.2",
    variables: Object.fromEntries(Object.entries<any>(json.variable ?? {}).map(([k, v]) => [k, { value: v.default }])),
    planned_values: {
      outputs: Object.fromEntries(Object.entries<any>(json.output ?? {}).map(([k, v]) => [k, { sensitive: !!v.sensitive, value: resolveKnown(v.value, known) }])),
      root_module: { resources: planned },
    },
    resource_changes: changes,
    prior_state: { values: { root_module: { resources: priorData } } },
    configuration: {
      provider_config: {
        [`aws.${provider.alias}`]: { name: "aws", alias: provider.alias, expressions: { region: { constant_value: provider.region }, allowed_account_ids: { constant_value: provider.allowed_account_ids } } },
      },
      root_module: { resources: configResources },
    },
  };
}

interface Scope {
  readonly json: TerraformJson;
  readonly known: Record<string, Record<string, unknown>>;
  readonly each?: string;
}

/** Instances of `for_each = toset(var.x)`: known at plan time, as Terraform plans them. */
function eachOfVariable(forEach: unknown, json: TerraformJson): Record<string, unknown>[] {
  const match = typeof forEach === "string" ? /^\$\{toset\(var\.([\w-]+)\)\}$/.exec(forEach) : null;
  const list = match ? json.variable?.[match[1]]?.default : undefined;
  return Array.isArray(list) ? list.map((key) => ({ key })) : [];
}

/** The value of a reference the plan knows (variables, each.value, known attributes), or undefined. */
function lookup(ref: string, scope: Scope): unknown {
  if (ref === "each.value" || ref === "each.key") return scope.each;
  const parts = ref.replace(/\[(\d+)\]/g, ".$1").split(".");
  if (parts[0] === "var") return scope.json.variable?.[parts[1]]?.default;
  const size = parts[0] === "data" ? 3 : 2;
  let value: any = scope.known[parts.slice(0, size).join(".")];
  for (const key of parts.slice(size)) value = value?.[key];
  return value;
}

/** Evaluates what Terraform would know at plan time: plain references, templates and jsonencode. */
function evaluate(value: any, scope: Scope): any {
  if (typeof value === "string" && value.includes("${")) {
    if (value.startsWith("${jsonencode(")) {
      const document = evaluate(policyDocument(value, scope.json.locals), scope);
      return document === undefined || JSON.stringify(document).includes("${") ? value : JSON.stringify(document);
    }
    const whole = /^\$\{([\w.\[\]-]+)\}$/.exec(value);
    if (whole) return lookup(whole[1], scope) ?? value;
    const text = value.replace(/\$\{([\w.\[\]-]+)\}/g, (m: string, ref: string) => {
      const known = lookup(ref, scope);
      return typeof known === "string" ? known : m;
    });
    return text;
  }
  if (Array.isArray(value)) return value.map((v) => evaluate(v, scope));
  if (value && typeof value === "object") return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, evaluate(v, scope)]));
  return value;
}

const REFS = /\$\{([^}]*)\}/g;

function refsIn(text: string): string[] {
  return [...text.matchAll(REFS)].flatMap((m) => m[1].match(/(?:data\.)?[a-z_][\w-]*\.[\w-]+(?:\.[\w-]+|\[\d+\])*/g) ?? []);
}

function expressionsOf(value: any): any {
  if (typeof value === "string" && value.includes("${")) return { references: refsIn(value).map((r) => r.replace(/\[(\d+)\]/g, "[$1]")) };
  if (Array.isArray(value)) return value.every((v) => typeof v !== "object") && !value.some((v) => typeof v === "string" && v.includes("${")) ? { constant_value: value } : value.map(expressionsOf);
  if (value && typeof value === "object") return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, expressionsOf(v)]));
  return { constant_value: value };
}

/** Planned values (references dropped) and the after_unknown tree. */
function valuesOf(value: any): [any, any] {
  if (typeof value === "string" && value.includes("${")) return [undefined, true];
  if (Array.isArray(value)) {
    const pairs = value.map(valuesOf);
    return [pairs.map((p) => p[0]), pairs.map((p) => p[1] ?? false)];
  }
  if (value && typeof value === "object") {
    const values: Record<string, any> = {};
    const unknown: Record<string, any> = {};
    for (const [k, v] of Object.entries(value)) {
      const [pv, pu] = valuesOf(v);
      if (pv !== undefined) values[k] = pv;
      if (pu) unknown[k] = pu;
    }
    return [values, unknown];
  }
  return [value, undefined];
}

function without(unknown: any, keys: string[]): any {
  const result = { ...unknown };
  for (const key of keys) if (result[key] === true) delete result[key];
  return result;
}

/** An output's value as the plan would know it, when it is a plain reference to a known attribute. */
function resolveKnown(value: unknown, known: Record<string, Record<string, unknown>>): unknown {
  const match = typeof value === "string" ? /^\$\{((?:data\.)?[\w-]+\.[\w-]+)\.([\w-]+)\}$/.exec(value) : null;
  return match && known[match[1]]?.[match[2]] !== undefined ? known[match[1]][match[2]] : value;
}
