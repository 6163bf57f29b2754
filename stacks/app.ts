import { rmSync, writeFileSync } from "fs";
import * as path from "path";
import { App } from "cdktf";
import { projectPath } from "../lib/canary/project-path";
import { consumersOf } from "../lib/config/consumers";
import { Config } from "../lib/config/schema";
import { BUILT_FROM_FILE } from "../lib/review/synth-diff";
import { AccountBStack } from "./account-b-stack";
import { ConsumerStack } from "./consumer-stack";

/** The stacks of the project: account B's, and one per consumer, each wired to B's outputs. */
export interface ProjectStacks {
  readonly accountB: AccountBStack;
  /** Account A's stack (the first consumer). */
  readonly accountA: ConsumerStack;
  /** Every consumer's stack, account A's first. */
  readonly consumers: ConsumerStack[];
}

/** Adds the stacks to `app`; each consumer reads B's fields, which cdktf makes cross-stack references. */
export function addStacks(app: App, config: Config): ProjectStacks {
  const accountB = new AccountBStack(app, "account-b", { config });
  const consumers = consumersOf(config).map((consumer) => new ConsumerStack(app, { config, consumer, target: accountB }));
  return { accountB, accountA: consumers[0], consumers };
}

/** Where `synthesize` writes, and what it records. */
export interface SynthesizeOptions {
  /** Where to write. @default - `CDKTF_OUTDIR`, else `cdktf.out` */
  readonly outdir?: string;
  /**
   * The configuration file `config` was read from, recorded (relative to the project, so that the
   * output stays free of local paths) in built-from.json, which `npm run synth-diff` names.
   * @default - nothing recorded (and an earlier record removed)
   */
  readonly configFile?: string;
}

/** Builds the stacks for `config` and writes them, as `cdktf synth` does. */
export function synthesize(config: Config, options: SynthesizeOptions = {}): void {
  const app = new App({ outdir: options.outdir });
  addStacks(app, config);
  app.synth();
  const record = path.join(app.outdir, BUILT_FROM_FILE);
  rmSync(record, { force: true });
  if (options.configFile) {
    const relative = path.relative(projectPath(""), path.resolve(options.configFile)).split(path.sep).join("/");
    writeFileSync(record, `${JSON.stringify({ configFile: relative }, null, 2)}\n`);
  }
}
