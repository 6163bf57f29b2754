/**
 * Checks that ride on a deployment the twin models: the seed article's calls from a consumer's
 * client subnet, the canary's own code answering through the emulated Lambda, the article's
 * checklist broken the way a person breaks it (with the SDK) and fixed again, and the callers
 * that must not get in. Each takes the twin and the accounts, so any scenario can run them.
 */
import assert from "node:assert/strict";
import { appendFileSync } from "node:fs";
import { join } from "node:path";
import {
  AcceptVpcPeeringConnectionCommand,
  AuthorizeSecurityGroupIngressCommand,
  CreateNetworkAclEntryCommand,
  CreateRouteCommand,
  CreateSecurityGroupCommand,
  CreateSubnetCommand,
  CreateVpcCommand,
  CreateVpcEndpointCommand,
  CreateVpcPeeringConnectionCommand,
  DescribeRouteTablesCommand,
  ModifyVpcAttributeCommand,
  DeleteNetworkAclEntryCommand,
  DeleteRouteCommand,
  ModifyVpcEndpointCommand,
  RevokeSecurityGroupIngressCommand,
} from "@aws-sdk/client-ec2";
import { CreateDeploymentCommand, UpdateRestApiCommand, UpdateStageCommand } from "@aws-sdk/client-api-gateway";
import { InvokeCommand } from "@aws-sdk/client-lambda";
import type { Account } from "../aws";
import { PETS } from "../../lib/constructs/private-rest-api";
import { privateDnsDomain } from "./dns";
import type { ApiModel, EndpointModel, HostModel, SubnetModel } from "./model";
import type { Twin } from "./twin";

export const PETS_JSON = JSON.stringify(PETS);
const FORBIDDEN_JSON = JSON.stringify({ message: "Forbidden" });

/** Runs a check as a named step (the scenario's `step`), or plainly. */
export type Step = <T>(title: string, body: () => Promise<T>) => Promise<T>;

/** What the article's calls need to know, read from the twin's model (what the accounts hold). */
export interface ArticleFacts {
  readonly api: ApiModel;
  readonly stage: string;
  readonly endpoint: EndpointModel;
  /** `<api-id>.execute-api.<region>.amazonaws.com`. */
  readonly apiHost: string;
  /** `<api-id>-<vpce-id>.execute-api.<region>.amazonaws.com`. */
  readonly aliasHost: string;
  readonly regionalName: string;
  readonly zonalNames: string[];
  /** A client in the consumer's (A's) first subnet, and one in the API owner's (B's). */
  readonly clientA: HostModel;
  readonly clientB: HostModel;
}

/** The private API and B's execute-api endpoint in `b`, and clients in `a` and `b`. */
export function articleFacts(twin: Twin, a: Account, b: Account): ArticleFacts {
  const model = twin.model;
  const api = model.apis.find((x) => x.accountId === b.accountId && x.region === b.region && x.types.includes("PRIVATE"));
  assert.ok(api, `account B (${b.accountId}) holds a PRIVATE REST API in ${b.region}`);
  const endpoint = model.endpoints.find((e) => e.accountId === b.accountId && e.region === b.region && api.vpcEndpointIds.includes(e.id));
  assert.ok(endpoint, `B's API is associated with an execute-api endpoint in B's account; model: ${JSON.stringify(model.endpoints.map((e) => e.id))}`);
  const domain = privateDnsDomain(endpoint);
  return {
    api,
    stage: api.stages[0].name,
    endpoint,
    apiHost: `${api.id}.${domain}`,
    aliasHost: `${api.id}-${endpoint.id}.${domain}`,
    regionalName: endpoint.dnsNames[0],
    zonalNames: endpoint.dnsNames.slice(1),
    clientA: twin.client({ accountId: a.accountId }),
    clientB: twin.client({ vpcId: endpoint.vpcId }),
  };
}

