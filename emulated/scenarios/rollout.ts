import assert from "node:assert/strict";
import {
  AttachInternetGatewayCommand,
  AuthorizeSecurityGroupIngressCommand,
  CreateInternetGatewayCommand,
  CreateRouteCommand,
  DeleteInternetGatewayCommand,
  DeleteRouteCommand,
  DetachInternetGatewayCommand,
  RevokeSecurityGroupIngressCommand,
} from "@aws-sdk/client-ec2";
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

/** The doctor's rows, from `npm run doctor -- --json`. */
function rows(stdout: string): { id: string; hop: string; status: string; message: string; fix: string }[] {
  return JSON.parse(stdout).checks;
}

/**
 * The rollout of docs/rollout.md, of the example on fresh accounts, and its second day, on one deployment:
 * account-b, account-a (while B has not accepted, the canary's check warns and the apply
 * succeeds), account-b; no-change plans of both stacks (npm run drift; a plan runs the canary
 * once); then changes made outside Terraform — B's route to A deleted, a rule opening 443 to the
 * internet and a route to an internet gateway added by hand — which npm run drift and the doctor
 * name with their fixes, put back by a deploy and the commands they print, after which the doctor
 * passes; then destroy in that order, leaving only what docs/rollout.md says is kept.
 */
export const rolloutScenario: Scenario = {
  name: "rollout",
  title: "the example's rollout on fresh accounts, its day two (drift, the doctor), destroy",
  seconds: 330,
  async run(context) {
    const config = configFile("config/example.json");
    const workspace = context.workspace();
    const a = context.account(config.accountA.accountId, config.accountA.region);
    const b = context.account(config.accountB.accountId, config.accountB.region);
    const ownRole = `arn:aws:iam::${b.accountId}:role/private-apigw/apigateway-cloudwatch/`;
    const canary = "private-apigw-account-a-canary";
    const invocations = async () => (await lambdaInvocations(context.emulator))[canary] ?? 0;
    await workspace.synthesize(config);
    const rolloutStarted = Date.now();

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

    await context.step("account-a before B accepts: VPC, peering request, routes, private zone, canary; the canary's answer without a verdict makes its check warn, never fail the apply; a first apply runs it once", async () => {
      await setLambdaAnswer(context.emulator, a.accountId, a.region, "{}");
      const output = await workspace.deploy("account-a");
      assert.match(output, /Apply complete!/);
      assert.match(output, /Warning: Check block assertion failed[^]*canary/, "the canary's check warns");
      // The plan of a first deploy cannot read a function it has not created: only the check after the apply runs it.
      assert.equal(await invocations(), 1);
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
      assert.equal((await functions(a))[0].name, canary);
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
    context.lines.push(`        the rollout (B, A, B) took ${((Date.now() - rolloutStarted) / 1000).toFixed(1)} s`);

    await setLambdaAnswer(context.emulator, a.accountId, a.region, canaryAnswer());
    const beforeDrift = await invocations();
    await context.step("npm run drift: a plan of each stack proposes no change, nothing drifted, exit 0; the plan of account-a runs the canary once", async () => {
      const run = await workspace.project("drift", ["--json"]);
      const stacks = JSON.parse(run.stdout).stacks;
      assert.deepEqual(stacks.map((s: any) => ({ stack: s.stack, status: s.status, changes: s.changes, drift: s.drift })), ["account-b", "account-a"].map((stack) => ({ stack, status: "no-changes", changes: [], drift: [] })));
      assert.equal(run.code, 0, run.stderr);
      assert.equal((await invocations()) - beforeDrift, 1);
    });

    const groupId = first.endpoint.Groups![0].GroupId!;
    const tableB = (await routes(b, first.vpcB.id)).find((r) => r.destination === config.accountA.vpcCidr)!.table;
    const gateway = await context.step("day two, outside Terraform: B's route to A deleted, a rule opening 443 to 0.0.0.0/0 and a route to an internet gateway added", async () => {
      await b.ec2.send(new DeleteRouteCommand({ RouteTableId: tableB, DestinationCidrBlock: config.accountA.vpcCidr }));
      await b.ec2.send(new AuthorizeSecurityGroupIngressCommand({ GroupId: groupId, IpPermissions: [{ IpProtocol: "tcp", FromPort: 443, ToPort: 443, IpRanges: [{ CidrIp: "0.0.0.0/0" }] }] }));
      const { InternetGateway } = await b.ec2.send(new CreateInternetGatewayCommand({}));
      await b.ec2.send(new AttachInternetGatewayCommand({ InternetGatewayId: InternetGateway!.InternetGatewayId, VpcId: first.vpcB.id }));
      await b.ec2.send(new CreateRouteCommand({ RouteTableId: tableB, DestinationCidrBlock: "0.0.0.0/0", GatewayId: InternetGateway!.InternetGatewayId }));
      return InternetGateway!.InternetGatewayId!;
    });

    await context.step("npm run drift exits 1 naming each change: the route deleted (a deploy puts it back), the rule and the route added (with the commands that remove them)", async () => {
      const run = await workspace.project("drift", ["--json"]);
      assert.equal(run.code, 1, `${run.stdout}${run.stderr}`);
      const report = JSON.parse(run.stdout);
      const accountB = report.stacks.find((s: any) => s.stack === "account-b");
      const named = JSON.stringify(accountB);
      await allOf([
        () => assert.equal(accountB.status, "drifted"),
        () => assert.ok(accountB.drift.some((d: any) => d.address === 'aws_route.peering_route-1["account-a"]' && d.change === "deleted"), named),
        () => assert.ok(accountB.drift.some((d: any) => d.address === "aws_security_group.execute-api_security-group" && d.attributes.some((x: any) => x.summary === "ingress rule added: tcp 443 from 0.0.0.0/0" && x.fix.includes(`revoke-security-group-ingress --group-id ${groupId}`))), named),
        () => assert.ok(accountB.drift.some((d: any) => d.address === "aws_route_table.network_private" && d.attributes.some((x: any) => x.summary === `route added: 0.0.0.0/0 -> ${gateway}` && x.fix === `aws ec2 delete-route --route-table-id ${tableB} --destination-cidr-block 0.0.0.0/0`)), named),
        () => assert.equal(report.stacks.find((s: any) => s.stack === "account-a").status, "no-changes"),
      ]);
    });

    await context.step("the doctor exits 1: each change fails its hop with its fix; the canary's 403 names the method and the API hop", async () => {
      await setLambdaAnswer(context.emulator, a.accountId, a.region, canaryAnswer({ "host-header": 'status: got 403, expected 200: "{\\"message\\":\\"Forbidden\\"}"' }));
      const run = await workspace.project("doctor", ["--json"]);
      assert.equal(run.code, 1, run.stderr);
      const all = rows(run.stdout);
      const failing = all.filter((r) => r.status === "fail");
      await allOf([
        () => assert.ok(failing.some((r) => r.hop === "4 B: routes" && r.message.includes('aws_route.peering_route-1["account-a"]') && /deleted outside Terraform/.test(r.message) && /Deploy account-b/.test(r.fix)), JSON.stringify(failing, null, 1)),
        () => assert.ok(failing.some((r) => r.hop === "6 B: endpoint" && r.message.includes("ingress rule added: tcp 443 from 0.0.0.0/0") && /revoke-security-group-ingress/.test(r.fix)), JSON.stringify(failing, null, 1)),
        () => assert.ok(failing.some((r) => r.hop === "4 B: routes" && r.message.includes(`route added: 0.0.0.0/0 -> ${gateway}`) && /delete-route/.test(r.fix)), JSON.stringify(failing, null, 1)),
        () => assert.deepEqual(all.filter((r) => r.status === "pending").map((r) => r.id), [], "nothing is reported as pending"),
        () => assert.ok(failing.some((r) => r.id === "account-a:canary:host-header" && /7 B: API/.test(r.fix))),
        () => assert.ok(failing.some((r) => r.id === "account-a:canary_reaches_api")),
        () => assert.ok(!failing.some((r) => r.id === "account-a:canary:private-dns"), "the methods that work pass"),
      ]);
    });

    await context.step("put back: account-b deployed again recreates the route (nothing else changes); the rule and the route removed as drift said; with the canary healthy the doctor exits 0", async () => {
      const result = applied(await workspace.deploy("account-b"));
      assert.deepEqual([result.added, result.changed, result.destroyed], [1, 0, 0], "the route is created again, nothing else changed or replaced");
      await b.ec2.send(new RevokeSecurityGroupIngressCommand({ GroupId: groupId, IpPermissions: [{ IpProtocol: "tcp", FromPort: 443, ToPort: 443, IpRanges: [{ CidrIp: "0.0.0.0/0" }] }] }));
      await b.ec2.send(new DeleteRouteCommand({ RouteTableId: tableB, DestinationCidrBlock: "0.0.0.0/0" }));
      await b.ec2.send(new DetachInternetGatewayCommand({ InternetGatewayId: gateway, VpcId: first.vpcB.id }));
      await b.ec2.send(new DeleteInternetGatewayCommand({ InternetGatewayId: gateway }));
      await setLambdaAnswer(context.emulator, a.accountId, a.region, canaryAnswer());
      const run = await workspace.project("doctor", ["--json"]);
      assert.equal(run.code, 0, `doctor exit code; not passing: ${JSON.stringify(rows(run.stdout || '{"checks":[]}').filter((r) => r.status !== "pass"), null, 1)}\n${run.stderr}`);
    });

    await context.step("destroy account-a, then account-b (the project's destroy): only the CloudWatch role and its setting remain", async () => {
      // Nothing changed outside Terraform since the last apply but what was removed again: the state is what exists.
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
