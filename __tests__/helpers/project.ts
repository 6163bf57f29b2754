import { readFileSync } from "fs";
import * as path from "path";
import { Testing } from "cdktf";
import { parseConfig } from "../../lib/config/load-config";
import { Config } from "../../lib/config/schema";
import { AccountStack } from "../../lib/account-stack";
import { addStacks } from "../../stacks/app";

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
  return parseConfig(merge(EXAMPLE, overrides));
}

/** A stack's synthesized Terraform JSON. */
export interface TerraformJson {
  terraform: Record<string, any>;
  provider: Record<string, any[]>;
  resource: Record<string, Record<string, any>>;
  data: Record<string, Record<string, any>>;
  output: Record<string, any>;
  variable: Record<string, any>;
  locals?: Record<string, any>;
}

/** Both stacks synthesized as `cdktf synth` does, cross-stack references included. */
export interface SynthesizedProject {
  /** Account A's stack: the JSON text (as `Testing.synth` gives it) and its parse. */
  readonly accountA: string;
  readonly accountB: string;
  readonly a: TerraformJson;
  readonly b: TerraformJson;
}

/** Synthesizes both stacks for `cfg` without writing to disk. */
export function synthProject(cfg: Config = config()): SynthesizedProject {
  const app = Testing.app({ outdir: path.join(require("os").tmpdir(), "cdktf-test-out") });
  const stacks = addStacks(app, cfg);
  // What App.synth does before writing: cross-stack outputs and remote state are made here.
  stacks.accountB.prepareStack();
  stacks.accountA.prepareStack();
  const accountA = Testing.synth(stacks.accountA);
  const accountB = Testing.synth(stacks.accountB);
  return { accountA, accountB, a: JSON.parse(accountA), b: JSON.parse(accountB) };
}

/** The only resource of `type` in `json` (fails the test when there is not exactly one). */
export function only(json: TerraformJson, type: string, kind: "resource" | "data" = "resource"): any {
  const found = Object.values(json[kind]?.[type] ?? {});
  if (found.length !== 1) throw new Error(`expected exactly one ${kind} ${type}, found ${found.length}`);
  return found[0];
}

/** All resources of `type` in `json`, by logical name. */
export function all(json: TerraformJson, type: string, kind: "resource" | "data" = "resource"): Record<string, any> {
  return json[kind]?.[type] ?? {};
}

/** Synthesizes what `build` adds to a stack shaped like the project's (aliased provider, readable addresses). */
export function synthConstruct(build: (scope: AccountStack) => void): TerraformJson {
  const stack = new AccountStack(Testing.app({ outdir: path.join(require("os").tmpdir(), "cdktf-test-out") }), "test", { config: config(), account: "accountB" });
  build(stack);
  return JSON.parse(Testing.synth(stack));
}
