/**
 * What the twin is built from: every emulated account and region it is given, read with the AWS
 * SDK exactly as AWS answers (no configuration, no synth output), kept in the SDK's own shapes so
 * that a read can be recorded and replayed in tests (`__tests__/twin/`).
 */
import { GetExportCommand, GetRestApisCommand, GetStagesCommand, RestApi, Stage } from "@aws-sdk/client-api-gateway";
import {
  DescribeNetworkAclsCommand,
  DescribeNetworkInterfacesCommand,
  DescribeRouteTablesCommand,
  DescribeSecurityGroupsCommand,
  DescribeSubnetsCommand,
  DescribeVpcEndpointsCommand,
  DescribeVpcPeeringConnectionsCommand,
  DescribeVpcsCommand,
  NetworkAcl,
  NetworkInterface,
  RouteTable,
  SecurityGroup,
  Subnet,
  Vpc,
  VpcEndpoint,
  VpcPeeringConnection,
} from "@aws-sdk/client-ec2";
import { FunctionConfiguration, ListFunctionsCommand } from "@aws-sdk/client-lambda";
import { GetHostedZoneCommand, HostedZone, ListHostedZonesCommand, ListResourceRecordSetsCommand, ResourceRecordSet, VPC } from "@aws-sdk/client-route-53";
import type { Account } from "../aws";

/** One account and region, as its APIs answer. */
export interface AccountRead {
  readonly accountId: string;
  readonly region: string;
  readonly vpcs: Vpc[];
  readonly subnets: Subnet[];
  readonly routeTables: RouteTable[];
  readonly networkAcls: NetworkAcl[];
  readonly securityGroups: SecurityGroup[];
  readonly networkInterfaces: NetworkInterface[];
  readonly peerings: VpcPeeringConnection[];
  readonly endpoints: VpcEndpoint[];
  /** Route 53 is global: the account's hosted zones, with their VPCs and records. */
  readonly hostedZones: { zone: HostedZone; vpcs: VPC[]; records: ResourceRecordSet[] }[];
  /** REST APIs with each stage and what it serves (GetExport of the stage, `extensions=apigateway`). */
  readonly restApis: { api: RestApi; stages: { stage: Stage; definition?: unknown; problem?: string }[] }[];
  readonly functions: FunctionConfiguration[];
}

/** Reads one account and region (Route 53's zones once per account: pass `withZones` false for its other regions). */
export async function readAccount(account: Account, withZones = true): Promise<AccountRead> {
  const { ec2, lambda, route53 } = account;
  const [vpcs, subnets, routeTables, networkAcls, securityGroups, networkInterfaces, peerings, endpoints, restApis, functions, hostedZones] = await Promise.all([
    ec2.send(new DescribeVpcsCommand({})).then((r) => r.Vpcs ?? []),
    ec2.send(new DescribeSubnetsCommand({})).then((r) => r.Subnets ?? []),
    ec2.send(new DescribeRouteTablesCommand({})).then((r) => r.RouteTables ?? []),
    ec2.send(new DescribeNetworkAclsCommand({})).then((r) => r.NetworkAcls ?? []),
    ec2.send(new DescribeSecurityGroupsCommand({})).then((r) => r.SecurityGroups ?? []),
    ec2.send(new DescribeNetworkInterfacesCommand({})).then((r) => r.NetworkInterfaces ?? []),
    ec2.send(new DescribeVpcPeeringConnectionsCommand({})).then((r) => r.VpcPeeringConnections ?? []),
    ec2.send(new DescribeVpcEndpointsCommand({})).then((r) => r.VpcEndpoints ?? []),
    readRestApis(account),
    lambda.send(new ListFunctionsCommand({})).then((r) => r.Functions ?? []),
    withZones ? readZones(route53) : Promise.resolve([]),
  ]);
  return { accountId: account.accountId, region: account.region, vpcs, subnets, routeTables, networkAcls, securityGroups, networkInterfaces, peerings, endpoints, hostedZones, restApis, functions };
}

async function readZones(route53: Account["route53"]): Promise<AccountRead["hostedZones"]> {
  const { HostedZones = [] } = await route53.send(new ListHostedZonesCommand({}));
  return Promise.all(HostedZones.map(async (zone) => {
    const [{ VPCs = [] }, { ResourceRecordSets = [] }] = await Promise.all([
      route53.send(new GetHostedZoneCommand({ Id: zone.Id })),
      route53.send(new ListResourceRecordSetsCommand({ HostedZoneId: zone.Id })),
    ]);
    return { zone, vpcs: VPCs, records: ResourceRecordSets };
  }));
}

async function readRestApis(account: Account): Promise<AccountRead["restApis"]> {
  const { items = [] } = await account.apigateway.send(new GetRestApisCommand({}));
  return Promise.all(items.map(async (api) => {
    const stages = (await account.apigateway.send(new GetStagesCommand({ restApiId: api.id }))).item ?? [];
    return {
      api,
      stages: await Promise.all(stages.map(async (stage) => {
        try {
          const exported = await account.apigateway.send(new GetExportCommand({ restApiId: api.id, stageName: stage.stageName, exportType: "swagger", parameters: { extensions: "apigateway" }, accepts: "application/json" }));
          return { stage, definition: JSON.parse(new TextDecoder().decode(exported.body)) };
        } catch (error) {
          return { stage, problem: `GetExport of stage ${stage.stageName}: ${(error as Error).message}` };
        }
      })),
    };
  }));
}

/** Reads every account and region given (Route 53 once per account), in parallel. */
export async function readAccounts(accounts: Account[]): Promise<AccountRead[]> {
  const seen = new Set<string>();
  return Promise.all(accounts.map((account) => {
    const first = !seen.has(account.accountId);
    seen.add(account.accountId);
    return readAccount(account, first);
  }));
}
