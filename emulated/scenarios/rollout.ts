import assert from "node:assert/strict";
import {
  cloudFormationStacks,
  cloudWatchRoleSetting,
  executeApiEndpoints,
  functions,
  httpsSources,
  livePeerings,
  policySourceCidrs,
  privateZones,
  restApis,
  roles,
  routes,
  vpcs,
} from "../aws-state";
import { lambdaInvocations, setLambdaAnswer } from "../emulator/emulator";
import { applied, canaryAnswer, configFile } from "../rollout";
import { allOf, Scenario } from "../scenario";

/**
 * The rollout of docs/rollout.md, of the example on fresh accounts: account-b, account-a, account-b; then a
 * plan of each stack that proposes nothing (npm run drift; and how often a plan runs the canary);
 * another deploy of B that changes nothing; then destroy in that order, leaving only what
 * docs/rollout.md says is kept.
 */
export const rolloutScenario: Scenario = {
  name: "rollout",
  title: "the example's rollout on fresh accounts, no-change plans, destroy",
  seconds: 400,
  async run(context) {
    const config = configFile("config/example.json");
    const workspace = context.workspace();
    const a = context.account(config.accountA.accountId, config.accountA.region);
    const b = context.account(config.accountB.accountId, config.accountB.region);
    const ownRole = `arn:aws:iam::${b.accountId}:role/private-apigw/apigateway-cloudwatch/`;
    await workspace.synthesize(config);
    // The canary finds every method working (the emulator carries no traffic: this is its answer).
    await setLambdaAnswer(context.emulator, a.accountId, a.region, canaryAnswer());

    const first = await context.step("account-b, first deploy, in an account whose logging setting is empty", async () => {
      assert.equal(await cloudWatchRoleSetting(b), "", "a fresh account has no CloudWatch role setting");
      await workspace.deploy("account-b");
      const role = await cloudWatchRoleSetting(b);
      assert.ok(role.startsWith(ownRole), `B's first deploy sets the project's CloudWatch role, found ${JSON.stringify(role)}`);
      const [api] = await restApis(b);
      assert.deepEqual(api.endpointConfiguration?.types, ["PRIVATE"]);
      const [endpoint] = await executeApiEndpoints(b);
      assert.equal(endpoint.PrivateDnsEnabled, true, "the endpoint has private DNS on");
      assert.deepEqual(api.endpointConfiguration?.vpcEndpointIds, [endpoint.VpcEndpointId]);
      assert.match(endpoint.DnsEntries![0].DnsName!, /^vpce-[0-9a-f]+-[a-z0-9]+\.execute-api\.ap-northeast-1\.vpce\.amazonaws\.com$/);
      return { role, api, endpoint, vpcB: (await vpcs(b))[0] };
    });

    await context.step("account-a: VPC, peering request, routes, private zone, canary", async () => {
      await workspace.deploy("account-a");
      const [vpc] = await vpcs(a);
      assert.equal(vpc.cidr, config.accountA.vpcCidr);
      const [request] = await livePeerings(a);
      assert.equal(request.Status?.Code, "pending-acceptance");
      assert.deepEqual([request.RequesterVpcInfo?.VpcId, request.AccepterVpcInfo?.VpcId, request.AccepterVpcInfo?.OwnerId], [vpc.id, first.vpcB.id, b.accountId]);
      assert.ok((await routes(a, vpc.id)).some((r) => r.destination === config.accountB.vpcCidr && r.peering === request.VpcPeeringConnectionId), "A routes B's CIDR through the peering");
      const zones = await privateZones(a);
      assert.deepEqual(zones.map((z) => [z.name, z.vpcs]), [[`${first.api.id}.execute-api.ap-northeast-1.amazonaws.com.`, [vpc.id]]]);
      assert.equal(zones[0].alias?.name.replace(/\.$/, ""), first.endpoint.DnsEntries![0].DnsName);
      assert.equal(zones[0].alias?.zoneId, first.endpoint.DnsEntries![0].HostedZoneId);
      const [canary] = await functions(a);
      assert.equal(canary.name, "private-apigw-account-a-canary");
    });

    await context.step("account-b, second deploy: accepts A's request; logging and the deployment stay", async () => {
      const output = await workspace.deploy("account-b");
      const [peering] = await livePeerings(b);
      const [api] = await restApis(b);
      await allOf([
        () => assert.equal(peering.Status?.Code, "active"),
        async () => assert.ok((await routes(b, first.vpcB.id)).some((r) => r.destination === config.accountA.vpcCidr && r.peering === peering.VpcPeeringConnectionId), "B routes A's CIDR through the peering"),
        async () => assert.equal(await cloudWatchRoleSetting(b), first.role, "B's second deploy keeps the region's CloudWatch role (What a real apply shows, 1)"),
        () => assert.deepEqual(api.deployments, first.api.deployments, "B's second deploy makes no new API deployment: nothing of the API changed (What a real apply shows, 2)"),
        () => assert.equal(applied(output).destroyed, 0, "B's second deploy destroys nothing"),
        async () => assert.deepEqual(await httpsSources(b, first.endpoint.Groups![0].GroupId!), [config.accountA.vpcCidr, config.accountB.vpcCidr].sort()),
        () => assert.deepEqual(policySourceCidrs(api.policy), [config.accountA.vpcCidr, config.accountB.vpcCidr].sort()),
      ]);
    });

    const invocations = async () => (await lambdaInvocations(context.emulator))["private-apigw-account-a-canary"] ?? 0;
    const beforeDrift = await invocations();
    await context.step("npm run drift: a plan of each stack proposes no change, nothing drifted, exit 0 (What a real apply shows, 3)", async () => {
      const run = await workspace.project("drift", ["--json"]);
      const stacks = JSON.parse(run.stdout).stacks;
      assert.deepEqual(stacks.map((s: any) => ({ stack: s.stack, status: s.status, changes: s.changes, drift: s.drift })), ["account-b", "account-a"].map((stack) => ({ stack, status: "no-changes", changes: [], drift: [] })));
      assert.equal(run.code, 0, run.stderr);
    });
    const afterDrift = await invocations();

    await context.step("the canary runs once per plan of account-a", async () => {
      assert.equal(afterDrift - beforeDrift, 1);
    });

    await context.step("account-b deployed again replaces and updates nothing", async () => {
      assert.deepEqual(applied(await workspace.deploy("account-b")), { imported: 0, added: 0, changed: 0, destroyed: 0 });
    });

    await context.step("destroy account-a, then account-b: only the CloudWatch role and its setting remain", async () => {
      // Nothing changed outside Terraform since the last apply and no-change plans: the state is what exists.
      await workspace.destroy("account-a", { refresh: false });
      await workspace.destroy("account-b", { refresh: false });
      for (const account of [a, b]) {
        assert.deepEqual(await vpcs(account), [], `${account.accountId} keeps no VPC`);
        assert.deepEqual(await livePeerings(account), [], `${account.accountId} keeps no peering`);
        assert.deepEqual(await functions(account), [], `${account.accountId} keeps no function`);
        assert.deepEqual(await privateZones(account), [], `${account.accountId} keeps no zone`);
      }
      assert.deepEqual(await restApis(b), []);
      assert.deepEqual(await cloudFormationStacks(b), [], "the CloudFormation stack is deleted (its role and setting are retained)");
      assert.deepEqual((await roles(a)).map((r) => r.name), [], "A keeps no role");
      assert.deepEqual((await roles(b)).map((r) => r.arn), [first.role], "B keeps the CloudWatch role, and only it");
      assert.equal(await cloudWatchRoleSetting(b), first.role, "the region's setting still names it");
    });
  },
};
