import { ConfigError, parseConfig } from "../../lib/config/load-config";
import { consumersOf } from "../../lib/config/consumers";
import { EXAMPLE, merge, Overrides } from "../helpers/example";

/** `n` consumers, each in its own account, with VPC CIDRs 10.<i+1>.0.0/16 (A's is 10.0.0.0/16). */
const many = (n: number) => Array.from({ length: n }, (_, i) => ({
  name: `team-${i + 1}`,
  accountId: String(300000000000 + i),
  region: "ap-northeast-1",
  vpcCidr: `10.${(i + 1) % 256}.${Math.floor((i + 1) / 256) * 16}.0/20`,
}));

/** The problem lines of the example with `overrides` (none when valid). */
function problems(overrides: Overrides): string[] {
  try {
    parseConfig(merge(EXAMPLE, overrides), "test.json");
    return [];
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
}

const payments = { name: "payments", accountId: "333333333333", region: "us-east-1", vpcCidr: "10.1.0.0/16", availabilityZoneIds: ["use1-az1", "use1-az2"] };
const orders = { name: "orders", accountId: "444444444444", region: "ap-northeast-1", vpcCidr: "10.2.0.0/16", existingVpc: { vpcId: "vpc-0a2a2a2a2a2a2a2a2", subnetIds: ["subnet-0a2a2a2a"], routeTableIds: ["rtb-0a2a2a2a"] } };
const billing = { name: "billing", accountId: "444444444444", region: "ap-northeast-1", vpcCidr: "10.3.0.0/16", existingVpc: { vpcId: "vpc-0a3a3a3a3a3a3a3a3", subnetIds: ["subnet-0a3a3a3a"], routeTableIds: ["rtb-0a3a3a3a"] } };

describe("consumers", () => {
  test("each has a stack consumer-<name>, after account A's, and every optional key account A has", () => {
    const config = parseConfig(merge(EXAMPLE, { consumers: [payments, orders, billing] }));
    expect(consumersOf(config).map((c) => [c.stackId, c.setting, c.account.accountId])).toEqual([
      ["account-a", "accountA", "111111111111"],
      ["consumer-payments", "consumers.0", "333333333333"],
      ["consumer-orders", "consumers.1", "444444444444"],
      ["consumer-billing", "consumers.2", "444444444444"],
    ]);
    expect(consumersOf(config)[2].account).toMatchObject({ canary: true, credentials: {}, existingVpc: orders.existingVpc });
  });

  test("by default every consumer's CIDR may call the API, with A's and B's", () => {
    const config = parseConfig(merge(EXAMPLE, { consumers: [payments, orders] }));
    expect(config.api.allowedSourceCidrs).toEqual(["10.0.0.0/16", "10.1.0.0/16", "10.2.0.0/16", "172.31.0.0/16"]);
  });

  test.each<[string, Overrides]>([
    ["two consumers in one account, told apart by their VPC ids", { consumers: [orders, billing] }],
    ["a consumer in account B's own account and region (B tells it apart by its request's tag)", { consumers: [{ ...payments, accountId: "222222222222", region: "ap-northeast-1", availabilityZoneIds: undefined }] }],
    ["49 consumers (50 peerings, AWS's default quota)", { consumers: many(49) }],
    ["60 consumers with raised peering and security-group rule quotas", { accountB: { vpcPeeringQuota: 61, securityGroupRulesQuota: 100 }, consumers: many(60) }],
    ["an S3 backend with each consumer's state", { consumers: [payments], backend: { type: "s3", accountA: { bucket: "a-state" }, accountB: { bucket: "b-state" }, consumers: { payments: { bucket: "payments-state" } } } }],
  ])("accepts %s", (_, overrides) => {
    expect(problems(overrides)).toEqual([]);
  });

  test.each<[string, Overrides, string]>([
    ["a consumer name with capitals", { consumers: [{ ...payments, name: "Payments" }] },
      'consumers.0.name: got "Payments"; expected lower-case letters, digits and hyphens, such as "payments" (the stack is consumer-<name>)'],
    ["two consumers with one name", { consumers: [payments, { ...orders, name: "payments" }] },
      'consumers.1.name: got "payments"; expected a name no other consumer has (consumers.0.name is "payments")'],
    ["a consumer CIDR that overlaps A's", { consumers: [{ ...payments, vpcCidr: "10.0.128.0/17" }] },
      'consumers.0.vpcCidr: got "10.0.128.0/17"; expected a CIDR that does not overlap accountA.vpcCidr "10.0.0.0/16" (VPC peering needs disjoint ranges)'],
    ["a consumer CIDR that overlaps B's", { consumers: [{ ...payments, vpcCidr: "172.31.16.0/20" }] },
      'consumers.0.vpcCidr: got "172.31.16.0/20"; expected a CIDR that does not overlap accountB.vpcCidr "172.31.0.0/16" (VPC peering needs disjoint ranges)'],
    ["two consumers with overlapping CIDRs", { consumers: [payments, { ...orders, vpcCidr: "10.1.64.0/18" }] },
      'consumers.1.vpcCidr: got "10.1.64.0/18"; expected a CIDR that does not overlap consumers.0.vpcCidr "10.1.0.0/16" (VPC peering needs disjoint ranges)'],
    ["two consumers in one account and region, one without a VPC id", { consumers: [orders, { ...billing, existingVpc: undefined }] },
      'consumers.1.existingVpc: got nothing; expected its VPC named, { "vpcId", "routeTableIds", "subnetIds" }: consumers.0 also requests from account 444444444444 in ap-northeast-1, and account B can tell their peering requests apart only by VPC id'],
    ["50 consumers with AWS's default quota of 50 peerings", { consumers: many(50) },
      'consumers: got 50; expected at most 49 consumers (with accountA\'s, one peering each) while accountB.vpcPeeringQuota is 50: request a higher quota of "Active VPC peering connections per VPC" for account B (up to 125) and of "Routes per route table" to match (each consumer adds a route to B\'s route tables), then set accountB.vpcPeeringQuota to it'],
    ["60 consumers with a raised peering quota, the default rule quota: their 62 CIDRs do not fit B's security group", { accountB: { vpcPeeringQuota: 61 }, consumers: many(60) },
      'consumers: got 60; expected at most 58 consumers while accountB.securityGroupRulesQuota is 60: every consumer\'s CIDR, A\'s and B\'s are admitted by default, 62 here, one inbound rule each on B\'s endpoint security group: request a higher "Inbound or outbound rules per security group" quota for account B (at most 1000 divided by its "Security groups per network interface"), then set accountB.securityGroupRulesQuota to it; or admit fewer, wider ranges in api.allowedSourceCidrs'],
    ["125 consumers, beyond what AWS allows", { accountB: { vpcPeeringQuota: 125, securityGroupRulesQuota: 200 }, consumers: many(125) },
      'consumers: got 125; expected at most 124 consumers (with accountA\'s, one peering each): AWS allows at most 125 active VPC peering connections per VPC; beyond that, see "Beyond peering" in docs/consumers.md'],
    ["a peering quota beyond AWS's maximum", { accountB: { vpcPeeringQuota: 200 } },
      "accountB.vpcPeeringQuota: got 200; expected at most 125, the most AWS allows per VPC"],
    ["a consumer in another partition", { consumers: [{ ...payments, region: "cn-north-1", availabilityZoneIds: undefined }] },
      'consumers.0.region: got "cn-north-1"; expected a region of the aws partition, like accountA.region "ap-northeast-1" (a VPC peering cannot cross partitions)'],
    ["a consumer's existing VPC without subnets for its canary", { consumers: [{ ...orders, existingVpc: { vpcId: "vpc-0a2a2a2a2a2a2a2a2", routeTableIds: ["rtb-0a2a2a2a"] } }] },
      'consumers.0.existingVpc.subnetIds: got nothing; expected the client subnets the canary runs in (consumers.0.canary is on), such as ["subnet-0123456789abcdef0"]; or set consumers.0.canary to false'],
    ["a consumer role in another account", { consumers: [{ ...payments, credentials: { assumeRoleArn: "arn:aws:iam::999999999999:role/deploy" } }] },
      'consumers.0.credentials.assumeRoleArn: got "arn:aws:iam::999999999999:role/deploy"; expected a role in consumers.0.accountId "333333333333", not in account 999999999999'],
    ["an S3 backend without a consumer's state", { consumers: [payments], backend: { type: "s3", accountA: { bucket: "a-state" }, accountB: { bucket: "b-state" } } },
      'backend.consumers.payments: got nothing; expected an S3 state like backend.accountA\'s, for consumer payments (backend.type is "s3")'],
    ["a Terraform Cloud backend without a consumer's workspace", { consumers: [payments], backend: { type: "cloud", organization: "acme", workspaces: { accountA: "apigw-a", accountB: "apigw-b" } } },
      'backend.workspaces.consumers.payments: got nothing; expected a workspace name like backend.workspaces.accountA, for consumer payments (backend.type is "cloud")'],
    ["a backend entry for no consumer", { consumers: [payments], backend: { type: "cloud", organization: "acme", workspaces: { accountA: "a", accountB: "b", consumers: { payments: "p", paymnets: "q" } } } },
      'backend.workspaces.consumers.paymnets: got "q"; expected the name of a consumer in consumers, or nothing (no consumer is named "paymnets")'],
  ])("%s", (_, overrides, message) => {
    expect(problems(overrides)).toEqual([expect.stringContaining(message)]);
  });

  test("a consumer name too long for its canary's names: the function's and the role's", () => {
    expect(problems({ consumers: [{ ...payments, name: "payments-reconciliation-and-settlement" }] })).toEqual([
      'consumers.0.name: got "payments-reconciliation-and-settlement"; expected a shorter name: the canary\'s Lambda function name "private-apigw-consumer-payments-reconciliation-and-settlement-canary" has 68 characters, and AWS allows 64',
      'consumers.0.name: got "payments-reconciliation-and-settlement"; expected a shorter name: the canary\'s IAM role name "private-apigw-consumer-payments-reconciliation-and-settlement-canary-use1" has 73 characters, and AWS allows 64',
    ]);
  });

  test("a consumer in A's account and region, neither with a VPC id: both are named", () => {
    const found = problems({ consumers: [{ ...payments, accountId: "111111111111", region: "ap-northeast-1", availabilityZoneIds: undefined }] });
    expect(found).toEqual([
      'accountA.existingVpc: got nothing; expected its VPC named, { "vpcId", "routeTableIds", "subnetIds" }: consumers.0 also requests from account 111111111111 in ap-northeast-1, and account B can tell their peering requests apart only by VPC id',
      'consumers.0.existingVpc: got nothing; expected its VPC named, { "vpcId", "routeTableIds", "subnetIds" }: accountA also requests from account 111111111111 in ap-northeast-1, and account B can tell their peering requests apart only by VPC id',
    ]);
  });
});
