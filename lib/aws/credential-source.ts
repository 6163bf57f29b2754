import { providerSessionName } from "../config/names";
import { Config, ConsumerSettings } from "../config/schema";

/** What a stack needs to reach its account: account B's, account A's or a consumer's settings. */
export type AccountAccess = Pick<ConsumerSettings, "accountId" | "region" | "credentials">;

/**
 * Where a stack's AWS credentials come from, as its Terraform provider gets them: the account's
 * `credentials.profile` (else the environment's default chain), then `credentials.assumeRoleArn`
 * assumed from those, with its external id and the stack's session name. The stacks' providers
 * and every AWS SDK client of the project's commands (the doctor's network ACL reader) are built
 * from this one mapping, so that they act as the same identity.
 */
export interface CredentialSource {
  /** The account's region. */
  readonly region: string;
  /** The account the credentials must be for (the provider's `allowed_account_ids`). */
  readonly accountId: string;
  /** Named profile of the shared AWS config. @default - the environment's default chain */
  readonly profile?: string;
  /** A role assumed from the base credentials (profile or environment). @default - none */
  readonly assumeRole?: {
    readonly roleArn: string;
    readonly externalId?: string;
    /** `<name>-<stack id>`: the provider's session name, so CloudTrail shows one identity. */
    readonly sessionName: string;
  };
}

/** The credential source of `stackId`'s provider, in the account `account` describes. */
export function credentialSourceOf(config: Pick<Config, "name">, stackId: string, account: AccountAccess): CredentialSource {
  const { profile, assumeRoleArn, externalId } = account.credentials;
  return {
    region: account.region,
    accountId: account.accountId,
    ...(profile ? { profile } : {}),
    ...(assumeRoleArn ? { assumeRole: { roleArn: assumeRoleArn, ...(externalId ? { externalId } : {}), sessionName: providerSessionName(config.name, stackId) } } : {}),
  };
}

/** In words, for messages: `profile "ops", then role arn:...`, `the environment's credentials`. */
export function describeCredentialSource(source: CredentialSource): string {
  const base = source.profile ? `profile "${source.profile}"` : "the environment's credentials";
  return source.assumeRole ? `role ${source.assumeRole.roleArn} assumed from ${base}` : base;
}
