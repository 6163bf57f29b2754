import * as path from "path";
import { tmpdir } from "os";
import { Testing } from "cdktf";
import { AccountStack } from "../../lib/stack/account-stack";
import { parseConfig } from "../../lib/config/load-config";
import { EXAMPLE } from "./example";
import { TerraformJson } from "./terraform-json";

/** Synthesizes what `build` adds to a stack shaped like the project's (aliased provider, readable addresses). */
export function synthConstruct(build: (scope: AccountStack) => void): TerraformJson {
  const stack = new AccountStack(Testing.app({ outdir: path.join(tmpdir(), "cdktf-test-out") }), "test", { config: parseConfig(EXAMPLE), account: parseConfig(EXAMPLE).accountB });
  build(stack);
  return JSON.parse(Testing.synth(stack));
}
