import type { AwsProviderConfig } from "@cdktf/provider-aws/lib/provider";
import { providerSessionName } from "../config/names";
import { Config, ConsumerSettings } from "../config/schema";

/** What a stack needs of its account: account B's, account A's, or a consumer's settings. */
export type StackAccount = Pick<ConsumerSettings, "accountId" | "region" | "credentials">;

/** The settings of a stack's AWS provider that decide where its credentials come from and which account it acts in. */
export type ProviderSettings = Pick<AwsProviderConfig, "alias" | "region" | "allowedAccountIds" | "profile" | "assumeRole">;

/**
 * How the AWS provider of stack `stackId` finds its credentials: its region, the account it is
 * pinned to, the profile or role of `account.credentials`. The stacks are built with these, and
 * `npm run deploy` checks them before anything else (lib/live/credentials.ts): one place, so the
 * check resolves credentials exactly as the stacks will.
 */
export function providerSettings(config: Config, account: StackAccount, stackId: string): ProviderSettings {
  const role = account.credentials.assumeRoleArn;
  return {
    alias: stackId.replace(/-/g, "_"),
    region: account.region,
    allowedAccountIds: [account.accountId],
    profile: account.credentials.profile,
    assumeRole: role ? [{ roleArn: role, externalId: account.credentials.externalId, sessionName: providerSessionName(config.name, stackId) }] : undefined,
  };
}
