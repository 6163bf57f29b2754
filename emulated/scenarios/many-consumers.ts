import assert from "node:assert/strict";
import { UpdateAccountCommand } from "@aws-sdk/client-api-gateway";
import { AssociateRouteTableCommand, CreateRouteTableCommand, CreateSubnetCommand, CreateVpcCommand, ModifyVpcAttributeCommand } from "@aws-sdk/client-ec2";
import { CreateRoleCommand } from "@aws-sdk/client-iam";
import type { Account } from "../aws";
import { executeApiEndpoints, httpsSources, livePeerings, peerings, policySourceCidrs, privateZones, restApis, routes, vpcs } from "../aws-state";
import { setLambdaAnswer } from "../emulator/emulator";
import { canaryAnswer, configFile, rollout } from "../rollout";
import { allOf, Scenario } from "../scenario";
import { articleFacts, callsFrom, canaryPasses, outcome, outsidersDenied, PETS_JSON, stopTwin, twinLog } from "../twin/checks";
import { Twin } from "../twin/twin";

/** An account of nobody's configuration: peered with B by hand, with an endpoint of its own. */
const OUTSIDER = "555555555555";

/** A VPC with DNS on, one subnet and its route table, as an account that already has one. */
export async function existingVpc(account: Account, cidr: string): Promise<{ vpcId: string; subnetIds: string[]; routeTableIds: string[] }> {
  const { Vpc } = await account.ec2.send(new CreateVpcCommand({ CidrBlock: cidr }));
  const vpcId = Vpc!.VpcId!;
  await account.ec2.send(new ModifyVpcAttributeCommand({ VpcId: vpcId, EnableDnsSupport: { Value: true } }));
  await account.ec2.send(new ModifyVpcAttributeCommand({ VpcId: vpcId, EnableDnsHostnames: { Value: true } }));
  const { Subnet } = await account.ec2.send(new CreateSubnetCommand({ VpcId: vpcId, CidrBlock: cidr.replace(/\/\d+$/, "/24") }));
  const { RouteTable } = await account.ec2.send(new CreateRouteTableCommand({ VpcId: vpcId }));
  await account.ec2.send(new AssociateRouteTableCommand({ RouteTableId: RouteTable!.RouteTableId, SubnetId: Subnet!.SubnetId }));
  return { vpcId, subnetIds: [Subnet!.SubnetId!], routeTableIds: [RouteTable!.RouteTableId!] };
}

/**
 * examples/many-consumers (a consumer in another region, two sharing an account with VPCs of
 * their own), with api.allowedSourceCidrs narrowed to the consumers' VPCs (B's own VPC not
 * admitted): the rollout, every consumer's path as the accounts hold it and the article's calls
 * from each through the data-plane twin, the callers who must not get in (B's own subnets, an
 * outsider peered with B, a call through another account's endpoint), no-change plans whose
 * canaries run their own code, then a consumer removed the way docs/consumers.md says, after
 * which its VPC no longer resolves or reaches the API.
 */
