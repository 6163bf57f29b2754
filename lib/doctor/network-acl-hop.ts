import type { NetworkAcl } from "@aws-sdk/client-ec2";
import { CredentialSource, credentialSourceOf } from "../aws/credential-source";
import { consumersOf } from "../config/consumers";
import { Config } from "../config/schema";
import { liveResources } from "../live/plan-json";
import { DEFAULT_RULE_NUMBER, evaluateFlow, Flow, FlowPart, FlowVerdict, PortRange, ruleNumberToAllow } from "../network-acl/evaluate";
import { DESCRIBE_NETWORK_ACLS, NetworkAclReader, NetworkAclReading, readNetworkAcls } from "../network-acl/reader";
import { CheckResult } from "../preflight/run-preflight";

/** The hops of the path the network ACLs sit on: after each side's routes, as the packets meet them. */
export const NETWORK_ACL_HOPS = {
  consumer: "2a A: network ACLs",
  "account-b": "4a B: network ACLs",
} as const;

/** The ports a client's TCP connection answers on (AWS's advice for network ACLs: 1024-65535 covers every client, Lambda and NAT included). */
export const EPHEMERAL_PORTS: PortRange = { from: 1024, to: 65535 };
const HTTPS: PortRange = { from: 443, to: 443 };

/** One side of a consumer's path, as the doctor read its subnets' network ACLs. */
export interface NetworkAclSide {
  /** The consumer's client subnets, or B's endpoint subnets. */
  readonly side: "consumer" | "account-b";
  /** The stack whose subnets they are: the rows' ids start with it. */
  readonly stack: string;
  /** Where the ACLs are (the fix's command runs there). */
  readonly accountId: string;
  readonly region: string;
  /** The subnets, each checked through its ACL. */
  readonly subnetIds: string[];
  /** The other end: B's VPC CIDR for the consumer's subnets, the consumer's VPC CIDR for B's. */
  readonly peerCidr: string;
  readonly reading: NetworkAclReading;
  /** Why there are no subnets to check, when `subnetIds` is empty. */
  readonly noSubnets?: string;
}

/**
 * The network ACL rows of every consumer's path, by consumer stack id: its client subnets' ACLs
 * (read with its stack's credentials) and B's endpoint subnets' ACLs (read once, with B's), each
 * evaluated for that consumer's traffic. `liveJson(stack)` is what Terraform read of a deployed
 * stack (the subnets' ids); `readerOf` makes a reader acting with a stack's credentials.
 */
export async function networkAclHop(config: Config, liveJson: (stack: string) => unknown, readerOf: (source: CredentialSource) => NetworkAclReader): Promise<Record<string, CheckResult[]>> {
  const b = config.accountB;
  const consumers = consumersOf(config);
  const read = (stack: string, account: Parameters<typeof credentialSourceOf>[2], subnetIds: string[]): Promise<NetworkAclReading> => {
    const source = credentialSourceOf(config, stack, account);
    return readNetworkAcls(readerOf(source), subnetIds, source);
  };
  const endpointSubnets = endpointSubnetIds(liveJson("account-b"), b.existingVpc?.subnetIds);
  const clientSubnets = consumers.map((c) => clientSubnetIds(liveJson(c.stackId), c.account.existingVpc?.subnetIds));
  // Each account's ACLs are read once, every account at the same time.
  const [endpointAcls, ...clientAcls] = await Promise.all([read("account-b", b, endpointSubnets), ...consumers.map((c, i) => read(c.stackId, c.account, clientSubnets[i]))]);
  return Object.fromEntries(consumers.map((c, i) => [c.stackId, [
    ...networkAclRows({
      side: "consumer", stack: c.stackId, accountId: c.account.accountId, region: c.account.region, subnetIds: clientSubnets[i], peerCidr: b.vpcCidr, reading: clientAcls[i],
      noSubnets: `${c.setting}.existingVpc names no subnetIds (its canary is off): set them to have their network ACLs checked`,
    }),
    ...networkAclRows({ side: "account-b", stack: "account-b", accountId: b.accountId, region: b.region, subnetIds: endpointSubnets, peerCidr: c.account.vpcCidr, reading: endpointAcls }),
  ]]));
}

