import type { NetworkAcl } from "@aws-sdk/client-ec2";
import { CredentialSource, describeCredentialSource } from "../aws/credential-source";

/**
 * Reads the network ACLs of subnets. hashicorp/aws 5.100 has no data source that returns an
 * ACL's rules (`aws_network_acls` gives ids only), so the project's commands read them with the
 * AWS SDK (`sdkNetworkAclReader` in ./sdk-reader.ts); tests give recorded answers instead.
 */
export interface NetworkAclReader {
  /** The network ACLs associated with any of `subnetIds` (AWS associates each subnet with exactly one), as `DescribeNetworkAcls` returns them. */
  networkAclsOf(subnetIds: string[]): Promise<NetworkAcl[]>;
}

/** What was read of some subnets' network ACLs: the ACLs, or in one line why they could not be read. */
export type NetworkAclReading = { readonly acls: NetworkAcl[] } | { readonly unreadable: string };

/** The IAM action reading them needs. */
export const DESCRIBE_NETWORK_ACLS = "ec2:DescribeNetworkAcls";

/** Reads the ACLs of `subnetIds` with `reader`; never throws: a failure is the reason, in words. */
export async function readNetworkAcls(reader: NetworkAclReader, subnetIds: string[], source: CredentialSource): Promise<NetworkAclReading> {
  if (subnetIds.length === 0) return { acls: [] };
  try {
    return { acls: await reader.networkAclsOf(subnetIds) };
  } catch (error) {
    return { unreadable: whyUnreadable(error, source) };
  }
}

/**
 * Why a read failed, in one line naming the identity used: no credentials, credentials that are
 * not allowed (`UnauthorizedOperation` is EC2's AccessDenied; AssumeRole answers `AccessDenied`),
 * expired ones, or the error as the SDK gave it.
 */
export function whyUnreadable(error: unknown, source: CredentialSource): string {
  const { name = "Error", message = String(error) } = (error ?? {}) as { name?: string; message?: string };
  const status = (error as { $metadata?: { httpStatusCode?: number } } | undefined)?.$metadata?.httpStatusCode;
  const who = describeCredentialSource(source);
  const detail = `${name}: ${firstLine(message)}`;
  if (name === "CredentialsProviderError" || /could not load credentials|unable to locate credentials|no valid credential/i.test(message)) {
    return `no usable AWS credentials (${who}): ${detail}`;
  }
  if (/ExpiredToken|RequestExpired|InvalidClientTokenId|security token included in the request is (invalid|expired)/i.test(`${name} ${message}`)) {
    return `the credentials (${who}) are expired or invalid: ${detail}`;
  }
  if (/^(UnauthorizedOperation|AccessDenied|AccessDeniedException|UnauthorizedAccess)$/.test(name) || status === 403) {
    return `${who} may not read them: ${detail}`;
  }
  return detail;
}

function firstLine(text: string): string {
  return text.split("\n")[0].trim();
}
