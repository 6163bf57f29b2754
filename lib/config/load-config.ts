import { existsSync, readFileSync, rmSync } from "fs";
import * as path from "path";
import { z } from "zod";
import { projectPath } from "../canary/project-path";
import { userPath } from "../cli/command-line";
import { consumersOf } from "./consumers";
import { ApiDefinitionError, resolveApis } from "./apis";
import { Config, configSchema } from "./schema";

/** The configuration used when `CONFIG_FILE` is not set, relative to the project root. */
export const EXAMPLE_CONFIG_FILE = "config/example.json";

/** A configuration that cannot be used; `problems` holds one line per problem. */
export class ConfigError extends Error {
  constructor(
    readonly file: string,
    readonly problems: string[],
  ) {
    super(`${file}: ${problems.length} problem${problems.length === 1 ? "" : "s"}\n${problems.map((p) => `  - ${p}`).join("\n")}`);
    this.name = "ConfigError";
  }
}

/**
 * The configuration file a command reads, as an absolute path: `CONFIG_FILE` taken from the
 * directory the user ran npm from (`userPath`), else the project's example.
 * Every command resolves it here, so that all of them read the same file.
 */
export function resolveConfigFile(env: NodeJS.ProcessEnv = process.env): string {
  if (env.CONFIG_FILE) return userPath(env.CONFIG_FILE, env);
  try {
    return projectPath(EXAMPLE_CONFIG_FILE);
  } catch {
    return path.resolve(EXAMPLE_CONFIG_FILE);
  }
}

/**
 * Reads and validates the configuration file at `file` (relative paths from the working directory).
 * A UTF-8 byte order mark, which some editors write, is ignored.
 * @throws ConfigError listing every problem, one line each
 */
export function loadConfig(file: string): Config {
  let text: string;
  try {
    text = readFileSync(path.resolve(file), "utf8").replace(/^\uFEFF/, "");
  } catch (error) {
    const reason = (error as NodeJS.ErrnoException).code === "ENOENT" ? "no such file" : (error as Error).message;
    throw new ConfigError(file, [`cannot read the file (${reason}); expected a JSON configuration such as ${EXAMPLE_CONFIG_FILE}, named by CONFIG_FILE`]);
  }
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (error) {
    // Node's message gives an offset at best (and not always); people count lines and columns.
    const reason = (error as Error).message.replace(/ in JSON at position \d+.*$/s, "").replace(/, "[\s\S]*" is not valid JSON$/, "");
    throw new ConfigError(file, [`not valid JSON at ${lineAndColumn(text, jsonErrorOffset(text))}: ${reason}; expected a JSON object`]);
  }
  return parseConfig(data, file);
}

/** "line 3, column 5" of the character at `offset` of `text`. */
function lineAndColumn(text: string, offset: number): string {
  const before = text.slice(0, offset);
  return `line ${before.split("\n").length}, column ${offset - before.lastIndexOf("\n")}`;
}

/**
 * The offset of the first character of `text` that cannot continue a JSON document (the end of
 * the text when it stops too early): a small recursive reader of the JSON grammar.
 */
export function jsonErrorOffset(text: string): number {
  let i = 0;
  const fail = (): never => {
    throw new JsonStop(i);
  };
  const space = () => {
    while (i < text.length && " \t\n\r".includes(text[i])) i++;
  };
  const expect = (char: string) => (text[i] === char ? i++ : fail());
  const string = () => {
    expect('"');
    for (;;) {
      const c = text[i];
      if (c === undefined || c < " ") fail();
      i++;
      if (c === '"') return;
      if (c !== "\\") continue;
      if (text[i] === "u") {
        i++;
        for (let k = 0; k < 4; k++) /[0-9a-fA-F]/.test(text[i] ?? "") ? i++ : fail();
      } else if ('"\\/bfnrt'.includes(text[i] ?? "x")) i++;
      else fail();
    }
  };
  const sequence = (close: string, item: () => void) => {
    i++;
    space();
    if (text[i] === close) return void i++;
    for (;;) {
      item();
      space();
      if (text[i] === close) return void i++;
      expect(",");
    }
  };
  const value = (): void => {
    space();
    const c = text[i];
    if (c === "{") return sequence("}", () => (space(), string(), space(), expect(":"), value()));
    if (c === "[") return sequence("]", value);
    if (c === '"') return string();
    for (const word of ["true", "false", "null"]) if (c === word[0]) return void [...word].forEach(expect);
    const number = /^-?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?/.exec(text.slice(i))?.[0];
    if (!number) fail();
    i += number!.length;
  };
  try {
    value();
    space();
    return i < text.length ? i : text.length;
  } catch (error) {
    if (error instanceof JsonStop) return error.offset;
    throw error;
  }
}

