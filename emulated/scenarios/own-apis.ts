import assert from "node:assert/strict";
import {
  CreateDeploymentCommand,
  CreateResourceCommand,
  CreateRestApiCommand,
  GetResourcesCommand,
  PutIntegrationCommand,
  PutIntegrationResponseCommand,
  PutMethodCommand,
  PutMethodResponseCommand,
} from "@aws-sdk/client-api-gateway";
import { CreateSecurityGroupCommand, CreateVpcEndpointCommand, DescribeVpcEndpointsCommand } from "@aws-sdk/client-ec2";
import { GetFunctionConfigurationCommand } from "@aws-sdk/client-lambda";
import * as path from "path";
import type { Account } from "../aws";
import { privateZones, restApis, vpcs } from "../aws-state";
import { setLambdaAnswer } from "../emulator/emulator";
import { applied, canaryAnswer, configFile } from "../rollout";
import { allOf, Scenario } from "../scenario";
import { existingVpc } from "./many-consumers";
import { canaryPasses, outcome, stopTwin, twinLog } from "../twin/checks";
import { Twin } from "../twin/twin";

/**
 * A platform team's shared VPC in account B with its own execute-api endpoint (private DNS on) and
 * a private API another team manages (MOCK GET /ping, deployed to "prod", its own resource policy),
 * all made with the SDK before the rollout.
 */
async function sharedVpc(b: Account, consumerCidrs: string[]) {
  const vpc = await existingVpc(b, "172.31.0.0/16");
  const { GroupId } = await b.ec2.send(new CreateSecurityGroupCommand({ GroupName: "shared-endpoint", Description: "the platform team's endpoint group", VpcId: vpc.vpcId }));
  const { VpcEndpoint } = await b.ec2.send(new CreateVpcEndpointCommand({ VpcId: vpc.vpcId, ServiceName: `com.amazonaws.${b.region}.execute-api`, VpcEndpointType: "Interface", SubnetIds: vpc.subnetIds, SecurityGroupIds: [GroupId!], PrivateDnsEnabled: true }));
  const vpce = VpcEndpoint!.VpcEndpointId!;
  const arn = (id: string) => `arn:aws:execute-api:${b.region}:${b.accountId}:${id}/*`;
  const { id } = await b.apigateway.send(new CreateRestApiCommand({ name: "ledger-api", endpointConfiguration: { types: ["PRIVATE"], vpcEndpointIds: [vpce] } }));
  // Its owner's policy: the documented one, admitting the shared endpoint and the consumers.
  const policy = JSON.stringify({
    Version: "2012-10-17",
    Statement: [
      { Effect: "Allow", Principal: "*", Action: "execute-api:Invoke", Resource: arn(id!) },
      { Effect: "Deny", Principal: "*", Action: "execute-api:Invoke", Resource: arn(id!), Condition: { StringNotEquals: { "aws:SourceVpce": vpce } } },
      { Effect: "Deny", Principal: "*", Action: "execute-api:Invoke", Resource: arn(id!), Condition: { NotIpAddress: { "aws:VpcSourceIp": consumerCidrs } } },
    ],
  });
  await b.apigateway.send(new (await import("@aws-sdk/client-api-gateway")).UpdateRestApiCommand({ restApiId: id, patchOperations: [{ op: "replace", path: "/policy", value: policy }] }));
  const { items = [] } = await b.apigateway.send(new GetResourcesCommand({ restApiId: id }));
  const { id: ping } = await b.apigateway.send(new CreateResourceCommand({ restApiId: id, parentId: items[0].id, pathPart: "ping" }));
  await b.apigateway.send(new PutMethodCommand({ restApiId: id, resourceId: ping, httpMethod: "GET", authorizationType: "NONE" }));
  await b.apigateway.send(new PutIntegrationCommand({ restApiId: id, resourceId: ping, httpMethod: "GET", type: "MOCK", requestTemplates: { "application/json": '{"statusCode": 200}' } }));
  await b.apigateway.send(new PutMethodResponseCommand({ restApiId: id, resourceId: ping, httpMethod: "GET", statusCode: "200" }));
  await b.apigateway.send(new PutIntegrationResponseCommand({ restApiId: id, resourceId: ping, httpMethod: "GET", statusCode: "200", responseTemplates: { "application/json": '{"pong":true}' } }));
  await b.apigateway.send(new CreateDeploymentCommand({ restApiId: id, stageName: "prod" }));
  return { vpc, vpce, groupId: GroupId!, apiId: id!, policy };
}

/**
 * Your API, not the PetStore: a configuration naming an OpenAPI file (examples/own-api/orders.yaml: a
 * MOCK /health and an HTTP_PROXY integration stored as configured) and an existing API, in B's
 * shared VPC behind its existing endpoint, reached by account A and a further consumer: the
 * rollout of docs/rollout.md; every zone, policy and canary target checked in the emulated accounts; the
 * existing API and endpoint left as they were; then the OpenAPI API removed from the list (its
 * zones go, the existing API's stay).
 */
