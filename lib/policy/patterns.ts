/**
 * Whether `value` matches `pattern`, where `*` stands for any run of characters (none included)
 * and `?` for exactly one: the wildcards of IAM's `StringLike` and of the `Action` element.
 * Linear in practice (no regular expression, so no catastrophic backtracking on long values).
 */
export function globMatch(pattern: string, value: string, options: { ignoreCase?: boolean } = {}): boolean {
  const p = options.ignoreCase ? pattern.toLowerCase() : pattern;
  const v = options.ignoreCase ? value.toLowerCase() : value;
  let pi = 0;
  let vi = 0;
  let star = -1;
  let resume = 0;
  while (vi < v.length) {
    if (pi < p.length && (p[pi] === "?" || p[pi] === v[vi])) {
      pi++;
      vi++;
    } else if (pi < p.length && p[pi] === "*") {
      star = pi++;
      resume = vi;
    } else if (star >= 0) {
      pi = star + 1;
      vi = ++resume;
    } else {
      return false;
    }
  }
  while (pi < p.length && p[pi] === "*") pi++;
  return pi === p.length;
}

/**
 * Whether an `Action`/`NotAction` entry matches the request's action: `service:action` with `*`
 * and `?`, case-insensitive ("IAM JSON policy elements: Action": action names are not case
 * sensitive, so `execute-api:invoke` is `execute-api:Invoke`).
 */
export function actionMatches(pattern: string, action: string): boolean {
  return globMatch(pattern, action, { ignoreCase: true });
}

const resourcePatterns = new Map<string, RegExp>();

/**
 * Whether a `Resource`/`NotResource` entry matches the request's resource ARN, case-sensitively.
 * "IAM JSON policy elements: Resource": `*` and `?` work within the colon-separated segments of
 * an ARN, and "if the `*` wildcard is the last character of a resource ARN segment, it can expand
 * to match beyond the colon boundaries". So `?` and an inner `*` never cross a colon, while a `*`
 * that ends a segment (or the pattern) may: `arn:aws:execute-api:*` matches every execute-api ARN,
 * and `…:a1b2c3d4e5/*` matches a path that holds a colon.
 */
export function resourceMatches(pattern: string, resource: string): boolean {
  if (pattern === "*") return true;
  let regex = resourcePatterns.get(pattern);
  if (!regex) {
    let source = "";
    for (let i = 0; i < pattern.length; i++) {
      const c = pattern[i];
      if (c === "*") source += i === pattern.length - 1 || pattern[i + 1] === ":" ? ".*" : "[^:]*";
      else if (c === "?") source += "[^:]";
      else source += c.replace(/[.+^${}()|[\]\\]/g, "\\$&");
    }
    regex = new RegExp(`^${source}$`, "s");
    resourcePatterns.set(pattern, regex);
  }
  return regex.test(resource);
}

/**
 * `ArnLike`/`ArnEquals` (which "behave identically"): "each of the six colon-delimited components
 * of the ARN is checked separately and each can include multi-character match wildcards (`*`) or
 * single-character match wildcards (`?`)" (IAM User Guide, "Condition operators"). The sixth
 * component is the rest of the ARN, colons included. A value or pattern that is not six
 * components does not match: its first `*` cannot swallow `us-east-2:999999999999:…` the way
 * `StringLike`'s does (the guide's own example).
 */
export function arnLike(pattern: string, arn: string): boolean {
  const patternParts = arnComponents(pattern);
  const arnParts = arnComponents(arn);
  if (!patternParts || !arnParts) return false;
  return patternParts.every((part, i) => globMatch(part, arnParts[i]));
}

/** The six components of an ARN (`arn`, partition, service, region, account, resource), or `undefined`. */
export function arnComponents(arn: string): string[] | undefined {
  const parts = arn.split(":");
  if (parts.length < 6) return undefined;
  return [...parts.slice(0, 5), parts.slice(5).join(":")];
}