/** What must pass each side's ACLs: a call out (or in) on 443, and its answers back on the ephemeral ports (ACLs are stateless). */
export function flowsOf(side: NetworkAclSide["side"], peer: string): Flow[] {
  return side === "consumer"
    ? [{ direction: "egress", protocol: "tcp", ports: HTTPS, peer }, { direction: "ingress", protocol: "tcp", ports: EPHEMERAL_PORTS, peer }]
    : [{ direction: "ingress", protocol: "tcp", ports: HTTPS, peer }, { direction: "egress", protocol: "tcp", ports: EPHEMERAL_PORTS, peer }];
}

const TITLES = {
  consumer: "the network ACLs of the consumer's client subnets let TCP 443 out to B's VPC and the answers (TCP 1024-65535) back in",
  "account-b": "the network ACLs of B's endpoint subnets let TCP 443 in from the consumer's VPC and the answers (TCP 1024-65535) back out",
} as const;

/**
 * The rows of one side's network ACL hop: one per ACL of its subnets, passing when both flows
 * are allowed, failing with the rule that denies and the command that would allow it; or one
 * pending row saying why the ACLs could not be checked (no credentials, not allowed to read them,
 * no subnets known, a subnet with no ACL in that account).
 */
export function networkAclRows(side: NetworkAclSide): CheckResult[] {
  const hop = NETWORK_ACL_HOPS[side.side];
  const title = TITLES[side.side];
  const whose = side.side === "consumer" ? `${side.stack}'s client subnets` : "B's endpoint subnets";
  const pendingRow = (message: string): CheckResult => ({ id: `${side.stack}:network-acls`, hop, status: "pending", message: `${title}: ${message}`, fix: "" });
  if (side.subnetIds.length === 0) return [pendingRow(`not checked: ${side.noSubnets ?? `no ${whose} are known`}.`)];
  if ("unreadable" in side.reading) {
    return [pendingRow(`the network ACLs of ${whose} (${side.subnetIds.join(", ")}) could not be read: ${side.reading.unreadable.replace(/\.$/, "")}. Reading them needs ${DESCRIBE_NETWORK_ACLS} in account ${side.accountId} (${side.region}); the other hops are checked all the same.`)];
  }
  const acls = side.reading.acls;
  const aclOf = (subnet: string) => acls.find((acl) => (acl.Associations ?? []).some((a) => a.SubnetId === subnet));
  const rows = acls
    .map((acl) => ({ acl, subnets: side.subnetIds.filter((subnet) => aclOf(subnet) === acl) }))
    .filter(({ subnets }) => subnets.length > 0)
    .map(({ acl, subnets }) => aclRow(side, hop, title, acl, subnets));
  const orphans = side.subnetIds.filter((subnet) => !aclOf(subnet));
  if (orphans.length) rows.push(pendingRow(`no network ACL is associated with ${orphans.join(", ")} in account ${side.accountId} (${side.region}) as the credentials used see it: a subnet deleted, or credentials for another account.`));
  return rows;
}

function aclRow(side: NetworkAclSide, hop: string, title: string, acl: NetworkAcl, subnets: string[]): CheckResult {
  const id = acl.NetworkAclId ?? "(no id)";
  const verdicts = flowsOf(side.side, side.peerCidr).map((flow) => ({ flow, verdict: evaluateFlow(acl, flow) }));
  const where = `${id}${acl.IsDefault ? " (the VPC's default network ACL)" : ""} of ${subnets.join(", ")}`;
  const said = verdicts.map(({ flow, verdict }) => `${flowName(flow)} ${verdictText(flow, verdict)}`).join("; ");
  const failing = verdicts.filter(({ verdict }) => !verdict.allowed);
  return {
    id: `${side.stack}:network-acl:${id}`,
    hop,
    status: failing.length ? "fail" : "pass",
    message: `${title}: ${where}: ${said}`,
    fix: failing.length ? failing.map(({ flow, verdict }) => allowCommand(side, acl, flow, verdict)).join(" Then: ") : "",
  };
}

