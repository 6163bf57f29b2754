import assert from "node:assert/strict";
import {
  CreateDeploymentCommand,
  CreateResourceCommand,
  CreateRestApiCommand,
  CreateStageCommand,
  GetAccountCommand,
  GetExportCommand,
  GetResourcesCommand,
  GetRestApiCommand,
  PutIntegrationCommand,
  PutIntegrationResponseCommand,
  PutMethodCommand,
  PutMethodResponseCommand,
  UpdateAccountCommand,
  UpdateRestApiCommand,
  UpdateStageCommand,
  GetIntegrationCommand,
  GetRestApisCommand,
  PutRestApiCommand,
} from "@aws-sdk/client-api-gateway";
import { CreateStackCommand, DeleteStackCommand, ListStacksCommand } from "@aws-sdk/client-cloudformation";
import {
  CreateSubnetCommand,
  CreateSecurityGroupCommand,
  CreateTagsCommand,
  CreateVpcCommand,
  CreateVpcEndpointCommand,
  CreateVpcPeeringConnectionCommand,
  DescribeNetworkInterfacesCommand,
  DescribeVpcEndpointsCommand,
  DescribeVpcPeeringConnectionsCommand,
  ModifyVpcEndpointCommand,
  DescribeVpcsCommand,
} from "@aws-sdk/client-ec2";
import { CreateRoleCommand, GetRoleCommand, ListRolesCommand } from "@aws-sdk/client-iam";
import { CreateFunctionCommand, GetFunctionConfigurationCommand, InvokeCommand, ListFunctionsCommand } from "@aws-sdk/client-lambda";
import { CreateHostedZoneCommand, GetHostedZoneCommand, ListHostedZonesCommand } from "@aws-sdk/client-route-53";
import { zipSync } from "fflate";
import * as path from "path";
import { account, Account } from "../aws";
import { Emulator, reset, setCorrections, startEmulator } from "../emulator/emulator";
import { asUserAllowed, deniedWith } from "../identities";
import { allOf, Scenario } from "../scenario";

const REGION = "ap-northeast-1";
const [ONE, TWO] = ["111111111111", "222222222222"];

/** A probe of one correction: what AWS answers, and a check that fails on moto's own answer. */
interface Probe {
  /** The launcher's name of the correction. */
  readonly correction: string;
  /** Asserts AWS's behaviour, in accounts ONE and TWO of `emulator`. */
  check(emulator: Emulator): Promise<void>;
}

const on = (emulator: Emulator, accountId = ONE) => account(emulator, accountId, REGION);

async function vpc(a: Account, cidr: string): Promise<string> {
  return (await a.ec2.send(new CreateVpcCommand({ CidrBlock: cidr }))).Vpc!.VpcId!;
}

