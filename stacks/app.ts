import { App } from "cdktf";
import { Config } from "../lib/config/schema";
import { AccountAStack } from "./account-a-stack";
import { AccountBStack } from "./account-b-stack";

/** The two stacks of the project, A wired to B's outputs. */
export interface ProjectStacks {
  readonly accountA: AccountAStack;
  readonly accountB: AccountBStack;
}

/** Adds both stacks to `app`; A consumes B's fields, which cdktf makes cross-stack references. */
export function addStacks(app: App, config: Config): ProjectStacks {
  const accountB = new AccountBStack(app, "account-b", { config });
  const accountA = new AccountAStack(app, "account-a", { config, target: accountB });
  return { accountA, accountB };
}

/**
 * Builds both stacks for `config` and writes them, as `cdktf synth` does.
 * @param outdir where to write @default - `CDKTF_OUTDIR`, else `cdktf.out`
 */
export function synthesize(config: Config, outdir?: string): void {
  const app = new App({ outdir });
  addStacks(app, config);
  app.synth();
}
