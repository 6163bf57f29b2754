import assert from "node:assert/strict";
import { UpdateAccountCommand } from "@aws-sdk/client-api-gateway";
import { AssociateRouteTableCommand, CreateRouteTableCommand, CreateSubnetCommand, CreateVpcCommand, ModifyVpcAttributeCommand } from "@aws-sdk/client-ec2";
import { CreateRoleCommand } from "@aws-sdk/client-iam";
import type { Account } from "../aws";
import { executeApiEndpoints, httpsSources, livePeerings, peerings, policySourceCidrs, privateZones, restApis, routes, vpcs } from "../aws-state";
import { setLambdaAnswer } from "../emulator/emulator";
import { canaryAnswer, configFile, rollout } from "../rollout";
import { allOf, Scenario } from "../scenario";

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
 * their own): the rollout, every consumer's path as the accounts hold it, no-change plans, then a
 * consumer removed the way docs/consumers.md says.
 */
export const manyConsumersScenario: Scenario = {
  name: "many-consumers",
  title: "B and four consumers: every path, no-change plans, one consumer removed",
  seconds: 440,
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
      return { ...fixture, consumers };
    });
    const all = [
      { stack: "account-a", ...config.accountA },
      ...config.consumers.map((c: any) => ({ stack: `consumer-${c.name}`, ...c })),
    ];
    const workspace = context.workspace();
    await workspace.synthesize(config);
    for (const c of all) await setLambdaAnswer(context.emulator, c.accountId, c.region, canaryAnswer());

    await rollout(workspace, (title, body) => context.step(title, body));
    const [endpoint] = await executeApiEndpoints(b);
    const [api] = await restApis(b);
    const [vpcB] = await vpcs(b);

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
      }));
    });

    await context.step("npm run drift: a plan of every stack proposes no change, nothing drifted", async () => {
      const run = await workspace.project("drift", ["--json"]);
      const stacks = JSON.parse(run.stdout).stacks;
      assert.deepEqual(stacks.filter((s: any) => s.status !== "no-changes"), []);
      assert.equal(run.code, 0, run.stderr);
    });

    const removed = all[all.length - 1];
    await context.step(`${removed.stack} removed as docs/consumers.md says: destroy it, drop it from the configuration, deploy account-b`, async () => {
      const before = await livePeerings(b);
      await workspace.destroy(removed.stack);
      await workspace.synthesize({ ...config, consumers: config.consumers.slice(0, -1) });
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
  },
};