const PROBES: Probe[] = [
  {
    correction: "rest-api-policy-escaped",
    async check(emulator) {
      const a = on(emulator);
      const policy = JSON.stringify({ Version: "2012-10-17", Statement: [{ Effect: "Allow", Principal: "*", Action: "execute-api:Invoke", Resource: "*" }] });
      const { id } = await a.apigateway.send(new CreateRestApiCommand({ name: "probe", policy }));
      const stored = (await a.apigateway.send(new GetRestApiCommand({ restApiId: id }))).policy!;
      assert.ok(stored.startsWith('{\\"Version\\"'), `GetRestApi returns the policy with escaped quotes, got ${stored.slice(0, 30)}`);
      assert.deepEqual(JSON.parse(JSON.parse(`"${stored}"`)), JSON.parse(policy));
    },
  },
  {
    correction: "peering-filters",
    async check(emulator) {
      const a = on(emulator);
      const [x, y, z] = [await vpc(a, "10.0.0.0/16"), await vpc(a, "10.1.0.0/16"), await vpc(a, "10.2.0.0/16")];
      await a.ec2.send(new CreateVpcPeeringConnectionCommand({ VpcId: x, PeerVpcId: y }));
      const { VpcPeeringConnection } = await a.ec2.send(new CreateVpcPeeringConnectionCommand({ VpcId: x, PeerVpcId: z }));
      const found = await a.ec2.send(new DescribeVpcPeeringConnectionsCommand({ Filters: [{ Name: "accepter-vpc-info.vpc-id", Values: [z] }, { Name: "status-code", Values: ["pending-acceptance", "active"] }] }));
      assert.deepEqual(found.VpcPeeringConnections?.map((p) => p.VpcPeeringConnectionId), [VpcPeeringConnection!.VpcPeeringConnectionId]);
    },
  },
  {
    correction: "peering-tags-per-account",
    async check(emulator) {
      const [requester, accepter] = [on(emulator, ONE), on(emulator, TWO)];
      const { VpcPeeringConnection } = await requester.ec2.send(new CreateVpcPeeringConnectionCommand({
        VpcId: await vpc(requester, "10.0.0.0/16"),
        PeerVpcId: await vpc(accepter, "10.1.0.0/16"),
        PeerOwnerId: TWO,
        TagSpecifications: [{ ResourceType: "vpc-peering-connection", Tags: [{ Key: "Side", Value: "requester" }] }],
      }));
      const id = VpcPeeringConnection!.VpcPeeringConnectionId!;
      await accepter.ec2.send(new CreateTagsCommand({ Resources: [id], Tags: [{ Key: "Side", Value: "accepter" }] }));
      const tags = async (a: Account) => (await a.ec2.send(new DescribeVpcPeeringConnectionsCommand({ VpcPeeringConnectionIds: [id] }))).VpcPeeringConnections![0].Tags;
      assert.deepEqual(await tags(requester), [{ Key: "Side", Value: "requester" }], "the requester's account sees its own tags");
      assert.deepEqual(await tags(accepter), [{ Key: "Side", Value: "accepter" }], "the accepter's account sees its own tags");
    },
  },
  {
    correction: "private-zone-from-vpc",
    async check(emulator) {
      const a = on(emulator);
      const vpcId = await vpc(a, "10.0.0.0/16");
      const { HostedZone } = await a.route53.send(new CreateHostedZoneCommand({ Name: "probe.example.", CallerReference: "probe", VPC: { VPCId: vpcId, VPCRegion: REGION } }));
      const zone = await a.route53.send(new GetHostedZoneCommand({ Id: HostedZone!.Id }));
      assert.equal(zone.HostedZone?.Config?.PrivateZone, true, "a zone created with a VPC is private");
      assert.deepEqual(zone.VPCs?.map((v) => v.VPCId), [vpcId]);
    },
  },
  {
    correction: "subnet-not-default-outside-default-vpc",
    async check(emulator) {
      const a = on(emulator);
      const vpcId = await vpc(a, "10.0.0.0/16");
      const byName = (await a.ec2.send(new CreateSubnetCommand({ VpcId: vpcId, CidrBlock: "10.0.0.0/24", AvailabilityZone: `${REGION}a` }))).Subnet!;
      const byId = (await a.ec2.send(new CreateSubnetCommand({ VpcId: vpcId, CidrBlock: "10.0.1.0/24", AvailabilityZoneId: "apne1-az4" }))).Subnet!;
      for (const subnet of [byName, byId]) {
        assert.deepEqual([subnet.DefaultForAz, subnet.MapPublicIpOnLaunch], [false, false], `${subnet.CidrBlock}: a subnet outside the default VPC is not default for its zone and maps no public IP`);
      }
    },
  },
  {
    correction: "openapi-import-integrations",
    async check(emulator) {
      const a = on(emulator);
      const { id } = await a.apigateway.send(new CreateRestApiCommand({ name: "probe" }));
      const body = JSON.stringify({
        openapi: "3.0.1",
        info: { title: "probe", version: "1" },
        paths: { "/health": { get: { responses: { "200": { description: "ok" } }, "x-amazon-apigateway-integration": { type: "mock", requestTemplates: { "application/json": '{"statusCode": 200}' } } } } },
      });
      await a.apigateway.send(new PutRestApiCommand({ restApiId: id, mode: "overwrite", body: new TextEncoder().encode(body) }));
      const { items = [] } = await a.apigateway.send(new GetResourcesCommand({ restApiId: id }));
      const health = items.find((r) => r.path === "/health");
      const integration = await a.apigateway.send(new GetIntegrationCommand({ restApiId: id, resourceId: health!.id, httpMethod: "GET" }));
      assert.equal(integration.type, "MOCK", "a MOCK integration without uri is imported, its type in upper case");
    },
  },
  {
    correction: "lambda-logging-config",
    async check(emulator) {
      const a = on(emulator);
      const { Role } = await a.iam.send(new CreateRoleCommand({ RoleName: "probe", AssumeRolePolicyDocument: "{}" }));
      const code = { ZipFile: zipSync({ "index.js": new TextEncoder().encode("exports.handler = async () => 1;") }) };
      const create = (name: string, extra: object) => a.lambda.send(new CreateFunctionCommand({ FunctionName: name, Role: Role!.Arn, Runtime: "nodejs22.x", Handler: "index.handler", Code: code, ...extra }));
      await create("configured", { LoggingConfig: { LogFormat: "Text", LogGroup: "/custom/group" } });
      await create("defaulted", {});
      const logging = async (name: string) => (await a.lambda.send(new GetFunctionConfigurationCommand({ FunctionName: name }))).LoggingConfig;
      assert.deepEqual(await logging("configured"), { LogFormat: "Text", LogGroup: "/custom/group" });
      assert.deepEqual(await logging("defaulted"), { LogFormat: "Text", LogGroup: "/aws/lambda/defaulted" });
    },
  },
  {
    correction: "account-role-cleared",
    async check(emulator) {
      const a = on(emulator);
      const { Role } = await a.iam.send(new CreateRoleCommand({ RoleName: "logs", AssumeRolePolicyDocument: "{}" }));
      await a.apigateway.send(new UpdateAccountCommand({ patchOperations: [{ op: "replace", path: "/cloudwatchRoleArn", value: Role!.Arn }] }));
      await a.apigateway.send(new UpdateAccountCommand({ patchOperations: [{ op: "replace", path: "/cloudwatchRoleArn" }] }));
      assert.equal((await a.apigateway.send(new GetAccountCommand({}))).cloudwatchRoleArn, undefined, "replace with no value clears the setting");
    },
  },
  {
    correction: "cloudformation-apigateway-account",
    async check(emulator) {
      const a = on(emulator);
      await a.cloudformation.send(new CreateStackCommand({ StackName: "probe", TemplateBody: JSON.stringify(loggingTemplate("Retain")), Capabilities: ["CAPABILITY_IAM"] }));
      assert.match((await a.apigateway.send(new GetAccountCommand({}))).cloudwatchRoleArn ?? "", /^arn:aws:iam::111111111111:role\/probe-Role-/);
    },
  },
  {
    correction: "retain-except-on-create",
    async check(emulator) {
      const a = on(emulator);
      await a.cloudformation.send(new CreateStackCommand({ StackName: "probe", TemplateBody: JSON.stringify(loggingTemplate("RetainExceptOnCreate")), Capabilities: ["CAPABILITY_IAM"] }));
      const roleName = (await a.apigateway.send(new GetAccountCommand({}))).cloudwatchRoleArn?.split("/").pop() ?? "(no role set)";
      await a.cloudformation.send(new DeleteStackCommand({ StackName: "probe" }));
      await a.iam.send(new GetRoleCommand({ RoleName: roleName })).catch(() => assert.fail(`the role ${roleName} is kept when its stack is deleted`));
    },
  },
  {
    correction: "endpoint-dns-names",
    async check(emulator) {
      const a = on(emulator);
      const vpcId = await vpc(a, "10.0.0.0/16");
      const { Subnet } = await a.ec2.send(new CreateSubnetCommand({ VpcId: vpcId, CidrBlock: "10.0.0.0/24", AvailabilityZone: `${REGION}a` }));
      const { VpcEndpoint } = await a.ec2.send(new CreateVpcEndpointCommand({ VpcId: vpcId, ServiceName: `com.amazonaws.${REGION}.execute-api`, VpcEndpointType: "Interface", SubnetIds: [Subnet!.SubnetId!] }));
      const id = VpcEndpoint!.VpcEndpointId!;
      assert.deepEqual(VpcEndpoint!.DnsEntries!.map((e) => e.DnsName!.replace(/^vpce-[0-9a-f]+-[a-z0-9]+/, "<name>")), [
        `<name>.execute-api.${REGION}.vpce.amazonaws.com`,
        `<name>-${REGION}a.execute-api.${REGION}.vpce.amazonaws.com`,
      ]);
      assert.ok(VpcEndpoint!.DnsEntries![0].DnsName!.startsWith(`${id}-`));
    },
  },
  {
    correction: "endpoint-network-interfaces",
    async check(emulator) {
      const a = on(emulator);
      const vpcId = await vpc(a, "172.31.0.0/16");
      const subnet = async (cidr: string, zone: string) => (await a.ec2.send(new CreateSubnetCommand({ VpcId: vpcId, CidrBlock: cidr, AvailabilityZone: `${REGION}${zone}` }))).Subnet!.SubnetId!;
      const [first, second] = [await subnet("172.31.1.0/24", "a"), await subnet("172.31.2.0/24", "c")];
      const { GroupId } = await a.ec2.send(new CreateSecurityGroupCommand({ VpcId: vpcId, GroupName: "endpoint", Description: "endpoint" }));
      const { VpcEndpoint } = await a.ec2.send(new CreateVpcEndpointCommand({ VpcId: vpcId, ServiceName: `com.amazonaws.${REGION}.execute-api`, VpcEndpointType: "Interface", SubnetIds: [first], SecurityGroupIds: [GroupId!] }));
      await a.ec2.send(new ModifyVpcEndpointCommand({ VpcEndpointId: VpcEndpoint!.VpcEndpointId, AddSubnetIds: [second] }));
      const { VpcEndpoints } = await a.ec2.send(new DescribeVpcEndpointsCommand({ VpcEndpointIds: [VpcEndpoint!.VpcEndpointId!] }));
      const { NetworkInterfaces = [] } = await a.ec2.send(new DescribeNetworkInterfacesCommand({ NetworkInterfaceIds: VpcEndpoints![0].NetworkInterfaceIds }));
      const inside = (address: string, prefix: string) => address.startsWith(prefix) && Number(address.split(".")[3]) >= 4 && Number(address.split(".")[3]) <= 254;
      assert.deepEqual(
        NetworkInterfaces.map((n) => ({ subnet: n.SubnetId, inside: inside(n.PrivateIpAddress!, n.SubnetId === first ? "172.31.1." : "172.31.2."), type: n.InterfaceType, managed: n.RequesterManaged, groups: n.Groups?.map((g) => g.GroupId) })).sort((x, y) => String(x.subnet).localeCompare(String(y.subnet))),
        [first, second].sort().map((s) => ({ subnet: s, inside: true, type: "vpc_endpoint", managed: true, groups: [GroupId] })),
        `one requester-managed vpc_endpoint interface per subnet, its address inside the subnet, with the endpoint's group; got ${NetworkInterfaces.map((n) => `${n.SubnetId} ${n.PrivateIpAddress} ${n.InterfaceType}`).join(", ")}`,
      );
    },
  },
  {
    correction: "endpoint-private-dns-modify",
    async check(emulator) {
      const a = on(emulator);
      const vpcId = await vpc(a, "172.31.0.0/16");
      const { Subnet } = await a.ec2.send(new CreateSubnetCommand({ VpcId: vpcId, CidrBlock: "172.31.1.0/24", AvailabilityZone: `${REGION}a` }));
      const { VpcEndpoint } = await a.ec2.send(new CreateVpcEndpointCommand({ VpcId: vpcId, ServiceName: `com.amazonaws.${REGION}.execute-api`, VpcEndpointType: "Interface", SubnetIds: [Subnet!.SubnetId!], PrivateDnsEnabled: true }));
      await a.ec2.send(new ModifyVpcEndpointCommand({ VpcEndpointId: VpcEndpoint!.VpcEndpointId, PrivateDnsEnabled: false }));
      const { VpcEndpoints } = await a.ec2.send(new DescribeVpcEndpointsCommand({ VpcEndpointIds: [VpcEndpoint!.VpcEndpointId!] }));
      assert.equal(VpcEndpoints![0].PrivateDnsEnabled, false, "ModifyVpcEndpoint turns private DNS off");
    },
  },
  {
    correction: "stage-serves-deployment",
    async check(emulator) {
      const a = on(emulator);
      const policy = (sid: string) => JSON.stringify({ Version: "2012-10-17", Statement: [{ Sid: sid, Effect: "Allow", Principal: "*", Action: "execute-api:Invoke", Resource: "*" }] });
      const { id: restApiId } = await a.apigateway.send(new CreateRestApiCommand({ name: "probe", policy: policy("First") }));
      const root = (await a.apigateway.send(new GetResourcesCommand({ restApiId }))).items!.find((r) => r.path === "/")!.id;
      const { id: resourceId } = await a.apigateway.send(new CreateResourceCommand({ restApiId, parentId: root, pathPart: "pets" }));
      const method = { restApiId, resourceId, httpMethod: "GET" };
      await a.apigateway.send(new PutMethodCommand({ ...method, authorizationType: "NONE" }));
      await a.apigateway.send(new PutIntegrationCommand({ ...method, type: "MOCK", requestTemplates: { "application/json": '{"statusCode": 200}' } }));
      await a.apigateway.send(new PutMethodResponseCommand({ ...method, statusCode: "200" }));
      await a.apigateway.send(new PutIntegrationResponseCommand({ ...method, statusCode: "200", responseTemplates: { "application/json": "[1]" } }));
      const first = await a.apigateway.send(new CreateDeploymentCommand({ restApiId }));
      await a.apigateway.send(new CreateStageCommand({ restApiId, stageName: "v1", deploymentId: first.id }));
      await a.apigateway.send(new UpdateRestApiCommand({ restApiId, patchOperations: [{ op: "replace", path: "/policy", value: policy("Second") }] }));
      const exported = async () => JSON.parse(new TextDecoder().decode((await a.apigateway.send(new GetExportCommand({ restApiId, stageName: "v1", exportType: "swagger", parameters: { extensions: "apigateway" }, accepts: "application/json" }))).body));
      const before = await exported();
      assert.equal(before["x-amazon-apigateway-policy"]?.Statement?.[0]?.Sid, "First", "a policy changed without a redeploy is not what the stage serves");
      assert.deepEqual(before.paths?.["/pets"]?.get?.["x-amazon-apigateway-integration"]?.responses?.default?.responseTemplates, { "application/json": "[1]" }, "the stage's export carries the mock integration");
      const second = await a.apigateway.send(new CreateDeploymentCommand({ restApiId }));
      await a.apigateway.send(new UpdateStageCommand({ restApiId, stageName: "v1", patchOperations: [{ op: "replace", path: "/deploymentId", value: second.id }] }));
      assert.equal((await exported())["x-amazon-apigateway-policy"]?.Statement?.[0]?.Sid, "Second", "after a redeploy the stage serves the new policy");
    },
  },
];