/** `outbound TCP 443 to 172.31.0.0/16`. */
function flowName(flow: Flow): string {
  return `${flow.direction === "egress" ? "outbound" : "inbound"} TCP ${ports(flow.ports)} ${flow.direction === "egress" ? "to" : "from"} ${flow.peer}`;
}

function verdictText(flow: Flow, verdict: FlowVerdict): string {
  if (verdict.allowed) {
    const rules = verdict.decisions.map((d) => d.ruleNumber);
    return rules.length === 1 ? `allowed by rule ${rules[0]}` : `allowed by rules ${rules.join(", ")}, each for a part of it`;
  }
  const deny = verdict.deniedBy!;
  const part = deny.whole ? "" : ` for ${partsText(flow, deny.parts)}`;
  return deny.ruleNumber >= DEFAULT_RULE_NUMBER ? `denied by rule *${part} (no rule allows it)` : `denied by rule ${deny.ruleNumber}${part}`;
}

/** `172.31.128.0/17`, `ports 32768-65535`, or both, of up to three parts. */
function partsText(flow: Flow, parts: FlowPart[]): string {
  const text = parts.slice(0, 3).map((part) => {
    const addresses = part.peer === flow.peer ? "" : part.peer;
    const portsText = part.ports.from === flow.ports.from && part.ports.to === flow.ports.to ? "" : `ports ${ports(part.ports)}`;
    return [addresses, portsText].filter(Boolean).join(" on ");
  });
  return `${text.join(", ")}${parts.length > 3 ? ` and ${parts.length - 3} more parts` : ""}`;
}

function ports(range: PortRange): string {
  return range.from === range.to ? `${range.from}` : `${range.from}-${range.to}`;
}

/** The AWS CLI command that allows `flow` through `acl` ahead of the rule that denies it. */
function allowCommand(side: NetworkAclSide, acl: NetworkAcl, flow: Flow, verdict: FlowVerdict): string {
  const id = acl.NetworkAclId ?? "<acl-id>";
  const number = ruleNumberToAllow(acl, flow, verdict);
  const deny = verdict.deniedBy!.ruleNumber;
  if (number === undefined) {
    return `In account ${side.accountId}: rule ${deny} of ${id} denies ${flowName(flow)} and no rule number below it is free: renumber it (aws ec2 delete-network-acl-entry --region ${side.region} --network-acl-id ${id} --${flow.direction} --rule-number ${deny}, then create it again with a higher number).`;
  }
  return `In account ${side.accountId}: aws ec2 create-network-acl-entry --region ${side.region} --network-acl-id ${id} --${flow.direction} --rule-number ${number} --protocol tcp --port-range From=${flow.ports.from},To=${flow.ports.to} --cidr-block ${flow.peer} --rule-action allow`;
}

/**
 * The consumer's client subnets as the doctor knows them: the subnets its stack created and the
 * canary's (from the stack's live resources), and the configured `existingVpc.subnetIds`.
 */
export function clientSubnetIds(json: unknown, configured: string[] = []): string[] {
  const resources = liveResources(json).filter((r) => r.mode === "managed");
  const created = resources.filter((r) => r.type === "aws_subnet").map((r) => r.values?.id);
  const canary = resources.filter((r) => r.type === "aws_lambda_function").flatMap((r) => r.values?.vpc_config?.[0]?.subnet_ids ?? []);
  return unique([...created, ...canary, ...configured]);
}

/**
 * B's endpoint subnets as the doctor knows them: those B's stack created, the endpoint's own (the
 * endpoint B's stack created, or an existing one as its look-ups read it), and the configured
 * `accountB.existingVpc.subnetIds`.
 */
export function endpointSubnetIds(json: unknown, configured: string[] = []): string[] {
  const resources = liveResources(json);
  const created = resources.filter((r) => r.mode === "managed" && r.type === "aws_subnet").map((r) => r.values?.id);
  const endpoint = resources.filter((r) => r.type === "aws_vpc_endpoint").flatMap((r) => r.values?.subnet_ids ?? []);
  return unique([...created, ...endpoint, ...configured]);
}

function unique(ids: unknown[]): string[] {
  return [...new Set(ids.filter((id): id is string => typeof id === "string" && id.startsWith("subnet-")))].sort();
}
