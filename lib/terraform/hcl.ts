/**
 * A literal JavaScript value (strings, numbers, booleans, arrays, plain objects; no cdktf tokens)
 * written as an HCL expression, for literal maps inside check messages and conditions. Strings are
 * escaped as JSON strings, which HCL reads the same way, and `${` and `%{` are doubled so that HCL
 * reads them as text, not as a template. (cdktf's Fn.jsonencode leaves quotes inside string values
 * unescaped.)
 */
export function hclExpression(value: unknown): string {
  if (typeof value === "string") return JSON.stringify(value).replace(/([$%])\{/g, "$1$1{");
  if (typeof value === "number" || typeof value === "boolean") return String(value);
  if (Array.isArray(value)) return `[${value.map(hclExpression).join(", ")}]`;
  if (value && typeof value === "object") {
    const entries = Object.entries(value).filter(([, v]) => v !== undefined);
    return `{ ${entries.map(([k, v]) => `${JSON.stringify(k)} = ${hclExpression(v)}`).join(", ")} }`;
  }
  throw new Error(`cannot write ${String(value)} as HCL`);
}
