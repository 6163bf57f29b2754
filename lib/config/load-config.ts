import { readFileSync } from "fs";
import * as path from "path";
import { z } from "zod";
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
 * Reads and validates the configuration file at `file` (relative paths from the working directory).
 * @throws ConfigError listing every problem, one line each
 */
export function loadConfig(file: string): Config {
  let text: string;
  try {
    text = readFileSync(path.resolve(file), "utf8");
  } catch (error) {
    const reason = (error as NodeJS.ErrnoException).code === "ENOENT" ? "no such file" : (error as Error).message;
    throw new ConfigError(file, [`cannot read the file (${reason}); expected a JSON configuration such as ${EXAMPLE_CONFIG_FILE}, named by CONFIG_FILE`]);
  }
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (error) {
    throw new ConfigError(file, [`not valid JSON (${(error as Error).message}); expected a JSON object`]);
  }
  return parseConfig(data, file);
}

/**
 * Validates already-parsed configuration data; `file` only names the source in messages.
 * @throws ConfigError listing every problem, one line each
 */
export function parseConfig(data: unknown, file = "<config>"): Config {
  const result = configSchema.safeParse(data, { reportInput: true });
  if (result.success) return result.data;
  throw new ConfigError(file, result.error.issues.flatMap((issue) => describeIssue(issue)));
}

/**
 * Loads the file named by `CONFIG_FILE` (default: the example) or ends the process with the
 * problems on stderr and exit code 1, before any stack is built or written.
 */
export function loadConfigOrExit(env: NodeJS.ProcessEnv = process.env): Config {
  try {
    return loadConfig(env.CONFIG_FILE || EXAMPLE_CONFIG_FILE);
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    process.stderr.write(`Invalid configuration ${error.message}\nNo stack was synthesized.\n`);
    process.exit(1);
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
  // A union reports the whole object; the discriminator's own value says more.
  const last = issue.path[issue.path.length - 1];
  const input = isRecord(issue.input) && typeof last === "string" && last in issue.input ? issue.input[last] : issue.input;
  const got = input === undefined ? "nothing" : JSON.stringify(input);
  return [`${at(issue.path)}: got ${got}; expected ${issue.message}`];
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** The keys the schema accepts for the object at `keys` (for unknown-key messages). */
function knownKeys(keys: PropertyKey[]): string[] {
  let schemas: z.core.$ZodType[] = [configSchema];
  for (const key of [...keys, undefined]) {
    schemas = schemas.flatMap(unwrap);
    if (key === undefined) break;
    schemas = schemas.flatMap((s) => {
      if (s instanceof z.ZodObject) return s.shape[String(key)] ? [s.shape[String(key)]] : [];
      if (s instanceof z.ZodRecord) return [s._zod.def.valueType];
      if (s instanceof z.ZodArray) return [s.element];
      return [];
    });
  }
  return [...new Set(schemas.flatMap((s) => (s instanceof z.ZodObject ? Object.keys(s.shape) : [])))];
}

function unwrap(schema: z.core.$ZodType): z.core.$ZodType[] {
  if (schema instanceof z.ZodOptional || schema instanceof z.ZodDefault) return unwrap(schema.unwrap());
  if (schema instanceof z.ZodPipe) return unwrap(schema.in);
  if (schema instanceof z.ZodUnion) return schema.options.flatMap(unwrap);
  return [schema];
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
  const [best] = known.map((k) => ({ k, d: distance(key, k) })).sort((x, y) => x.d - y.d);
  return best && best.d <= Math.max(2, Math.floor(key.length / 3)) ? best.k : undefined;
}
