import { Config, ConsumerSettings } from "./schema";

/** A consumer of the API: account A, or one of `consumers`; each has a stack of its own. */
export interface Consumer {
  /** Its stack's id: `account-a`, or `consumer-<name>`. */
  readonly stackId: string;
  /** Where the configuration describes it, for messages: `accountA`, or `consumers.<i>`. */
  readonly setting: string;
  /** Its `consumers` name; undefined for account A. */
  readonly name?: string;
  /** Its account, region, VPC and options. */
  readonly account: ConsumerSettings;
}

/** Every consumer of the API, account A first, in configuration order. */
export function consumersOf(config: Config): Consumer[] {
  return [
    { stackId: "account-a", setting: "accountA", account: config.accountA },
    ...config.consumers.map(({ name, ...account }, i) => ({ stackId: `consumer-${name}`, setting: `consumers.${i}`, name, account })),
  ];
}
