/**
 * What the emulated accounts hold, read with the AWS SDK: the facts the scenarios assert on.
 * Each function reads one account (and region), as that account sees it.
 */
import { GetAccountCommand, GetDeploymentsCommand, GetRestApisCommand, GetStagesCommand } from "@aws-sdk/client-api-gateway";
import { ListStacksCommand } from "@aws-sdk/client-cloudformation";
import {
  DescribeRouteTablesCommand,
  DescribeSecurityGroupsCommand,
  DescribeVpcEndpointsCommand,
  DescribeVpcPeeringConnectionsCommand,
  DescribeVpcsCommand,
  VpcPeeringConnection,
} from "@aws-sdk/client-ec2";
import { ListRolesCommand } from "@aws-sdk/client-iam";
import { ListFunctionsCommand } from "@aws-sdk/client-lambda";
import { GetHostedZoneCommand, ListHostedZonesCommand, ListResourceRecordSetsCommand } from "@aws-sdk/client-route-53";
import type { Account } from "./aws";

/** The region's API Gateway CloudWatch role setting ("" when empty). */
export async function cloudWatchRoleSetting(account: Account): Promise<string> {
  return (await account.apigateway.send(new GetAccountCommand({}))).cloudwatchRoleArn ?? "";
}

/** The account's VPCs, the default one left out. */
export async function vpcs(account: Account): Promise<{ id: string; cidr: string }[]> {
  const { Vpcs = [] } = await account.ec2.send(new DescribeVpcsCommand({}));
  return Vpcs.filter((v) => !v.IsDefault).map((v) => ({ id: v.VpcId!, cidr: v.CidrBlock! }));
}

/** Peering connections the account sees, with their status. */
export async function peerings(account: Account): Promise<VpcPeeringConnection[]> {
  return (await account.ec2.send(new DescribeVpcPeeringConnectionsCommand({}))).VpcPeeringConnections ?? [];
}

/** Peerings that are not deleted or rejected. */
export async function livePeerings(account: Account): Promise<VpcPeeringConnection[]> {
  return (await peerings(account)).filter((p) => !["deleted", "rejected", "failed", "expired"].includes(p.Status?.Code ?? ""));
}

/** Every route of the VPC's route tables: destination and target peering (if any). */
export async function routes(account: Account, vpcId: string): Promise<{ table: string; destination: string; peering?: string }[]> {
  const { RouteTables = [] } = await account.ec2.send(new DescribeRouteTablesCommand({ Filters: [{ Name: "vpc-id", Values: [vpcId] }] }));
  return RouteTables.flatMap((t) => (t.Routes ?? []).map((r) => ({ table: t.RouteTableId!, destination: r.DestinationCidrBlock ?? "", peering: r.VpcPeeringConnectionId })));
}

/** The route tables of a VPC that this project created or named (those with a route through a peering, or all non-main). */
export async function routeTableIds(account: Account, vpcId: string): Promise<string[]> {
  const { RouteTables = [] } = await account.ec2.send(new DescribeRouteTablesCommand({ Filters: [{ Name: "vpc-id", Values: [vpcId] }] }));
  return RouteTables.filter((t) => !(t.Associations ?? []).some((a) => a.Main)).map((t) => t.RouteTableId!);
}

/** The account's execute-api interface endpoints. */
export async function executeApiEndpoints(account: Account) {
  const { VpcEndpoints = [] } = await account.ec2.send(new DescribeVpcEndpointsCommand({}));
  return VpcEndpoints.filter((e) => e.ServiceName?.endsWith(".execute-api"));
}

/** CIDRs a security group admits on TCP 443. */
export async function httpsSources(account: Account, groupId: string): Promise<string[]> {
  const { SecurityGroups = [] } = await account.ec2.send(new DescribeSecurityGroupsCommand({ GroupIds: [groupId] }));
  return SecurityGroups.flatMap((g) => g.IpPermissions ?? [])
    .filter((p) => p.IpProtocol === "tcp" && p.FromPort === 443 && p.ToPort === 443)
    .flatMap((p) => (p.IpRanges ?? []).map((r) => r.CidrIp!))
    .sort();
}

/** The account's REST APIs, with their policy (parsed) and deployments. */
export async function restApis(account: Account) {
  const { items = [] } = await account.apigateway.send(new GetRestApisCommand({}));
  return Promise.all(items.map(async (api) => {
    const deployments = (await account.apigateway.send(new GetDeploymentsCommand({ restApiId: api.id }))).items ?? [];
    const stages = (await account.apigateway.send(new GetStagesCommand({ restApiId: api.id }))).item ?? [];
    // AWS escapes the policy's quotes (see the launcher's rest-api-policy-escaped).
    const policy = api.policy ? JSON.parse(JSON.parse(`"${api.policy}"`)) : undefined;
    return { id: api.id!, name: api.name!, endpointConfiguration: api.endpointConfiguration, policy, deployments: deployments.map((d) => d.id!), stages };
  }));
}

/** The source CIDRs the policy's aws:VpcSourceIp condition admits. */
export function policySourceCidrs(policy: any): string[] {
  const deny = (policy?.Statement ?? []).find((s: any) => s.Effect === "Deny" && s.Condition?.NotIpAddress?.["aws:VpcSourceIp"]);
  const cidrs = deny?.Condition.NotIpAddress["aws:VpcSourceIp"];
  return (Array.isArray(cidrs) ? cidrs : [cidrs]).filter(Boolean).sort();
}

/** The account's private hosted zones with their VPCs and their apex A alias target. */
export async function privateZones(account: Account) {
  const { HostedZones = [] } = await account.route53.send(new ListHostedZonesCommand({}));
  return Promise.all(HostedZones.filter((z) => z.Config?.PrivateZone).map(async (zone) => {
    const { VPCs = [] } = await account.route53.send(new GetHostedZoneCommand({ Id: zone.Id }));
    const { ResourceRecordSets = [] } = await account.route53.send(new ListResourceRecordSetsCommand({ HostedZoneId: zone.Id }));
    const apex = ResourceRecordSets.find((r) => r.Type === "A" && r.Name === zone.Name);
    return { name: zone.Name!, vpcs: VPCs.map((v) => v.VPCId!), alias: apex?.AliasTarget ? { name: apex.AliasTarget.DNSName!, zoneId: apex.AliasTarget.HostedZoneId! } : undefined };
  }));
}

/** The account's Lambda functions and their VPC subnets. */
export async function functions(account: Account) {
  const { Functions = [] } = await account.lambda.send(new ListFunctionsCommand({}));
  return Functions.map((f) => ({ name: f.FunctionName!, subnets: f.VpcConfig?.SubnetIds ?? [] }));
}

/** The account's IAM roles (IAM is global: one list per account). */
export async function roles(account: Account): Promise<{ name: string; arn: string; path: string }[]> {
  const { Roles = [] } = await account.iam.send(new ListRolesCommand({}));
  return Roles.map((r) => ({ name: r.RoleName!, arn: r.Arn!, path: r.Path! }));
}

/** The region's CloudFormation stacks that are not deleted. */
export async function cloudFormationStacks(account: Account): Promise<string[]> {
  const { StackSummaries = [] } = await account.cloudformation.send(new ListStacksCommand({}));
  return StackSummaries.filter((s) => s.StackStatus !== "DELETE_COMPLETE").map((s) => s.StackName!);
}
