/**
 * The AWS partitions this project supports, and what differs between them: ARNs, host names and
 * the names of endpoint services. A VPC peering cannot cross partitions.
 */
export interface Partition {
  /** ARN partition: `aws`, `aws-cn` or `aws-us-gov`. */
  readonly name: string;
  /** Suffix of service host names: `amazonaws.com`, or `amazonaws.com.cn` in China. */
  readonly dnsSuffix: string;
  /** Prefix of interface endpoint service names: `com.amazonaws`, or `cn.com.amazonaws` in China. */
  readonly serviceNamePrefix: string;
}

const AWS: Partition = { name: "aws", dnsSuffix: "amazonaws.com", serviceNamePrefix: "com.amazonaws" };
const AWS_CN: Partition = { name: "aws-cn", dnsSuffix: "amazonaws.com.cn", serviceNamePrefix: "cn.com.amazonaws" };
const AWS_US_GOV: Partition = { name: "aws-us-gov", dnsSuffix: "amazonaws.com", serviceNamePrefix: "com.amazonaws" };

/** Partitions whose regions the config refuses: their endpoints and DNS differ and are not tested here. */
const UNSUPPORTED: [RegExp, string][] = [
  [/^us-iso-/, "aws-iso"],
  [/^us-isob-/, "aws-iso-b"],
  [/^eu-isoe-/, "aws-iso-e"],
  [/^us-isof-/, "aws-iso-f"],
];

/** The partition of `region`, or undefined for a region of a partition this project does not support. */
export function partitionOf(region: string): Partition | undefined {
  if (UNSUPPORTED.some(([pattern]) => pattern.test(region))) return undefined;
  if (region.startsWith("cn-")) return AWS_CN;
  if (region.startsWith("us-gov-")) return AWS_US_GOV;
  return AWS;
}

/** The name of the unsupported partition `region` belongs to, for messages. */
export function unsupportedPartitionOf(region: string): string | undefined {
  return UNSUPPORTED.find(([pattern]) => pattern.test(region))?.[1];
}

/** `com.amazonaws.<region>.execute-api` (`cn.com.amazonaws.…` in China): the interface endpoint service of API Gateway. */
export function executeApiServiceName(region: string): string {
  return `${requirePartition(region).serviceNamePrefix}.${region}.execute-api`;
}

/** `execute-api.<region>.<dns suffix>`: the domain under which each REST API has its own name. */
export function executeApiDomain(region: string): string {
  return `execute-api.${region}.${requirePartition(region).dnsSuffix}`;
}

/** The partition of a region the configuration has already accepted. */
export function requirePartition(region: string): Partition {
  const partition = partitionOf(region);
  if (!partition) throw new Error(`region ${region} is not in a supported partition (the configuration should have refused it)`);
  return partition;
}