export const manyConsumersScenario: Scenario = {
  name: "many-consumers",
  title: "B and four consumers: every path and the article's calls from each, who must not get in, no-change plans, one consumer removed",
  seconds: 440,
  twin: true,
  async run(context) {
    const fixture = configFile("examples/many-consumers/config.json");
    const b = context.account(fixture.accountB.accountId, fixture.accountB.region);
    const config = await context.step("accounts as the fixture assumes: B's logging role set by a baseline, orders' and billing's VPCs", async () => {
      // manageApiGatewayAccount is false: the account's baseline has set the region's role.
      const { Role } = await b.iam.send(new CreateRoleCommand({ RoleName: "baseline-apigateway-logs", AssumeRolePolicyDocument: "{}" }));
      await b.apigateway.send(new UpdateAccountCommand({ patchOperations: [{ op: "replace", path: "/cloudwatchRoleArn", value: Role!.Arn }] }));
      const consumers = await Promise.all(fixture.consumers.map(async (c: any) => (c.existingVpc
        ? { ...c, existingVpc: await existingVpc(context.account(c.accountId, c.region), c.vpcCidr) }
        : c)));
      // B's own subnets do not call the API here: the configuration admits the consumers only.
      return { ...fixture, consumers, api: { ...fixture.api, allowedSourceCidrs: [fixture.accountA.vpcCidr, ...fixture.consumers.map((c: any) => c.vpcCidr)] } };
    });
    const all = [
      { stack: "account-a", ...config.accountA },
      ...config.consumers.map((c: any) => ({ stack: `consumer-${c.name}`, ...c })),
    ];
    const workspace = context.workspace();
    await workspace.synthesize(config);
    for (const c of all) await setLambdaAnswer(context.emulator, c.accountId, c.region, canaryAnswer());

    // The twin starts with the rollout (it follows what the accounts hold), and is stopped whatever happens.
    const accounts = [...new Map([...all, { accountId: OUTSIDER, region: config.accountB.region }, { accountId: b.accountId, region: b.region }].map((c) => [`${c.accountId}/${c.region}`, { accountId: c.accountId, region: c.region }])).values()];
    const twinStarted = Twin.start({ emulator: context.emulator, accounts, log: twinLog(workspace) });
    twinStarted.catch(() => undefined);
    try {
      await rollout(workspace, (title, body) => context.step(title, body));
      await pathsAndCalls(context, workspace, config, all, b, await twinStarted);
    } finally {
      await stopTwin(context, await twinStarted.catch(() => undefined));
    }
  },
};

