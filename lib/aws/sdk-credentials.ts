import { fromIni, fromNodeProviderChain, fromTemporaryCredentials } from "@aws-sdk/credential-providers";
import type { EC2ClientConfig } from "@aws-sdk/client-ec2";
import { CredentialSource } from "./credential-source";

/**
 * AWS SDK (v3) credentials for `source`, as the stack's Terraform provider resolves them: the
 * profile (`fromIni`, which follows a profile's own `role_arn`/`source_profile`, SSO and process
 * settings), else the default chain of the environment (`fromNodeProviderChain`: variables, shared
 * files, SSO, web identity, container and instance metadata); then, when configured, the role
 * assumed from those with STS (`fromTemporaryCredentials`, in the account's region). Lazy: nothing
 * is read or called until a client asks for credentials.
 */
export function sdkCredentials(source: CredentialSource): NonNullable<EC2ClientConfig["credentials"]> {
  const base = source.profile ? fromIni({ profile: source.profile }) : fromNodeProviderChain();
  if (!source.assumeRole) return base;
  const { roleArn, externalId, sessionName } = source.assumeRole;
  return fromTemporaryCredentials({
    masterCredentials: base,
    params: { RoleArn: roleArn, RoleSessionName: sessionName, ...(externalId ? { ExternalId: externalId } : {}) },
    clientConfig: { region: source.region },
  });
}