/** A function `name` in account ONE (made with the suite's own key), for probes of how the emulator authorizes Lambda. */
async function probeFunction(emulator: Emulator, name: string): Promise<string> {
  const a = on(emulator);
  const { Role } = await a.iam.send(new CreateRoleCommand({ RoleName: `${name}-role`, AssumeRolePolicyDocument: "{}" }));
  const code = { ZipFile: zipSync({ "index.js": new TextEncoder().encode("exports.handler = async () => 1;") }) };
  await a.lambda.send(new CreateFunctionCommand({ FunctionName: name, Role: Role!.Arn, Runtime: "nodejs22.x", Handler: "index.handler", Code: code }));
  return Role!.Arn!;
}

/**
 * How the emulator authorizes, once its IAM checks are on (the `permissions` scenario): each probe
 * acts as a user allowed exactly some actions, as AWS names them.
 */
const AUTHORIZATION_PROBES: Probe[] = [
  {
    correction: "signature-over-request-as-sent",
    async check(emulator) {
      await probeFunction(emulator, "signed");
      await asUserAllowed(emulator, ONE, REGION, ["apigateway:GET", "apigateway:GetRestApis", "lambda:InvokeFunction", "lambda:Invoke"], async (as) => {
        // A GET without a body, and a request whose query is encoded on the wire ($LATEST as %24LATEST).
        await as.apigateway.send(new GetRestApisCommand({}));
        await as.lambda.send(new InvokeCommand({ FunctionName: "signed", Qualifier: "$LATEST", Payload: new TextEncoder().encode("{}") }));
      });
    },
  },
  {
    correction: "apigateway-actions-by-method",
    async check(emulator) {
      await asUserAllowed(emulator, ONE, REGION, ["apigateway:GET"], async (as) => {
        await as.apigateway.send(new GetRestApisCommand({}));
        const error = await deniedWith(as.apigateway.send(new CreateRestApiCommand({ name: "probe" })), "CreateRestApi with apigateway:GET only");
        assert.match(error.message, /not authorized to perform: apigateway:POST/);
      });
    },
  },
  {
    correction: "lambda-invoke-action",
    async check(emulator) {
      await probeFunction(emulator, "invoked");
      await asUserAllowed(emulator, ONE, REGION, ["lambda:InvokeFunction"], (as) => as.lambda.send(new InvokeCommand({ FunctionName: "invoked", Payload: new TextEncoder().encode("{}") })));
    },
  },
  {
    correction: "access-denied-in-service-protocol",
    async check(emulator) {
      await asUserAllowed(emulator, ONE, REGION, ["sts:GetCallerIdentity"], async (as) => {
        const calls: [() => Promise<unknown>, string, string][] = [
          [() => as.lambda.send(new ListFunctionsCommand({})), "lambda:ListFunctions", "AccessDeniedException"],
          [() => as.apigateway.send(new GetRestApisCommand({})), "apigateway:GET", "AccessDeniedException"],
          [() => as.route53.send(new ListHostedZonesCommand({})), "route53:ListHostedZones", "AccessDenied"],
          [() => as.iam.send(new ListRolesCommand({})), "iam:ListRoles", "AccessDenied"],
          [() => as.cloudformation.send(new ListStacksCommand({})), "cloudformation:ListStacks", "AccessDenied"],
          [() => as.ec2.send(new DescribeVpcsCommand({})), "ec2:DescribeVpcs", "UnauthorizedOperation"],
        ];
        await allOf(calls.map(([call, action, code]) => async () => {
          const error = await deniedWith(call(), action);
          assert.deepEqual([error.name, /not authorized to perform: ([\w:]+)/.exec(error.message)?.[1]], [code, action], `${action} denied: the SDK reads AWS's ${code} naming the action`);
        }));
      });
    },
  },
  {
    correction: "tag-on-create-checked",
    async check(emulator) {
      await asUserAllowed(emulator, ONE, REGION, ["ec2:CreateVpc"], async (as) => {
        await as.ec2.send(new CreateVpcCommand({ CidrBlock: "10.0.0.0/16" }));
        const tagged = new CreateVpcCommand({ CidrBlock: "10.1.0.0/16", TagSpecifications: [{ ResourceType: "vpc", Tags: [{ Key: "Stack", Value: "probe" }] }] });
        assert.match((await deniedWith(as.ec2.send(tagged), "CreateVpc with tags and no ec2:CreateTags")).message, /not authorized to perform: ec2:CreateTags/);
      });
    },
  },
  {
    correction: "pass-role-checked",
    async check(emulator) {
      const role = await probeFunction(emulator, "existing");
      const code = { ZipFile: zipSync({ "index.js": new TextEncoder().encode("exports.handler = async () => 1;") }) };
      const create = (as: Account) => as.lambda.send(new CreateFunctionCommand({ FunctionName: "passed", Role: role, Runtime: "nodejs22.x", Handler: "index.handler", Code: code }));
      await asUserAllowed(emulator, ONE, REGION, ["lambda:CreateFunction"], async (as) => {
        assert.match((await deniedWith(create(as), "CreateFunction without iam:PassRole")).message, /not authorized to perform: iam:PassRole/);
      });
      await asUserAllowed(emulator, ONE, REGION, ["lambda:CreateFunction", "iam:PassRole"], create);
    },
  },
  {
    correction: "rest-api-policy-action-checked",
    async check(emulator) {
      const { id } = await on(emulator).apigateway.send(new CreateRestApiCommand({ name: "probe" }));
      const policy = JSON.stringify({ Version: "2012-10-17", Statement: [{ Effect: "Allow", Principal: "*", Action: "execute-api:Invoke", Resource: "*" }] });
      await asUserAllowed(emulator, ONE, REGION, ["apigateway:PATCH", "apigateway:UpdateRestApi"], async (as) => {
        await as.apigateway.send(new UpdateRestApiCommand({ restApiId: id, patchOperations: [{ op: "replace", path: "/description", value: "changed" }] }));
        const update = new UpdateRestApiCommand({ restApiId: id, patchOperations: [{ op: "replace", path: "/policy", value: policy }] });
        assert.match((await deniedWith(as.apigateway.send(update), "a policy update without apigateway:UpdateRestApiPolicy")).message, /not authorized to perform: apigateway:UpdateRestApiPolicy/);
      });
    },
  },
];