async function pathsAndCalls(context: Parameters<Scenario["run"]>[0], workspace: ReturnType<Parameters<Scenario["run"]>[0]["workspace"]>, config: any, all: any[], b: Account, twin: Twin): Promise<void> {
    const [endpoint] = await executeApiEndpoints(b);
    const [api] = await restApis(b);
    const [vpcB] = await vpcs(b);
    const vpcOf = async (c: any) => c.existingVpc?.vpcId ?? (await vpcs(context.account(c.accountId, c.region))).find((v) => v.cidr === c.vpcCidr)!.id;

    await context.step("every consumer's path: peering active, routes both ways, its own zone aliasing B's endpoint, admitted by policy and security group", async () => {
      const fromB = await livePeerings(b);
      const routesB = await routes(b, vpcB.id);
      const admitted = await httpsSources(b, endpoint.Groups![0].GroupId!);
      await allOf(all.map((c) => async () => {
        const account = context.account(c.accountId, c.region);
        const vpcId = c.existingVpc?.vpcId ?? (await vpcs(account)).find((v) => v.cidr === c.vpcCidr)?.id;
        const peering = fromB.find((p) => p.RequesterVpcInfo?.VpcId === vpcId);
        assert.equal(peering?.Status?.Code, "active", `${c.stack}: its peering is active`);
        const pcx = peering!.VpcPeeringConnectionId;
        assert.ok((await routes(account, vpcId!)).some((r) => r.destination === config.accountB.vpcCidr && r.peering === pcx), `${c.stack} routes B's CIDR through its peering`);
        assert.ok(routesB.some((r) => r.destination === c.vpcCidr && r.peering === pcx), `B routes ${c.stack}'s CIDR through its peering`);
        const zone = (await privateZones(account)).find((z) => z.vpcs.includes(vpcId!));
        assert.equal(zone?.name, `${api.id}.execute-api.${config.accountB.region}.amazonaws.com.`, `${c.stack}: the zone of the API's name is associated with its own VPC`);
        assert.equal(zone?.alias?.name.replace(/\.$/, ""), endpoint.DnsEntries![0].DnsName, `${c.stack}: its zone aliases B's endpoint`);
        assert.ok(admitted.includes(c.vpcCidr), `B's endpoint security group admits ${c.stack}'s CIDR`);
        assert.ok(policySourceCidrs(api.policy).includes(c.vpcCidr), `the resource policy admits ${c.stack}'s CIDR`);
      }).concat(async () => assert.ok(!admitted.includes(config.accountB.vpcCidr) && !policySourceCidrs(api.policy).includes(config.accountB.vpcCidr), "B's own VPC is not admitted (api.allowedSourceCidrs leaves it out)")));
    });

    await twin.sync();
    // From now on every canary runs its own code in its subnet (the plans below invoke them).
    await twin.attachLambdaRunner();
    const a = context.account(config.accountA.accountId, config.accountA.region);
    const facts = articleFacts(twin, a, b);
    for (const c of all) await callsFrom(twin, facts, twin.client({ vpcId: await vpcOf(c) }), c.stack, (title, body) => context.step(title, body));
    await context.step("each consumer's canary invoked through Lambda, its own code in its subnet: every method ok", async () => {
      for (const c of all) await canaryPasses(twin, context.account(c.accountId, c.region), await vpcOf(c));
    });
    await context.step("B's own subnet, outside api.allowedSourceCidrs: the endpoint's security group does not admit it -> timeout", async () => {
      const got = outcome(await twin.curl(facts.clientB.id, `https://${facts.apiHost}/${facts.stage}/pets/`, { maxTime: 3 }));
      assert.match(got, /^timeout/, `B's client ${facts.clientB.address}`);
    });

    await context.step("npm run drift: a plan of every stack proposes no change, nothing drifted", async () => {
      const run = await workspace.project("drift", ["--json"]);
      const stacks = JSON.parse(run.stdout).stacks;
      assert.deepEqual(stacks.filter((s: any) => s.status !== "no-changes"), []);
      assert.equal(run.code, 0, run.stderr);
    });

    await outsidersDenied(twin, facts, b, context.account(OUTSIDER, config.accountB.region), (title, body) => context.step(title, body));

    const removed = all[all.length - 1];
    await context.step(`${removed.stack} removed as docs/consumers.md says: destroy it, drop it from the configuration, deploy account-b`, async () => {
      const before = await livePeerings(b);
      await workspace.destroy(removed.stack);
      // Its CIDR leaves api.allowedSourceCidrs too, as a user who narrowed the list would remove it.
      await workspace.synthesize({ ...config, consumers: config.consumers.slice(0, -1), api: { ...config.api, allowedSourceCidrs: config.api.allowedSourceCidrs.filter((cidr: string) => cidr !== removed.vpcCidr) } });
      await workspace.deploy("account-b");
      const state = await workspace.state("account-b");
      const addresses = (state.values?.root_module?.resources ?? []).map((r: any) => r.address);
      const remaining = all.slice(0, -1);
      await allOf([
        () => assert.ok(!addresses.some((a: string) => a.includes(`["${removed.stack}"]`)), `B's state keeps nothing of ${removed.stack}: ${addresses.filter((a: string) => a.includes(removed.stack))}`),
        async () => assert.ok(!(await routes(b, vpcB.id)).some((r) => r.destination === removed.vpcCidr), `B no longer routes ${removed.vpcCidr}`),
        async () => assert.equal((await peerings(b)).find((p) => p.RequesterVpcInfo?.VpcId === removed.existingVpc?.vpcId)?.Status?.Code, "deleted"),
        async () => assert.deepEqual((await livePeerings(b)).length, before.length - 1, "the other consumers' peerings stay"),
        async () => {
          const left = (await routes(b, vpcB.id)).map((r) => r.destination);
          for (const c of remaining) assert.ok(left.includes(c.vpcCidr), `B still routes ${c.stack}'s ${c.vpcCidr}`);
        },
      ]);
    });

    await context.step(`after ${removed.stack}'s removal its VPC has no zone and no peering: dig of the API's name -> NXDOMAIN, the call through B's endpoint -> timeout; every other consumer still gets the pets`, async () => {
      await twin.sync();
      const client = twin.client({ vpcId: removed.existingVpc.vpcId });
      const dug = await twin.dig(client.id, facts.apiHost);
      assert.equal(dug.status, "NXDOMAIN", dug.output);
      assert.match(outcome(await twin.curl(client.id, `https://${facts.regionalName}/${facts.stage}/pets/`, { headers: { Host: facts.apiHost }, maxTime: 3 })), /^timeout/);
      await allOf(all.slice(0, -1).map((c) => async () => {
        const other = twin.client({ vpcId: await vpcOf(c) });
        assert.equal(outcome(await twin.curl(other.id, `https://${facts.apiHost}/${facts.stage}/pets/`)), `200 ${PETS_JSON}`, `${c.stack} from ${other.address}`);
      }));
    });
}
