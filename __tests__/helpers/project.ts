import * as path from "path";
import { tmpdir } from "os";
import { Testing } from "cdktf";
import { Config } from "../../lib/config/schema";
import { addStacks } from "../../stacks/app";
import { config } from "./example";
import { TerraformJson } from "./terraform-json";

/** The stacks synthesized as `cdktf synth` does, cross-stack references included. */
export interface SynthesizedProject {
  /** Account A's stack: the JSON text (as `Testing.synth` gives it) and its parse. */
  readonly accountA: string;
  readonly accountB: string;
  readonly a: TerraformJson;
  readonly b: TerraformJson;
  /** Every stack, by id: account-b, account-a and each further consumer. */
  readonly stacks: Record<string, TerraformJson>;
}

const synthesized = new Map<string, SynthesizedProject>();

/** Synthesizes both stacks for `cfg` without writing to disk (once per configuration per test file). */
export function synthProject(cfg: Config = config()): SynthesizedProject {
  const key = JSON.stringify(cfg);
  const cached = synthesized.get(key);
  const project = cached ?? synthesizeFresh(cfg);
  synthesized.set(key, project);
  return { ...project, a: structuredClone(project.a), b: structuredClone(project.b), stacks: structuredClone(project.stacks) };
}

function synthesizeFresh(cfg: Config): SynthesizedProject {
  const app = Testing.app({ outdir: path.join(tmpdir(), "cdktf-test-out") });
  const stacks = addStacks(app, cfg);
  // What App.synth does before writing: cross-stack outputs and remote state are made here.
  stacks.accountB.prepareStack();
  for (const consumer of stacks.consumers) consumer.prepareStack();
  const accountA = Testing.synth(stacks.accountA);
  const accountB = Testing.synth(stacks.accountB);
  const all = Object.fromEntries(stacks.consumers.slice(1).map((stack) => [stack.node.id, JSON.parse(Testing.synth(stack))]));
  return { accountA, accountB, a: JSON.parse(accountA), b: JSON.parse(accountB), stacks: { ...all, "account-a": JSON.parse(accountA), "account-b": JSON.parse(accountB) } };
}