export const ownApisScenario: Scenario = {
  name: "own-apis",
  title: "an OpenAPI API and an existing one behind B's existing endpoint, two consumers, one API removed",
  seconds: 300,
  twin: true,
  async run(context) {
    const example = configFile("config/example.json");
    const consumers = [
      { stack: "account-a", ...example.accountA },
      { stack: "consumer-billing", name: "billing", accountId: "333333333333", region: example.accountB.region, vpcCidr: "10.1.0.0/16" },
    ];
    const b = context.account(example.accountB.accountId, example.accountB.region);
    const shared = await context.step("account B already has a shared VPC, its execute-api endpoint (private DNS on) and another team's private API", () => sharedVpc(b, consumers.map((c) => c.vpcCidr)));
    const config = {
      name: "platform",
      accountA: example.accountA,
      accountB: {
        ...example.accountB,
        existingVpc: shared.vpc,
        existingEndpoint: { vpcEndpointId: shared.vpce },
        // The platform team's baseline manages the region's logging role.
        manageApiGatewayAccount: false,
      },
      consumers: [{ name: "billing", accountId: consumers[1].accountId, region: consumers[1].region, vpcCidr: consumers[1].vpcCidr }],
      apis: [
        { name: "orders", stageName: "v1", openApi: path.join(__dirname, "../../examples/own-api/orders.yaml"), probe: { path: "/health", expectBody: '{"status":"ok"}' } },
        { name: "ledger", stageName: "prod", restApiId: shared.apiId, probe: { path: "/ping", expectBody: '{"pong":true}' } },
      ],
    };
    const workspace = context.workspace();
    await workspace.synthesize(config);
    for (const c of consumers) await setLambdaAnswer(context.emulator, c.accountId, c.region, canaryAnswer());
    // The data-plane twin follows the rollout; it is stopped whatever happens.
    const twinStarted = Twin.start({ emulator: context.emulator, accounts: [...consumers, b].map(({ accountId, region }) => ({ accountId, region })), log: twinLog(workspace) });
    twinStarted.catch(() => undefined);
    try {
      await rolloutAndChecks(context, workspace, config, consumers, b, shared, await twinStarted);
    } finally {
      await stopTwin(context, await twinStarted.catch(() => undefined));
    }
  },
};