class JsonStop {
  constructor(readonly offset: number) {}
}

/**
 * Validates already-parsed configuration data; `file` only names the source in messages.
 * @throws ConfigError listing every problem, one line each
 */
export function parseConfig(data: unknown, file = "<config>"): Config {
  const result = configSchema.safeParse(data, { reportInput: true });
  if (!result.success) throw new ConfigError(file, result.error.issues.flatMap((issue) => describeIssue(issue)));
  // OpenAPI files are relative to the configuration file (to the working directory without one).
  const baseDir = file === "<config>" ? process.cwd() : path.dirname(path.resolve(file));
  try {
    return { ...result.data, apis: resolveApis(result.data, baseDir) };
  } catch (error) {
    if (error instanceof ApiDefinitionError) throw new ConfigError(file, error.problems);
    throw error;
  }
}

/**
 * What a valid configuration still gets wrong for its backend, one line each: a profile with the
 * `cloud` backend, where remote runs have no ~/.aws (it works only in local execution mode).
 */
export function configWarnings(config: Config): string[] {
  if (config.backend.type !== "cloud") return [];
  return consumersOf(config)
    .map((c) => ({ setting: c.setting, profile: c.account.credentials.profile }))
    .concat({ setting: "accountB", profile: config.accountB.credentials.profile })
    .filter((entry) => entry.profile !== undefined)
    .map(({ setting, profile }) => `${setting}.credentials.profile is "${profile}" while backend.type is "cloud": remote runs in Terraform Cloud have no profile (only workspaces in local execution mode use it); give the workspace its account's credentials instead (docs/backends.md, Terraform Cloud, step 2)`);
}

/**
 * Loads the file named by `CONFIG_FILE` (default: the example), printing its warnings; or ends the
 * process with the problems on stderr and exit code 2 (could not synthesize), before any stack is
 * built or written, after removing an earlier synth output that would pass for this one's.
 */
export function loadConfigOrExit(env: NodeJS.ProcessEnv = process.env): Config {
  try {
    const config = loadConfig(resolveConfigFile(env));
    for (const warning of configWarnings(config)) process.stderr.write(`warning: ${warning}\n`);
    return config;
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    const outdir = path.resolve(env.CDKTF_OUTDIR || "cdktf.out");
    const stale = existsSync(path.join(outdir, "manifest.json"));
    if (stale) rmSync(outdir, { recursive: true, force: true });
    process.stderr.write(`Invalid configuration ${error.message}\nNo stack was synthesized${stale ? `; the earlier output in ${path.relative(process.cwd(), outdir) || "."} was removed` : ""}.\n`);
    process.exit(2);
  }
}

function describeIssue(issue: z.core.$ZodIssue): string[] {
  const at = (keys: PropertyKey[]) => keys.map(String).join(".") || "(top level)";
  if (issue.code === "unrecognized_keys") {
    const known = knownKeys(issue.path);
    return issue.keys.map((key) => {
      const guess = closest(key, known);
      return `${at([...issue.path, key])}: unknown key; expected one of ${known.join(", ")}${guess ? ` (did you mean "${guess}"?)` : ""}`;
    });
  }
  // A union reports the whole object; the discriminator's own value (or its absence) says more.
  const last = issue.path[issue.path.length - 1];
  const input = isRecord(issue.input) && typeof last === "string" && (last in issue.input || issue.code === "invalid_union") ? issue.input[last] : issue.input;
  const got = input === undefined ? "nothing" : JSON.stringify(input);
  return [`${at(issue.path)}: got ${got}; expected ${expectation(issue)}`];
}

/** What zod expected, in this project's words: the schema's own message, else the expected shape. */
function expectation(issue: z.core.$ZodIssue): string {
  // A record's key: the key schema's own message (zod reports "Invalid key in record").
  if (issue.code === "invalid_key") return issue.issues.map(expectation)[0] ?? "a valid key";
  // Something else where an object with a `type` belongs (`"backend": "s3"`): the objects it may be.
  const variants = issue.code === "invalid_type" && issue.expected === "object" ? discriminatedObjects(issue.path) : [];
  if (variants.length) return `an object: ${variants.slice(0, -1).join(", ")} or ${variants[variants.length - 1]}`;
  // zod's own wording ("Invalid input: expected array, received object") never reaches the user.
  if (!/^Invalid\b/.test(issue.message)) return issue.message;
  if (issue.code === "invalid_type" && issue.expected === "object") {
    const keys = knownKeys(issue.path);
    if (keys.length) return `an object with the keys ${keys.join(", ")}`;
  }
  if (issue.code === "invalid_type") return SHAPES[issue.expected] ?? `a value of type ${issue.expected}`;
  return "a value of the form docs/configuration.md gives for this key";
}

