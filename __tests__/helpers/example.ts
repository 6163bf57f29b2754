import { readFileSync } from "fs";
import * as path from "path";
import { parseConfig } from "../../lib/config/load-config";
import { Config } from "../../lib/config/schema";

/** The built-in example configuration, as written in config/example.json. */
export const EXAMPLE = JSON.parse(readFileSync(path.join(__dirname, "../../config/example.json"), "utf8"));

/** A JSON value with some keys replaced, for building a config that differs in one place. */
export type Overrides = { [key: string]: unknown };

/** `base` with `overrides` merged in (objects merged key by key; `undefined` deletes a key). */
export function merge(base: unknown, overrides: Overrides): Record<string, unknown> {
  const result: Record<string, unknown> = { ...(base as Record<string, unknown>) };
  for (const [key, value] of Object.entries(overrides)) {
    if (value === undefined) delete result[key];
    else if (isObject(value) && isObject(result[key])) result[key] = merge(result[key], value);
    else result[key] = value;
  }
  return result;
}

function isObject(value: unknown): value is Overrides {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** The example configuration with `overrides`, validated like the app does. */
export function config(overrides: Overrides = {}): Config {
  const merged = merge(EXAMPLE, overrides);
  // A parsed configuration spread into overrides carries the PetStore it defaulted to: not input.
  if (Array.isArray(merged.apis) && merged.apis.every((api: any) => api?.kind === "petstore")) delete merged.apis;
  return parseConfig(merged);
}