async function rolloutAndChecks(context: Parameters<Scenario["run"]>[0], workspace: ReturnType<Parameters<Scenario["run"]>[0]["workspace"]>, config: any, consumers: any[], b: Account, shared: Awaited<ReturnType<typeof sharedVpc>>, twin: Twin): Promise<void> {

    await context.step("deploy account-b (first)", () => workspace.deploy("account-b"));
    await context.step("deploy account-a, consumer-billing", () => Promise.all(consumers.map((c) => workspace.deploy(c.stack))));
    await context.step("deploy account-b (second: accepts the requests)", () => workspace.deploy("account-b"));

    const apis = await restApis(b);
    const orders = apis.find((api) => api.name === "platform-orders");
    await context.step("B: the OpenAPI API is private, behind the shared endpoint, with the project's policy and a deployed stage; the existing API and the endpoint are as they were", async () => {
      const [endpoint] = (await b.ec2.send(new DescribeVpcEndpointsCommand({ VpcEndpointIds: [shared.vpce] }))).VpcEndpoints ?? [];
      const ledger = apis.find((api) => api.id === shared.apiId);
      await allOf([
        () => assert.ok(orders, `B holds the API from orders.yaml: ${apis.map((a) => a.name)}`),
        () => assert.deepEqual([orders?.endpointConfiguration?.types, orders?.endpointConfiguration?.vpcEndpointIds], [["PRIVATE"], [shared.vpce]]),
        () => assert.deepEqual(orders?.policy?.Statement?.map((s: any) => s.Sid), ["AllowInvoke", "DenyOtherEndpoints", "DenyOtherSourceRanges"]),
        () => assert.deepEqual(orders?.stages.map((s: any) => s.stageName), ["v1"]),
        () => assert.equal(JSON.stringify(ledger?.policy), JSON.stringify(JSON.parse(shared.policy)), "the existing API keeps its owner's policy"),
        () => assert.equal(ledger?.deployments.length, 1, "the existing API is not redeployed"),
        () => assert.equal(endpoint?.PrivateDnsEnabled, true, "the shared endpoint keeps its private DNS"),
        () => assert.equal(endpoint?.PolicyDocument === undefined || !endpoint.PolicyDocument.includes(orders?.id ?? "-"), true, "the shared endpoint keeps its policy (the statement it needs is an output)"),
        () => assert.ok(endpoint?.Groups?.some((g) => g.GroupId === shared.groupId) && (endpoint?.Groups?.length ?? 0) === 2, `the project's group is associated beside the team's: ${JSON.stringify(endpoint?.Groups)}`),
      ]);
    });

    await context.step("every consumer: a private hosted zone per API in its own VPC aliasing the shared endpoint, and the canary probing both APIs by every method", async () => {
      await allOf(consumers.map((c) => async () => {
        const account = context.account(c.accountId, c.region);
        const zones = await privateZones(account);
        assert.deepEqual(zones.map((z) => z.name).sort(), [`${orders!.id}.execute-api.${b.region}.amazonaws.com.`, `${shared.apiId}.execute-api.${b.region}.amazonaws.com.`].sort(), `${c.stack}'s zones`);
        for (const zone of zones) assert.match(zone.alias?.name ?? "", new RegExp(`^${shared.vpce}-`), `${c.stack}: ${zone.name} aliases the shared endpoint`);
        const fn = await account.lambda.send(new GetFunctionConfigurationCommand({ FunctionName: `platform-${c.stack}-canary` }));
        const targets = JSON.parse(fn.Environment?.Variables?.CANARY_TARGETS ?? "[]");
        assert.deepEqual(targets.map((t: any) => t.method), ["orders/private-dns", "orders/host-header", "orders/api-id-header", "orders/endpoint-alias", "ledger/private-dns", "ledger/host-header", "ledger/api-id-header", "ledger/endpoint-alias"]);
        assert.ok(targets.some((t: any) => t.url === `https://${shared.apiId}.execute-api.${b.region}.amazonaws.com/prod/ping` && t.expectBody === '{"pong":true}'), `${c.stack}: the canary calls ledger's probe`);
      }));
    });

    await twin.sync();
    await twin.attachLambdaRunner();
    const vpcOf = async (c: any) => (await vpcs(context.account(c.accountId, c.region))).find((v) => v.cidr === c.vpcCidr)!.id;
    const url = (apiId: string, stage: string, path: string) => `https://${apiId}.execute-api.${b.region}.amazonaws.com/${stage}${path}`;
    const endpointName = twin.model.endpoints.find((e) => e.id === shared.vpce)!.dnsNames[0];
    await context.step("through the data-plane twin, from each consumer's subnet: orders' GET /v1/health (its OpenAPI MOCK) and ledger's GET /prod/ping (its owner's MOCK), by the API's name and by the Host header through the shared endpoint", async () => {
      await allOf(consumers.map((c) => async () => {
        const client = twin.client({ vpcId: await vpcOf(c) });
        const got = {
          orders: outcome(await twin.curl(client.id, url(orders!.id!, "v1", "/health"))),
          ordersByHost: outcome(await twin.curl(client.id, `https://${endpointName}/v1/health`, { headers: { Host: `${orders!.id}.execute-api.${b.region}.amazonaws.com` } })),
          ledger: outcome(await twin.curl(client.id, url(shared.apiId, "prod", "/ping"))),
          ledgerByHost: outcome(await twin.curl(client.id, `https://${endpointName}/prod/ping`, { headers: { Host: `${shared.apiId}.execute-api.${b.region}.amazonaws.com` } })),
        };
        assert.deepEqual(got, { orders: '200 {"status":"ok"}', ordersByHost: '200 {"status":"ok"}', ledger: '200 {"pong":true}', ledgerByHost: '200 {"pong":true}' }, `${c.stack} from ${client.address}`);
      }));
    });
    await context.step("each consumer's canary invoked through Lambda, its own code in its subnet: both APIs, every method ok", async () => {
      const methods = ["orders/private-dns", "orders/host-header", "orders/api-id-header", "orders/endpoint-alias", "ledger/private-dns", "ledger/host-header", "ledger/api-id-header", "ledger/endpoint-alias"];
      for (const c of consumers) await canaryPasses(twin, context.account(c.accountId, c.region), await vpcOf(c), methods);
    });

    await context.step("orders removed from apis: B destroys its API, each consumer its zone; the existing API's zones stay", async () => {
      await workspace.synthesize({ ...config, apis: config.apis.slice(1) });
      const destroyed = [applied(await workspace.deploy("account-b")).destroyed, ...(await Promise.all(consumers.map(async (c) => applied(await workspace.deploy(c.stack)).destroyed)))];
      await allOf([
        () => assert.ok(destroyed.every((n) => n > 0), `each stack destroys what it held for orders: ${destroyed}`),
        async () => assert.deepEqual((await restApis(b)).map((api) => api.id), [shared.apiId], "only the existing API is left in B"),
        ...consumers.map((c) => async () => {
          const zones = await privateZones(context.account(c.accountId, c.region));
          assert.deepEqual(zones.map((z) => z.name), [`${shared.apiId}.execute-api.${b.region}.amazonaws.com.`], `${c.stack} keeps the existing API's zone only`);
        }),
      ]);
    });

    await context.step("after orders' removal, from each consumer: orders' name -> NXDOMAIN (its zone is gone); ledger still answers", async () => {
      await twin.sync();
      await allOf(consumers.map((c) => async () => {
        const client = twin.client({ vpcId: await vpcOf(c) });
        const dug = await twin.dig(client.id, `${orders!.id}.execute-api.${b.region}.amazonaws.com`);
        assert.equal(dug.status, "NXDOMAIN", `${c.stack}: ${dug.output}`);
        assert.equal(outcome(await twin.curl(client.id, url(shared.apiId, "prod", "/ping"))), '200 {"pong":true}', c.stack);
      }));
    });
}