/** The shapes a configuration value can have, as the messages name them. */
const SHAPES: Record<string, string> = {
  array: "a list, [ ... ]",
  object: "an object, { ... }",
  record: "an object, { ... }",
  string: "a text value in quotes",
  number: "a number",
  boolean: "true or false",
};

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** The keys the schema accepts for the object at `keys` (for unknown-key messages). */
function knownKeys(keys: PropertyKey[]): string[] {
  const schemas = schemasAt(keys).flatMap(unwrap);
  return [...new Set(schemas.flatMap((s) => (s instanceof z.ZodObject ? Object.keys(s.shape) : [])))];
}

/**
 * The objects a discriminated union at `keys` accepts, as messages write them:
 * `{ "type": "local" }`, `{ "type": "s3", ... }` (an object with more keys). None elsewhere.
 */
function discriminatedObjects(keys: PropertyKey[]): string[] {
  return schemasAt(keys).flatMap((schema) => {
    const union = unwrapOptional(schema);
    const discriminator = (union as { _zod: { def: { discriminator?: string } } })._zod.def.discriminator;
    if (!(union instanceof z.ZodUnion) || !discriminator) return [];
    return union.options.flatMap(unwrap).flatMap((option) => {
      const literal = option instanceof z.ZodObject ? option.shape[discriminator] : undefined;
      if (!(literal instanceof z.ZodLiteral)) return [];
      const more = Object.keys((option as z.ZodObject).shape).length > 1 ? ", ..." : "";
      return [`{ ${JSON.stringify(discriminator)}: ${JSON.stringify(literal.value)}${more} }`];
    });
  });
}

/** The schemas of the value at `keys` in the configuration, wrappers kept. */
function schemasAt(keys: PropertyKey[]): z.core.$ZodType[] {
  let schemas: z.core.$ZodType[] = [configSchema];
  for (const key of keys) {
    schemas = schemas.flatMap(unwrap).flatMap((s) => {
      if (s instanceof z.ZodObject) return s.shape[String(key)] ? [s.shape[String(key)]] : [];
      if (s instanceof z.ZodRecord) return [s._zod.def.valueType];
      if (s instanceof z.ZodArray) return [s.element];
      return [];
    });
  }
  return schemas;
}

function unwrapOptional(schema: z.core.$ZodType): z.core.$ZodType {
  if (schema instanceof z.ZodOptional || schema instanceof z.ZodDefault) return unwrapOptional(schema.unwrap());
  if (schema instanceof z.ZodPipe) return unwrapOptional(schema.in);
  return schema;
}

function unwrap(schema: z.core.$ZodType): z.core.$ZodType[] {
  const inner = unwrapOptional(schema);
  return inner instanceof z.ZodUnion ? inner.options.flatMap(unwrap) : [inner];
}

/** The known key nearest to `key` by edit distance, when it is a plausible typo. */
function closest(key: string, known: string[]): string | undefined {
  const distance = (a: string, b: string) => {
    const row = Array.from({ length: b.length + 1 }, (_, j) => j);
    for (let i = 1; i <= a.length; i++) {
      let diagonal = row[0];
      row[0] = i;
      for (let j = 1; j <= b.length; j++) {
        const next = row[j];
        row[j] = Math.min(row[j] + 1, row[j - 1] + 1, diagonal + (a[i - 1].toLowerCase() === b[j - 1].toLowerCase() ? 0 : 1));
        diagonal = next;
      }
    }
    return row[b.length];
  };
  // A known key that the typed one starts or ends (`stage` for `stageName`) is the likely one.
  const part = known.find((k) => k.toLowerCase().startsWith(key.toLowerCase()) || k.toLowerCase().endsWith(key.toLowerCase()));
  if (part && key.length >= 3) return part;
  const [best] = known.map((k) => ({ k, d: distance(key, k) })).sort((x, y) => x.d - y.d);
  return best && best.d <= Math.max(2, Math.floor(key.length / 3)) ? best.k : undefined;
}