/** The outcome of a curl, in the words a person would use: `200 <body>`, `timeout`, `dns`, `tls`. */
export function outcome(result: Awaited<ReturnType<Twin["curl"]>>): string {
  if (result.status !== undefined) return `${result.status} ${result.body}`;
  const kind = { 6: "dns (could not resolve)", 7: "connect (refused)", 28: "timeout", 35: "tls", 60: "tls (certificate)" }[result.exit] ?? `curl exit ${result.exit}`;
  return `${kind}: ${result.error}`;
}

/** The article's calls, verbatim, from A's client; the same from B's client through private DNS. Returns the lines it printed. */
export async function articleCalls(twin: Twin, facts: ArticleFacts, step: Step): Promise<string[]> {
  const path = `/${facts.stage}/pets/`;
  const lines: string[] = [];
  const from = (host: HostModel) => `${host.kind} ${host.address} (${host.subnetId})`;
  const expectBody = async (title: string, host: HostModel, url: string, headers: Record<string, string> | undefined, status: number, body: string) => {
    await step(title, async () => {
      const result = await twin.curl(host.id, url, { headers });
      lines.push(`$ ${result.command}    # from ${from(host)}\n${outcome(result)}`);
      assert.equal(outcome(result), `${status} ${body}`, `${result.command} from ${from(host)}`);
    });
  };
  await expectBody("A: curl -H \"Host: <api>\" https://<regional vpce name>/v1/pets/ -> the pets", facts.clientA, `https://${facts.regionalName}${path}`, { Host: facts.apiHost }, 200, PETS_JSON);
  for (const zonal of facts.zonalNames) await expectBody(`A: the same through the zonal name ${zonal.split(".")[0]}`, facts.clientA, `https://${zonal}${path}`, { Host: facts.apiHost }, 200, PETS_JSON);
  await expectBody("A: without the Host header -> {\"message\":\"Forbidden\"}", facts.clientA, `https://${facts.regionalName}${path}`, undefined, 403, FORBIDDEN_JSON);
  await step("A: dig <api-id>.execute-api... -> B's endpoint addresses (A's private hosted zone)", async () => {
    const dug = await twin.dig(facts.clientA.id, facts.apiHost);
    lines.push(`$ dig ${facts.apiHost}    # from ${from(facts.clientA)}\n${dug.status} ${dug.addresses.join(" ")}`);
    assert.deepEqual({ status: dug.status, addresses: dug.addresses.sort() }, { status: "NOERROR", addresses: facts.endpoint.interfaces.map((i) => i.address).sort() });
  });
  await expectBody("A: curl https://<api-id>.execute-api.../v1/pets/ -> the pets", facts.clientA, `https://${facts.apiHost}${path}`, undefined, 200, PETS_JSON);
  await expectBody("A: curl https://<api-id>-<vpce-id>.execute-api.../v1/pets/ -> the pets", facts.clientA, `https://${facts.aliasHost}${path}`, undefined, 200, PETS_JSON);
  await expectBody("A: x-apigw-api-id header -> the pets", facts.clientA, `https://${facts.regionalName}${path}`, { "x-apigw-api-id": facts.api.id }, 200, PETS_JSON);
  await step("B: dig <api-id>.execute-api... -> a CNAME to execute-api.<region>.amazonaws.com, then the endpoint's addresses (private DNS)", async () => {
    const dug = await twin.dig(facts.clientB.id, facts.apiHost);
    lines.push(`$ dig ${facts.apiHost}    # from ${from(facts.clientB)}\n${dug.status} ${[...dug.cnames.map((c) => `CNAME ${c}`), ...dug.addresses].join(" ")}`);
    assert.deepEqual({ status: dug.status, cnames: dug.cnames, addresses: dug.addresses.sort() }, { status: "NOERROR", cnames: [privateDnsDomain(facts.endpoint)], addresses: facts.endpoint.interfaces.map((i) => i.address).sort() });
  });
  await expectBody("B: curl https://<api-id>.execute-api.../v1/pets/ -> the pets (B's own caller, private DNS)", facts.clientB, `https://${facts.apiHost}${path}`, undefined, 200, PETS_JSON);
  return lines;
}

