import { App } from "cdktf";
import { consumersOf } from "../lib/config/consumers";
import { Config } from "../lib/config/schema";
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

/**
 * Builds the stacks for `config` and writes them, as `cdktf synth` does.
 * @param outdir where to write @default - `CDKTF_OUTDIR`, else `cdktf.out`
 */
export function synthesize(config: Config, outdir?: string): void {
  const app = new App({ outdir });
  addStacks(app, config);
  app.synth();
}
