import assert from "node:assert/strict";
import { CreateVpcCommand, CreateVpcPeeringConnectionCommand } from "@aws-sdk/client-ec2";
import type { Account } from "../aws";
import { livePeerings, routes, vpcs } from "../aws-state";
import { applied, configFile } from "../rollout";
import { allOf, Scenario } from "../scenario";

/** Another peering request from `from`'s account into B's VPC: somebody else's, or a leftover. */
async function strayRequest(from: Account, cidr: string, to: { vpcId: string; accountId: string; region: string }): Promise<string> {
  const { Vpc } = await from.ec2.send(new CreateVpcCommand({ CidrBlock: cidr }));
  const { VpcPeeringConnection } = await from.ec2.send(new CreateVpcPeeringConnectionCommand({ VpcId: Vpc!.VpcId, PeerVpcId: to.vpcId, PeerOwnerId: to.accountId, PeerRegion: to.region }));
  return VpcPeeringConnection!.VpcPeeringConnectionId!;
}

/**
 * A consumer's account holds a second request into B's VPC that B cannot tell from the consumer's:
 * B leaves that consumer unaccepted, says so, and deploys everything else (What a real apply
 * shows, 8). Then a stray request appears for a consumer already accepted: it stays accepted.
 */
export const strayRequestScenario: Scenario = {
  name: "stray-request",
  title: "a stray peering request in one consumer's account blocks no other consumer",
  seconds: 330,
  async run(context) {
    const example = configFile("config/example.json");
    const config = {
      ...example,
      accountA: { ...example.accountA, canary: false },
      consumers: [{ name: "orders", accountId: "444444444444", region: "ap-northeast-1", vpcCidr: "10.2.0.0/16", canary: false }],
    };
    const a = context.account(config.accountA.accountId, config.accountA.region);
    const orders = context.account("444444444444", "ap-northeast-1");
    const b = context.account(config.accountB.accountId, config.accountB.region);
    const workspace = context.workspace();
    await workspace.synthesize(config);
    await context.step("deploy account-b (first)", () => workspace.deploy("account-b"));
    const [vpcB] = await vpcs(b);
    const target = { vpcId: vpcB.id, accountId: b.accountId, region: b.region };
    const stray = await context.step("account A also holds another team's pending request into B's VPC", () => strayRequest(a, "10.9.0.0/16", target));
    await context.step("deploy account-a, consumer-orders", () => Promise.all(["account-a", "consumer-orders"].map((s) => workspace.deploy(s))));

    const output = await context.step("account-b's second deploy succeeds: orders accepted and routed, account-a left unaccepted", async () => {
      const output = await workspace.deploy("account-b");
      const live = await livePeerings(b);
      const fromOrders = live.find((p) => p.RequesterVpcInfo?.OwnerId === orders.accountId);
      const fromA = live.filter((p) => p.RequesterVpcInfo?.OwnerId === a.accountId);
      const routesB = await routes(b, vpcB.id);
      await allOf([
        () => assert.equal(fromOrders?.Status?.Code, "active", "orders' request is accepted"),
        () => assert.ok(routesB.some((r) => r.destination === "10.2.0.0/16" && r.peering === fromOrders?.VpcPeeringConnectionId), "B routes orders' CIDR"),
        () => assert.deepEqual(fromA.map((p) => p.Status?.Code), ["pending-acceptance", "pending-acceptance"], "neither of account A's requests is accepted"),
        () => assert.ok(!routesB.some((r) => r.destination === config.accountA.vpcCidr), "B does not route A's CIDR"),
      ]);
      return output;
    });
    await context.step("a check names the consumer left unaccepted, its requests and the fix", async () => {
      assert.match(output, /Warning: Check block assertion failed/);
      assert.match(output, new RegExp(`account-a[^]*${stray}`), "the warning names account-a and the stray request");
    });
    await context.step("npm run doctor: exit 1, the peering hop of account-a fails, naming the requests", async () => {
      const run = await workspace.project("doctor", ["--json"]);
      assert.equal(run.code, 1, `doctor exit code:\n${run.stdout}${run.stderr}`);
      const failing = JSON.parse(run.stdout).checks.filter((c: any) => c.status === "fail");
      assert.ok(failing.some((c: any) => c.hop === "3 Peering" && c.id.startsWith("account-a/") && c.message.includes(stray)), JSON.stringify(failing, null, 1));
      assert.ok(!failing.some((c: any) => c.id.startsWith("consumer-orders/")), `orders' path passes: ${JSON.stringify(failing.filter((c: any) => c.id.startsWith("consumer-orders/")), null, 1)}`);
    });
    await context.step("a stray request appears in orders' account: orders stays accepted and routed", async () => {
      await strayRequest(orders, "10.8.0.0/16", target);
      const result = applied(await workspace.deploy("account-b"));
      assert.equal(result.destroyed, 0, "nothing of orders' acceptance or routes is destroyed");
      const routesB = await routes(b, vpcB.id);
      assert.ok(routesB.some((r) => r.destination === "10.2.0.0/16" && r.peering), "B still routes orders' CIDR");
    });
  },
};
