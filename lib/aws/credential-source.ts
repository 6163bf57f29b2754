import { Config } from "../config/schema";
import { providerSettings, StackAccount } from "../stack/provider-settings";

/**
 * Where a stack's AWS credentials come from, as its Terraform provider gets them: the account's
 * `credentials.profile` (else the environment's default chain), then `credentials.assumeRoleArn`
 * assumed from those, with its external id and the stack's session name. Read from the stack's
 * provider settings (lib/stack/provider-settings.ts, the one mapping the stacks are built with),
 * so that the project's AWS SDK clients (the doctor's network ACL reader) act as the same
 * identity as the stack's provider.
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
export function credentialSourceOf(config: Config, stackId: string, account: StackAccount): CredentialSource {
  const settings = providerSettings(config, account, stackId);
  const role = Array.isArray(settings.assumeRole) ? settings.assumeRole[0] : undefined;
  return {
    region: String(settings.region),
    accountId: String(settings.allowedAccountIds?.[0]),
    ...(settings.profile ? { profile: settings.profile } : {}),
    ...(role?.roleArn ? { assumeRole: { roleArn: role.roleArn, ...(role.externalId ? { externalId: role.externalId } : {}), sessionName: String(role.sessionName) } } : {}),
  };
}

/** In words, for messages: `profile "ops", then role arn:...`, `the environment's credentials`. */
export function describeCredentialSource(source: CredentialSource): string {
  const base = source.profile ? `profile "${source.profile}"` : "the environment's credentials";
  return source.assumeRole ? `role ${source.assumeRole.roleArn} assumed from ${base}` : base;
}
