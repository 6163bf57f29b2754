import { DescribeNetworkAclsCommand, EC2Client, NetworkAcl } from "@aws-sdk/client-ec2";
import { CredentialSource } from "../aws/credential-source";
import { sdkCredentials } from "../aws/sdk-credentials";
import { NetworkAclReader } from "./reader";

// The pinned SDK supports the project's Node.js 20; its notice that later SDK versions will not
// would otherwise end up in every doctor's output. A value the user set is kept.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= "true";

/**
 * Reads network ACLs with the AWS SDK, as the stack's provider would: the credentials of `source`
 * (lib/aws/sdk-credentials.ts), in its region. The SDK takes its endpoint from the environment like
 * every AWS SDK v3 client: `AWS_ENDPOINT_URL_EC2`, else `AWS_ENDPOINT_URL` (and the STS call of an
 * assumed role `AWS_ENDPOINT_URL_STS`, else `AWS_ENDPOINT_URL`), which is how the emulated suite
 * points it at its emulator. One client per call, destroyed after it: a command reads each
 * account's ACLs once.
 */
export function sdkNetworkAclReader(source: CredentialSource): NetworkAclReader {
  return {
    async networkAclsOf(subnetIds: string[]): Promise<NetworkAcl[]> {
      // Bounded waits: an unreachable endpoint fails this hop in seconds, not after the system's TCP timeout.
      const client = new EC2Client({ region: source.region, credentials: sdkCredentials(source), maxAttempts: 3, requestHandler: { connectionTimeout: 5_000, requestTimeout: 20_000 } });
      try {
        const acls: NetworkAcl[] = [];
        let NextToken: string | undefined;
        do {
          const page = await client.send(new DescribeNetworkAclsCommand({ Filters: [{ Name: "association.subnet-id", Values: subnetIds }], NextToken }));
          acls.push(...(page.NetworkAcls ?? []));
          NextToken = page.NextToken;
        } while (NextToken);
        return acls;
      } finally {
        client.destroy();
      }
    },
  };
}