/** A stack with a role API Gateway may assume and the region's setting naming it, both with `policy` on delete. */
function loggingTemplate(policy: string) {
  return {
    Resources: {
      Role: { Type: "AWS::IAM::Role", DeletionPolicy: policy, Properties: { AssumeRolePolicyDocument: { Version: "2012-10-17", Statement: [{ Effect: "Allow", Principal: { Service: "apigateway.amazonaws.com" }, Action: "sts:AssumeRole" }] } } },
      Account: { Type: "AWS::ApiGateway::Account", DeletionPolicy: policy, Properties: { CloudWatchRoleArn: { "Fn::GetAtt": ["Role", "Arn"] } } },
    },
  };
}

/**
 * Each correction of the launcher on its own: the probe passes on the launcher (AWS's behaviour),
 * and fails on moto with that correction turned off (the difference is still moto's, so the
 * correction is still needed). Each probe runs on an emptied emulator: one emulator for every
 * probe, each correction turned off in turn (an installed correction that is off runs moto's own
 * code), where one emulator per correction took ten starts of moto.
 */
export const fidelityScenario: Scenario = {
  name: "emulator-fidelity",
  title: "each correction of moto toward AWS, checked on its own",
  seconds: 40,
  async run(context) {
    const { moto } = context;
    if (!moto) {
      // A running emulator the user named: AWS's behaviour only, each probe on an emptied emulator.
      await allOf([...PROBES, ...AUTHORIZATION_PROBES].map((probe) => () => context.step(probe.correction, async () => {
        await reset(context.emulator);
        await probe.check(context.emulator);
      })));
      return;
    }
    const emulator = await startEmulator(moto, path.join(context.workspace("-probes").dir, "emulator.log"));
    try {
      await allOf([...PROBES, ...AUTHORIZATION_PROBES].map((probe) => () => context.step(probe.correction, async () => {
        await setCorrections(emulator, []);
        await reset(emulator);
        await probe.check(emulator).catch((error: Error) => assert.fail(`with every correction, ${error.message.split("\n")[0]}`));
        await setCorrections(emulator, [probe.correction]);
        await reset(emulator);
        const difference = await probe.check(emulator).then(() => undefined, (error: Error) => error);
        assert.ok(difference, `without ${probe.correction}, moto already behaves like AWS: the correction can go`);
      })));
    } finally {
      await emulator.stop();
      context.extraEmulatorCpuSeconds += emulator.cpuSeconds();
    }
  },
};