/**
 * The article's three calls from another consumer's client (`label`): the `Host` header through the
 * endpoint's public name, `dig` of the API's name (its own zone), and the API's name itself.
 */
export async function callsFrom(twin: Twin, facts: ArticleFacts, host: HostModel, label: string, step: Step): Promise<void> {
  const pets = `/${facts.stage}/pets/`;
  await step(`${label}: curl -H "Host: <api>" https://<regional vpce name>/v1/pets/, dig <api-id>.execute-api..., curl https://<api-id>.execute-api.../v1/pets/ -> the pets, B's endpoint, the pets`, async () => {
    const viaHost = outcome(await twin.curl(host.id, `https://${facts.regionalName}${pets}`, { headers: { Host: facts.apiHost } }));
    const dug = await twin.dig(host.id, facts.apiHost);
    const byName = outcome(await twin.curl(host.id, `https://${facts.apiHost}${pets}`));
    assert.deepEqual(
      { viaHost, dig: `${dug.status} ${dug.addresses.sort().join(" ")}`, byName },
      { viaHost: `200 ${PETS_JSON}`, dig: `NOERROR ${facts.endpoint.interfaces.map((i) => i.address).sort().join(" ")}`, byName: `200 ${PETS_JSON}` },
      `${label}'s calls from ${host.address} (${host.subnetId})`,
    );
  });
}

/** The canary's answer, invoked as Terraform and the doctor invoke it (Lambda's Invoke through the emulator). */
export async function invokeCanary(consumer: Account, functionName: string): Promise<{ ok: boolean; results: { method: string; ok: boolean; error?: string; status?: number }[] }> {
  const answered = await consumer.lambda.send(new InvokeCommand({ FunctionName: functionName, Payload: new TextEncoder().encode("{}") }));
  const text = new TextDecoder().decode(answered.Payload);
  assert.ok(!answered.FunctionError, `the canary failed to run: ${answered.FunctionError}: ${text}`);
  return JSON.parse(text);
}

/** The canary in `consumer`'s subnets (of `vpcId` when several consumers share the account), from the model. */
export function canaryName(twin: Twin, consumer: Account, vpcId?: string): string {
  const inVpc = (subnetId: string) => !vpcId || twin.model.subnets.some((s) => s.id === subnetId && s.vpcId === vpcId);
  const fn = twin.model.functions.find((f) => f.accountId === consumer.accountId && f.region === consumer.region && f.hostId && inVpc(f.subnetIds[0]));
  assert.ok(fn, `a function in a VPC of ${consumer.accountId}${vpcId ? ` (${vpcId})` : ""} (the canary)`);
  return fn.name;
}

/** Invokes the canary through Lambda and checks that the twin ran it (its own code in its subnet), not the emulator's canned answer. */
async function invokeInTwin(twin: Twin, consumer: Account, functionName: string): Promise<Awaited<ReturnType<typeof invokeCanary>>> {
  const before = twin.invocations;
  const answer = await invokeCanary(consumer, functionName);
  assert.equal(twin.invocations, before + 1, `${functionName} ran in the twin (its own code in its subnet), not as the emulator's canned answer`);
  return answer;
}

/** Every method of the canary ok; with `methods`, exactly those were probed (`orders/private-dns`, ...). */
export async function canaryPasses(twin: Twin, consumer: Account, vpcId?: string, methods?: string[]): Promise<void> {
  const answer = await invokeInTwin(twin, consumer, canaryName(twin, consumer, vpcId));
  assert.ok(answer.ok && answer.results.every((r) => r.ok), `the canary's methods: ${JSON.stringify(answer.results)}`);
  if (methods) assert.deepEqual(answer.results.map((r) => r.method), methods, "the methods the canary probed");
}

