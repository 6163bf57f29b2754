import * as path from "path";
import { tmpdir } from "os";
import { Testing } from "cdktf";
import { Config } from "../../lib/config/schema";
import { addStacks } from "../../stacks/app";
import { config } from "./example";
import { TerraformJson } from "./terraform-json";

/** Both stacks synthesized as `cdktf synth` does, cross-stack references included. */
export interface SynthesizedProject {
  /** Account A's stack: the JSON text (as `Testing.synth` gives it) and its parse. */
  readonly accountA: string;
  readonly accountB: string;
  readonly a: TerraformJson;
  readonly b: TerraformJson;
}

const synthesized = new Map<string, SynthesizedProject>();

/** Synthesizes both stacks for `cfg` without writing to disk (once per configuration per test file). */
export function synthProject(cfg: Config = config()): SynthesizedProject {
  const key = JSON.stringify(cfg);
  const cached = synthesized.get(key);
  if (cached) return { ...cached, a: structuredClone(cached.a), b: structuredClone(cached.b) };
  const project = synthesizeFresh(cfg);
  synthesized.set(key, project);
  return { ...project, a: structuredClone(project.a), b: structuredClone(project.b) };
}

function synthesizeFresh(cfg: Config): SynthesizedProject {
  const app = Testing.app({ outdir: path.join(tmpdir(), "cdktf-test-out") });
  const stacks = addStacks(app, cfg);
  // What App.synth does before writing: cross-stack outputs and remote state are made here.
  stacks.accountB.prepareStack();
  stacks.accountA.prepareStack();
  const accountA = Testing.synth(stacks.accountA);
  const accountB = Testing.synth(stacks.accountB);
  return { accountA, accountB, a: JSON.parse(accountA), b: JSON.parse(accountB) };
}