/** The canary fails every method with `kind` (`timeout`, `status`, `dns`); `only` limits it to some methods. */
async function canaryFailsWith(twin: Twin, consumer: Account, kind: string, only?: string[]): Promise<void> {
  const answer = await invokeInTwin(twin, consumer, canaryName(twin, consumer));
  const failing = answer.results.filter((r) => !only || only.includes(r.method));
  assert.equal(answer.ok, false, `the canary says the path is broken: ${JSON.stringify(answer.results)}`);
  assert.deepEqual(failing.map((r) => `${r.method}: ${r.error?.split(":")[0]}`), failing.map((r) => `${r.method}: ${kind}`), `each method's failure class names the break: ${JSON.stringify(answer.results)}`);
}

/**
 * The resource policy the stage serves, the same without `cidr` in its `aws:VpcSourceIp`
 * conditions (a consumer dropped by hand), and a change of the API's policy with the SDK (which
 * takes effect only once redeployed).
 */
export function apiPolicy(facts: ArticleFacts, b: Account, cidr: string): { policy: any; withoutA: any; setPolicy: (document: unknown) => Promise<unknown> } {
  const policy = facts.api.stages.find((s) => s.name === facts.stage)!.policy as any;
  const withoutA = JSON.parse(JSON.stringify(policy));
  for (const s of withoutA.Statement) {
    const ips = s.Condition?.NotIpAddress?.["aws:VpcSourceIp"];
    if (ips) s.Condition.NotIpAddress["aws:VpcSourceIp"] = (Array.isArray(ips) ? ips : [ips]).filter((c: string) => c !== cidr);
  }
  const setPolicy = (document: unknown) => b.apigateway.send(new UpdateRestApiCommand({ restApiId: facts.api.id, patchOperations: [{ op: "replace", path: "/policy", value: JSON.stringify(document) }] }));
  return { policy, withoutA, setPolicy };
}

/** A break made with the SDK, what the calls show while it holds, and its fix. */
interface Break {
  readonly title: string;
  make(): Promise<void>;
  /** While broken: after `twin.sync()`. */
  check(): Promise<void>;
  fix(): Promise<void>;
}

/** The subnet of a host. */
function subnetOf(twin: Twin, host: HostModel): SubnetModel {
  return twin.model.subnets.find((s) => s.id === host.subnetId)!;
}

/**
 * The article's checklist, one break at a time, each made the way a person would (SDK calls in
 * the account that owns the thing), checked (the article's call fails as AWS fails it, and the
 * canary's failure class names it), fixed, and checked again (the call works).
 */
export async function checklistBreaks(twin: Twin, facts: ArticleFacts, a: Account, b: Account, step: Step): Promise<void> {
  const path = `/${facts.stage}/pets/`;
  const hostHeaderCall = () => twin.curl(facts.clientA.id, `https://${facts.regionalName}${path}`, { headers: { Host: facts.apiHost }, maxTime: 3 });
  const callFails = async (expected: RegExp) => {
    const got = outcome(await hostHeaderCall());
    assert.match(got, expected, `A's call while broken: ${got}`);
  };
  const callWorks = async () => assert.equal(outcome(await hostHeaderCall()), `200 ${PETS_JSON}`, "A's call after the fix");
  const aCidr = twin.model.vpcs.find((v) => v.id === facts.clientA.vpcId)!.cidr;
  const bVpc = twin.model.vpcs.find((v) => v.id === facts.endpoint.vpcId)!;
  const tableOf = (subnet: SubnetModel) => twin.model.routeTables.find((t) => t.id === subnet.routeTableId)!;
  const aTable = tableOf(subnetOf(twin, facts.clientA));
  const aRoute = aTable.routes.find((r) => r.destination === bVpc.cidr && r.target.kind === "peering")!;
  assert.ok(aRoute, `A's client route table ${aTable.id} routes ${bVpc.cidr} through the peering`);
  const peeringId = (aRoute.target as { peeringId: string }).peeringId;
  const bTable = tableOf(twin.model.subnets.find((s) => s.id === facts.endpoint.interfaces[0].subnetId)!);
  const endpointGroup = twin.model.hosts.find((h) => h.id === facts.endpoint.interfaces[0].hostId)!.securityGroups[0];
  const bAcl = twin.model.subnets.find((s) => s.id === facts.endpoint.interfaces[0].subnetId)!.networkAclId!;
  const aclSubnets = twin.model.subnets.filter((s) => s.networkAclId === bAcl).length;
  const stage = facts.stage;
  const { policy, withoutA, setPolicy } = apiPolicy(facts, b, aCidr);
  const deployed = facts.api.stages.find((s) => s.name === stage)!.deploymentId!;
  const redeploy = async () => {
    const { id } = await b.apigateway.send(new CreateDeploymentCommand({ restApiId: facts.api.id, description: "redeployed by the twin scenario" }));
    await b.apigateway.send(new UpdateStageCommand({ restApiId: facts.api.id, stageName: stage, patchOperations: [{ op: "replace", path: "/deploymentId", value: id }] }));
  };
  const canary = (kind: string) => canaryFailsWith(twin, a, kind);

  const breaks: Break[] = [
    {
      title: `2. A's route to B (${bVpc.cidr} in ${aTable.id}) deleted: A's call times out; the canary says timeout`,
      make: async () => void (await a.ec2.send(new DeleteRouteCommand({ RouteTableId: aTable.id, DestinationCidrBlock: bVpc.cidr }))),
      check: async () => Promise.all([callFails(/^timeout/), canary("timeout")]).then(() => undefined),
      fix: async () => void (await a.ec2.send(new CreateRouteCommand({ RouteTableId: aTable.id, DestinationCidrBlock: bVpc.cidr, VpcPeeringConnectionId: peeringId }))),
    },
    {
      title: `2. B's route to A (${aCidr} in ${bTable.id}) deleted: the answer never comes back; the canary says timeout`,
      make: async () => void (await b.ec2.send(new DeleteRouteCommand({ RouteTableId: bTable.id, DestinationCidrBlock: aCidr }))),
      check: async () => Promise.all([callFails(/^timeout/), canary("timeout")]).then(() => undefined),
      fix: async () => void (await b.ec2.send(new CreateRouteCommand({ RouteTableId: bTable.id, DestinationCidrBlock: aCidr, VpcPeeringConnectionId: peeringId }))),
    },
    {
      title: `3. the endpoint's security group rule for A (${aCidr} on 443) revoked: timeout; the canary says timeout`,
      make: async () => void (await b.ec2.send(new RevokeSecurityGroupIngressCommand({ GroupId: endpointGroup, IpPermissions: [{ IpProtocol: "tcp", FromPort: 443, ToPort: 443, IpRanges: [{ CidrIp: aCidr }] }] }))),
      check: async () => Promise.all([callFails(/^timeout/), canary("timeout")]).then(() => undefined),
      fix: async () => void (await b.ec2.send(new AuthorizeSecurityGroupIngressCommand({ GroupId: endpointGroup, IpPermissions: [{ IpProtocol: "tcp", FromPort: 443, ToPort: 443, IpRanges: [{ CidrIp: aCidr, Description: "HTTPS from an allowed source CIDR" }] }] }))),
    },
    {
      title: "4. the resource policy without A's CIDR, redeployed: 403 explicit deny; the canary says status",
      make: async () => {
        await setPolicy(withoutA);
        await redeploy();
      },
      check: async () => Promise.all([callFails(/^403 \{"Message":"User: anonymous is not authorized to perform: execute-api:Invoke on resource: arn:aws:execute-api:[^"]* with an explicit deny"\}$/), canary("status")]).then(() => undefined),
      fix: async () => {
        await setPolicy(policy);
        // 5. Changed back but not redeployed: the stage still serves the policy without A.
        await twin.sync();
        await callFails(/^403 /);
        // The stage back on the deployment it served (its snapshot holds the policy with A): what
        // the stack deployed stays what the stage serves, so nothing is left for drift to find.
        await b.apigateway.send(new UpdateStageCommand({ restApiId: facts.api.id, stageName: stage, patchOperations: [{ op: "replace", path: "/deploymentId", value: deployed }] }));
      },
    },
    {
      title: `a network ACL entry denying TCP 443 from A at B's endpoint subnets (${bAcl}, ${aclSubnets} subnet(s)): timeout; the canary says timeout`,
      make: async () => void (await b.ec2.send(new CreateNetworkAclEntryCommand({ NetworkAclId: bAcl, RuleNumber: 50, Protocol: "6", RuleAction: "deny", Egress: false, CidrBlock: aCidr, PortRange: { From: 443, To: 443 } }))),
      check: async () => Promise.all([callFails(/^timeout/), canary("timeout")]).then(() => undefined),
      fix: async () => void (await b.ec2.send(new DeleteNetworkAclEntryCommand({ NetworkAclId: bAcl, RuleNumber: 50, Egress: false }))),
    },
    {
      title: "private DNS of B's endpoint off: B's own callers get NXDOMAIN for the API's name (A, through its zone and the public vpce name, still gets in)",
      make: async () => void (await b.ec2.send(new ModifyVpcEndpointCommand({ VpcEndpointId: facts.endpoint.id, PrivateDnsEnabled: false }))),
      check: async () => {
        const dug = await twin.dig(facts.clientB.id, facts.apiHost);
        assert.equal(dug.status, "NXDOMAIN", `dig ${facts.apiHost} from B: ${dug.output}`);
        assert.match(outcome(await twin.curl(facts.clientB.id, `https://${facts.apiHost}${path}`)), /^dns/);
        await callWorks();
      },
      fix: async () => void (await b.ec2.send(new ModifyVpcEndpointCommand({ VpcEndpointId: facts.endpoint.id, PrivateDnsEnabled: true }))),
    },
  ];
  for (const broken of breaks) {
    await step(broken.title, async () => {
      await broken.make();
      await twin.sync();
      await broken.check();
      await broken.fix();
      await twin.sync();
      await callWorks();
    });
  }
}

/**
 * Who must not get in: a client in a VPC of another account (`outsider`) that B peers with and
 * routes to, but whose CIDR the endpoint's security group and the policy do not admit (a
 * timeout), and a call through the outsider's own execute-api endpoint with private DNS on (B's
 * policy admits B's endpoint only: 403). Also the article's NXDOMAIN: the API's name in a VPC
 * without A's zone. Everything is made with the SDK, as a person would.
 */
export async function outsidersDenied(twin: Twin, facts: ArticleFacts, b: Account, outsider: Account, step: Step, cidr = "10.9.0.0/16"): Promise<void> {
  const { ec2 } = outsider;
  const path = `/${facts.stage}/pets/`;
  const bVpc = twin.model.vpcs.find((v) => v.id === facts.endpoint.vpcId)!;
  const outsiderClient = await step(`a VPC ${cidr} in ${outsider.accountId}, peered with B (accepted, routed both ways)`, async () => {
    const { Vpc } = await ec2.send(new CreateVpcCommand({ CidrBlock: cidr }));
    const vpcId = Vpc!.VpcId!;
    await ec2.send(new ModifyVpcAttributeCommand({ VpcId: vpcId, EnableDnsSupport: { Value: true } }));
    const { Subnet } = await ec2.send(new CreateSubnetCommand({ VpcId: vpcId, CidrBlock: cidr.replace(/\/16$/, "/24"), AvailabilityZone: `${outsider.region}a` }));
    const { VpcPeeringConnection } = await ec2.send(new CreateVpcPeeringConnectionCommand({ VpcId: vpcId, PeerVpcId: bVpc.id, PeerOwnerId: b.accountId, PeerRegion: b.region }));
    const peeringId = VpcPeeringConnection!.VpcPeeringConnectionId!;
    await b.ec2.send(new AcceptVpcPeeringConnectionCommand({ VpcPeeringConnectionId: peeringId }));
    const { RouteTables = [] } = await ec2.send(new DescribeRouteTablesCommand({ Filters: [{ Name: "vpc-id", Values: [vpcId] }] }));
    await ec2.send(new CreateRouteCommand({ RouteTableId: RouteTables[0].RouteTableId, DestinationCidrBlock: bVpc.cidr, VpcPeeringConnectionId: peeringId }));
    const bTable = twin.model.subnets.find((s) => s.id === facts.endpoint.interfaces[0].subnetId)!.routeTableId!;
    await b.ec2.send(new CreateRouteCommand({ RouteTableId: bTable, DestinationCidrBlock: cidr, VpcPeeringConnectionId: peeringId }));
    await twin.sync();
    return { vpcId, subnetId: Subnet!.SubnetId!, client: twin.client({ vpcId }) };
  });
  await step("the outsider: dig of the API's name -> NXDOMAIN (no private hosted zone of the API there)", async () => {
    const dug = await twin.dig(outsiderClient.client.id, facts.apiHost);
    assert.equal(dug.status, "NXDOMAIN", dug.output);
  });
  await step("the outsider through B's endpoint (Host header): the security group does not admit it -> timeout", async () => {
    const got = outcome(await twin.curl(outsiderClient.client.id, `https://${facts.regionalName}${path}`, { headers: { Host: facts.apiHost }, maxTime: 3 }));
    assert.match(got, /^timeout/);
  });
  await step("the outsider through its own execute-api endpoint (private DNS on, its group admitting it): B's policy -> 403", async () => {
    const { GroupId } = await ec2.send(new CreateSecurityGroupCommand({ VpcId: outsiderClient.vpcId, GroupName: "outsider-execute-api", Description: "HTTPS from the outsider's VPC" }));
    await ec2.send(new AuthorizeSecurityGroupIngressCommand({ GroupId, IpPermissions: [{ IpProtocol: "tcp", FromPort: 443, ToPort: 443, IpRanges: [{ CidrIp: cidr }] }] }));
    await ec2.send(new CreateVpcEndpointCommand({ VpcId: outsiderClient.vpcId, ServiceName: `com.amazonaws.${outsider.region}.execute-api`, VpcEndpointType: "Interface", SubnetIds: [outsiderClient.subnetId], SecurityGroupIds: [GroupId!], PrivateDnsEnabled: true }));
    await twin.sync();
    const got = outcome(await twin.curl(outsiderClient.client.id, `https://${facts.apiHost}${path}`));
    assert.match(got, /^403 \{"Message":"User: anonymous is not authorized to perform: execute-api:Invoke on resource: .* with an explicit deny"\}$/);
  });
}

/** The twin's log (what each sync changed, each invocation, its problems) as logs/twin.log of the workspace: kept with a failed scenario's files. */
export function twinLog(workspace: { readonly dir: string }): (line: string) => void {
  const file = join(workspace.dir, "logs", "twin.log");
  return (line) => appendFileSync(file, `${new Date().toISOString()} ${line}\n`);
}

/** Stops a scenario's twin (when it started), adding what it cost to the scenario's lines. */
export async function stopTwin(context: { readonly lines: string[] }, twin: Twin | undefined): Promise<void> {
  if (!twin) return;
  const agents = twin.agentsCpuSeconds();
  const deaths = [...twin.agentDeaths];
  await twin.stop();
  // The twin's node work and commands share this process with the other scenarios: only its own processes are counted.
  context.lines.push(`  twin  ${twin.syncs.count} syncs in ${twin.syncs.seconds.toFixed(1)} s, ${twin.invocations} invocations; its processes ${agents.toFixed(1)} CPU-s`);
  // After a failed step, its error is the one to see (a throw here would replace it); the deaths are in the line above and the twin's log.
  if (deaths.length) context.lines.push(`        the twin's processes that ended on their own: ${deaths.join("; ")}`);
  if (!context.lines.some((line) => line.startsWith("  FAIL"))) assert.deepEqual(deaths, [], "the twin's processes (resolvers, gateways, runners) ran until the twin stopped");
}
