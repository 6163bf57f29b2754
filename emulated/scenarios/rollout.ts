import assert from "node:assert/strict";
import { readFileSync, writeFileSync } from "fs";
import * as path from "path";
import { CreateDeploymentCommand, UpdateStageCommand } from "@aws-sdk/client-api-gateway";
import {
  AttachInternetGatewayCommand,
  AuthorizeSecurityGroupIngressCommand,
  CreateInternetGatewayCommand,
  CreateNetworkAclEntryCommand,
  CreateRouteCommand,
  DeleteInternetGatewayCommand,
  DeleteRouteCommand,
  DetachInternetGatewayCommand,
  ModifyVpcEndpointCommand,
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
import { lambdaInvocations } from "../emulator/emulator";
import { applied, configFile } from "../rollout";
import { allOf, Scenario } from "../scenario";
import { apiPolicy, articleCalls, articleFacts, canaryPasses, checklistBreaks, outcome, PETS_JSON, stopTwin, twinLog } from "../twin/checks";
import { Twin } from "../twin/twin";

/** The doctor's rows, from `npm run doctor -- --json`. */
interface Row {
  readonly id: string;
  readonly hop: string;
  readonly status: string;
  readonly message: string;
  readonly fix: string;
}

function rows(stdout: string): Row[] {
  return JSON.parse(stdout).checks;
}

/** The rows that fail, for a failed assertion's message. */
const shown = (failing: Row[]) => JSON.stringify(failing.map((r) => `${r.hop} ${r.id}: ${r.message} | fix: ${r.fix}`), null, 1);

/**
 * The rollout of docs/rollout.md, of the example on fresh accounts, with the data-plane twin of
 * what the accounts hold (emulated/twin), and its second day, on one deployment:
 * - account-b; account-a while B has not accepted (the canary's own code, run by the twin in A's
 *   subnet, times out by every method: its check warns, the apply succeeds); account-b again;
 * - the seed article's calls from A's and B's subnets; no-change plans of both stacks (npm run
 *   drift; its plan runs the canary once, which passes); the canary through Lambda;
 * - the article's checklist, one break at a time (the call fails as AWS fails it and the canary
 *   names it), each put back with the SDK;
 * - day two: those breaks and more made outside Terraform at once (routes deleted both ways, a
 *   route to an internet gateway, a rule opening 443 to the internet, A's rule revoked, the
 *   resource policy without A but not redeployed, a network ACL denying 443, private DNS off),
 *   which npm run drift and the doctor each name with their fixes; the deploys and the commands
 *   they print put everything back (the article's call answers again); then the policy without A
 *   redeployed: a 403 the doctor traces to the API hop, undone by a deploy; the doctor passes;
 * - destroy in docs/rollout.md's order, leaving only what it says is kept.
 */
export const rolloutScenario: Scenario = {
  name: "rollout",
  title: "the example's rollout on fresh accounts through the data-plane twin, the article's calls and checklist, its day two (drift, the doctor), destroy",
  seconds: 380,
  twin: true,
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
    // The twin starts while B deploys: it only needs the accounts, and follows what they hold.
    const twinStarted = Twin.start({ emulator: context.emulator, accounts: [a, b].map(({ accountId, region }) => ({ accountId, region })), log: twinLog(workspace) });
    twinStarted.catch(() => undefined);
    let twin: Twin | undefined;
    let keptRole = "";
    try {
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
        keptRole = role;
        return { role, api, endpoint, vpcB: (await vpcs(b))[0] };
      });
      twin = await context.step("the data-plane twin of accounts A and B, built from what they hold; from now on it runs every invocation of the canary (its own code, in its subnet)", async () => {
        const started = await twinStarted;
        await started.attachLambdaRunner();
        return started;
      });

      await context.step("account-a before B accepts: VPC, peering request, routes, private zone, canary; the canary's own code times out by every method (a pending peering routes nowhere), its check warns and never fails the apply; a first apply runs it once", async () => {
        const output = await workspace.deploy("account-a");
        assert.match(output, /Apply complete!/);
        const warning = /The canary \S+ cannot reach the API by:([^]*?)\n\n/.exec(output)?.[1].replace(/\s+/g, " ") ?? "(no canary warning)";
        const classes = [...warning.matchAll(/(private-dns|host-header|api-id-header|endpoint-alias) \([^)]*\): (\w[\w-]*):/g)].map((m) => `${m[1]}: ${m[2]}`);
        assert.deepEqual(classes, ["private-dns: timeout", "host-header: timeout", "api-id-header: timeout", "endpoint-alias: timeout"], `the canary's check warns that every method times out; it said: ${warning}`);
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

      await context.step("account-b, second deploy: accepts A's request; logging and the deployment stay; the twin links the peering", async () => {
        const output = await workspace.deploy("account-b");
        const [peering] = await livePeerings(b);
        const [api] = await restApis(b);
        const synced = await twin!.sync();
        await allOf([
          () => assert.equal(peering.Status?.Code, "active"),
          async () => assert.ok((await routes(b, first.vpcB.id)).some((r) => r.destination === config.accountA.vpcCidr && r.peering === peering.VpcPeeringConnectionId), "B routes A's CIDR through the peering"),
          async () => assert.equal(await cloudWatchRoleSetting(b), first.role, "B's second deploy keeps the region's CloudWatch role (What a real apply shows, 1)"),
          () => assert.deepEqual(api.deployments, first.api.deployments, "B's second deploy makes no new API deployment: nothing of the API changed (What a real apply shows, 2)"),
          () => assert.equal(applied(output).destroyed, 0, "B's second deploy destroys nothing"),
          async () => assert.deepEqual(await httpsSources(b, first.endpoint.Groups![0].GroupId!), [config.accountA.vpcCidr, config.accountB.vpcCidr].sort()),
          () => assert.deepEqual(policySourceCidrs(api.policy), [config.accountA.vpcCidr, config.accountB.vpcCidr].sort()),
          () => assert.ok(synced.changes.some((c) => c.startsWith("link +peering:")), `the twin links the active peering: ${synced.changes.join(", ")}`),
        ]);
      });
      context.lines.push(`        the rollout (B, A, B) took ${((Date.now() - rolloutStarted) / 1000).toFixed(1)} s`);

      const facts = articleFacts(twin, a, b);
      await articleCalls(twin, facts, (title, body) => context.step(title, body));

      const beforeDrift = await invocations();
      await context.step("npm run drift: a plan of each stack proposes no change, nothing drifted, exit 0; the plan of account-a runs the canary once, in the twin (its check passing is the doctor's exit 0 at the end of day two)", async () => {
        const run = await workspace.project("drift", ["--json"]);
        const stacks = JSON.parse(run.stdout).stacks;
        assert.deepEqual(stacks.map((s: any) => ({ stack: s.stack, status: s.status, changes: s.changes, drift: s.drift })), ["account-b", "account-a"].map((stack) => ({ stack, status: "no-changes", changes: [], drift: [] })));
        assert.equal(run.code, 0, run.stderr);
        assert.equal((await invocations()) - beforeDrift, 1);
      });
      await context.step("the canary invoked through Lambda: every method ok", () => canaryPasses(twin!, a));
      await checklistBreaks(twin, facts, a, b, (title, body) => context.step(title, body));

      await dayTwo(context, { workspace, twin, facts, a, b, config, vpcB: first.vpcB.id, groupId: first.endpoint.Groups![0].GroupId! });
    } finally {
      await stopTwin(context, twin ?? (await twinStarted.catch(() => undefined)));
    }

    await context.step("destroy account-a, then account-b (the project's destroy): only the CloudWatch role and its setting remain", async () => {
      // Nothing changed outside Terraform since the last applies but what was put back: the state is what exists.
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
      assert.deepEqual((await roles(b)).map((r) => r.arn), [keptRole], "B keeps the CloudWatch role, and only it");
      assert.equal(await cloudWatchRoleSetting(b), keptRole, "the region's setting still names it");
    });
  },
};

type Context = Parameters<Scenario["run"]>[0];
interface Deployment {
  readonly workspace: ReturnType<Context["workspace"]>;
  readonly twin: Twin;
  readonly facts: ReturnType<typeof articleFacts>;
  readonly a: ReturnType<Context["account"]>;
  readonly b: ReturnType<Context["account"]>;
  readonly config: any;
  readonly vpcB: string;
  readonly groupId: string;
}

/**
 * Day two: everything the article's checklist names broken outside Terraform at once, plus what
 * a hand-made change adds (a rule open to the internet, a route to an internet gateway); drift and
 * the doctor each name every change with its fix, and following them puts the call back. Then the
 * policy without A redeployed: a 403 the doctor traces to the API hop, undone by a deploy.
 */
async function dayTwo(context: Context, d: Deployment): Promise<void> {
  const { workspace, twin, facts, a, b, config, groupId } = d;
  const aCidr = config.accountA.vpcCidr;
  const bCidr = config.accountB.vpcCidr;
  const tableB = (await routes(b, d.vpcB)).find((r) => r.destination === aCidr)!.table;
  const [vpcA] = await vpcs(a);
  const aRoute = (await routes(a, vpcA.id)).find((r) => r.destination === bCidr)!;
  const endpointSubnet = twin.model.subnets.find((s) => s.id === facts.endpoint.interfaces[0].subnetId)!;
  const acl = endpointSubnet.networkAclId!;
  const stage = facts.stage;
  const { withoutA, setPolicy } = apiPolicy(facts, b, aCidr);
  const path443 = `/${stage}/pets/`;
  const aCall = async () => outcome(await twin.curl(facts.clientA.id, `https://${facts.regionalName}${path443}`, { headers: { Host: facts.apiHost }, maxTime: 3 }));
  const keep = (name: string, text: string) => writeFileSync(path.join(workspace.dir, "logs", name), text);

  const gateway = await context.step("day two, outside Terraform: routes deleted both ways, a route to an internet gateway and a rule opening 443 to 0.0.0.0/0 added, A's rule revoked, the resource policy without A (not redeployed), a network ACL entry denying 443 from A, the endpoint's private DNS off: A's call times out, B's own callers get NXDOMAIN", async () => {
    await b.ec2.send(new DeleteRouteCommand({ RouteTableId: tableB, DestinationCidrBlock: aCidr }));
    await a.ec2.send(new DeleteRouteCommand({ RouteTableId: aRoute.table, DestinationCidrBlock: bCidr }));
    await b.ec2.send(new AuthorizeSecurityGroupIngressCommand({ GroupId: groupId, IpPermissions: [{ IpProtocol: "tcp", FromPort: 443, ToPort: 443, IpRanges: [{ CidrIp: "0.0.0.0/0" }] }] }));
    await b.ec2.send(new RevokeSecurityGroupIngressCommand({ GroupId: groupId, IpPermissions: [{ IpProtocol: "tcp", FromPort: 443, ToPort: 443, IpRanges: [{ CidrIp: aCidr }] }] }));
    const { InternetGateway } = await b.ec2.send(new CreateInternetGatewayCommand({}));
    await b.ec2.send(new AttachInternetGatewayCommand({ InternetGatewayId: InternetGateway!.InternetGatewayId, VpcId: d.vpcB }));
    await b.ec2.send(new CreateRouteCommand({ RouteTableId: tableB, DestinationCidrBlock: "0.0.0.0/0", GatewayId: InternetGateway!.InternetGatewayId }));
    await setPolicy(withoutA);
    await b.ec2.send(new CreateNetworkAclEntryCommand({ NetworkAclId: acl, RuleNumber: 50, Protocol: "6", RuleAction: "deny", Egress: false, CidrBlock: aCidr, PortRange: { From: 443, To: 443 } }));
    await b.ec2.send(new ModifyVpcEndpointCommand({ VpcEndpointId: facts.endpoint.id, PrivateDnsEnabled: false }));
    await twin.sync();
    assert.match(await aCall(), /^timeout/, "A's call while broken");
    const dug = await twin.dig(facts.clientB.id, facts.apiHost);
    assert.equal(dug.status, "NXDOMAIN", `dig ${facts.apiHost} from B: ${dug.output}`);
    return InternetGateway!.InternetGatewayId!;
  });

  await context.step("npm run drift exits 1 naming each change: what a deploy puts back (routes, A's rule, the policy, private DNS), what it does not (the rule and the route added, with the commands that remove them)", async () => {
    const run = await workspace.project("drift", ["--json"]);
    keep("day-two-drift.json", run.stdout);
    assert.equal(run.code, 1, `${run.stdout}${run.stderr}`);
    const report = JSON.parse(run.stdout);
    const stack = (name: string) => report.stacks.find((s: any) => s.stack === name);
    const [accountB, accountA] = [stack("account-b"), stack("account-a")];
    const named = JSON.stringify(report.stacks);
    const drifted = (s: any, address: RegExp, change: string) => s.drift.some((x: any) => address.test(x.address) && x.change === change);
    const attribute = (s: any, address: string, test: (x: any) => boolean) => s.drift.some((x: any) => x.address === address && x.attributes?.some(test));
    await allOf([
      () => assert.equal(accountB.status, "drifted"),
      () => assert.equal(accountA.status, "drifted"),
      () => assert.ok(drifted(accountB, /^aws_route\.peering_route-1\["account-a"\]$/, "deleted"), `B's route to A: ${named}`),
      () => assert.ok(drifted(accountA, /^aws_route\./, "deleted"), `A's route to B: ${named}`),
      () => assert.ok(drifted(accountB, /^aws_vpc_security_group_ingress_rule\./, "deleted"), `A's rule on B's endpoint group: ${named}`),
      () => assert.ok(attribute(accountB, "aws_security_group.execute-api_security-group", (x) => x.summary === "ingress rule added: tcp 443 from 0.0.0.0/0" && x.fix.includes(`revoke-security-group-ingress --group-id ${groupId}`)), `the rule open to the internet: ${named}`),
      () => assert.ok(attribute(accountB, "aws_route_table.network_private", (x) => x.summary === `route added: 0.0.0.0/0 -> ${gateway}` && x.fix === `aws ec2 delete-route --route-table-id ${tableB} --destination-cidr-block 0.0.0.0/0`), `the route to the internet gateway: ${named}`),
      () => assert.ok(attribute(accountB, "aws_api_gateway_rest_api_policy.rest-api_policy", (x) => x.name === "policy" && x.before.includes(aCidr) && !x.after.includes(aCidr)), `the resource policy without A: ${named}`),
      () => assert.ok(attribute(accountB, "aws_vpc_endpoint.execute-api_endpoint", (x) => x.name === "private_dns_enabled" && x.before === true && x.after === false), `the endpoint's private DNS: ${named}`),
    ]);
  });

  await context.step("the doctor exits 1: each change fails its hop with its fix (A's and B's routes, B's network ACL, A's rule and the rule open to the internet, private DNS, the policy); the canary's own code times out by every method and points at the network hops", async () => {
    const run = await workspace.project("doctor", ["--json"]);
    keep("day-two-doctor.json", run.stdout);
    assert.equal(run.code, 1, run.stderr);
    const all = rows(run.stdout);
    const failing = all.filter((r) => r.status === "fail");
    const fails = (hop: string, test: (r: Row) => boolean, what: string) => () => assert.ok(failing.some((r) => r.hop === hop && test(r)), `${what}; failing rows: ${shown(failing)}`);
    await allOf([
      fails("2 A: routes", (r) => r.id === "account-a:drift:aws_route.peering_route-1" && /deleted outside Terraform/.test(r.message) && /^Deploy account-a /.test(r.fix), "A's route to B"),
      fails("4 B: routes", (r) => r.message.includes('aws_route.peering_route-1["account-a"]') && /deleted outside Terraform/.test(r.message) && /^Deploy account-b /.test(r.fix), "B's route to A"),
      fails("4 B: routes", (r) => r.message.includes(`route added: 0.0.0.0/0 -> ${gateway}`) && r.fix.includes(`delete-route --route-table-id ${tableB} --destination-cidr-block 0.0.0.0/0`), "the route to the internet gateway"),
      fails("4a B: network ACLs", (r) => r.id === `account-b:network-acl:${acl}` && r.message.includes("denied by rule 50") && r.fix.includes(`--network-acl-id ${acl} --ingress`), "the network ACL entry"),
      fails("6 B: endpoint", (r) => r.message.includes("ingress rule added: tcp 443 from 0.0.0.0/0") && r.fix.includes(`revoke-security-group-ingress --group-id ${groupId}`), "the rule open to the internet"),
      fails("6 B: endpoint", (r) => r.id === `account-b:drift:aws_vpc_security_group_ingress_rule.execute-api_https-from-allowed-cidrs["${aCidr}"]` && /^Deploy account-b /.test(r.fix), "A's rule revoked"),
      fails("6 B: endpoint", (r) => r.id === "endpoint-https-from-a" && /^Deploy account-b first: /.test(r.fix), "A's rule revoked: the rule that reads it says deploy first, not a configuration change"),
      fails("6 B: endpoint", (r) => r.id === "account-b:drift:aws_vpc_endpoint.execute-api_endpoint" && r.message.includes("private_dns_enabled true -> false") && /^Deploy account-b /.test(r.fix), "private DNS off"),
      fails("7 B: API", (r) => r.id === "account-b:drift:aws_api_gateway_rest_api_policy.rest-api_policy" && /^Deploy account-b /.test(r.fix), "the policy without A"),
      fails("8 End to end", (r) => r.id === "account-a:canary_reaches_api", "the canary's check"),
      () => assert.deepEqual(failing.filter((r) => r.id.startsWith("account-a:canary:")).map((r) => `${r.id}: ${r.message.split(":")[0]}`).sort(), ["private-dns", "host-header", "api-id-header", "endpoint-alias"].map((m) => `account-a:canary:${m}: ${m}`).sort(), shown(failing)),
      () => assert.ok(failing.filter((r) => r.id.startsWith("account-a:canary:")).every((r) => /: timeout: /.test(r.message) && r.fix.startsWith("Look at 2/3/4/6")), `every method times out, pointing at the network hops: ${shown(failing)}`),
      () => assert.deepEqual(all.filter((r) => r.status === "pending").map((r) => r.id), [], "nothing is reported as pending"),
    ]);
  });

  await context.step("put back as drift and the doctor say: account-b and account-a deployed (routes, A's rule, the policy, private DNS; nothing destroyed), the rule and the route removed and the network ACL's allow entry added with their commands; A's call answers the pets again, B's callers resolve the API", async () => {
    const resultB = applied(await workspace.deploy("account-b"));
    const resultA = applied(await workspace.deploy("account-a"));
    assert.deepEqual([resultB.destroyed, resultA.destroyed], [0, 0], "nothing destroyed or replaced");
    assert.deepEqual([resultB.added, resultA.added], [2, 1], "B's route and A's rule, A's route created again");
    await b.ec2.send(new RevokeSecurityGroupIngressCommand({ GroupId: groupId, IpPermissions: [{ IpProtocol: "tcp", FromPort: 443, ToPort: 443, IpRanges: [{ CidrIp: "0.0.0.0/0" }] }] }));
    await b.ec2.send(new DeleteRouteCommand({ RouteTableId: tableB, DestinationCidrBlock: "0.0.0.0/0" }));
    await b.ec2.send(new DetachInternetGatewayCommand({ InternetGatewayId: gateway, VpcId: d.vpcB }));
    await b.ec2.send(new DeleteInternetGatewayCommand({ InternetGatewayId: gateway }));
    // The doctor's fix for the ACL: an allow entry ahead of the deny (its command, run with the SDK).
    const doctor = rows(readFileSync(path.join(workspace.dir, "logs", "day-two-doctor.json"), "utf8"));
    const fix = doctor.find((r) => r.id === `account-b:network-acl:${acl}`)!.fix;
    const number = Number(/--rule-number (\d+) --protocol tcp --port-range From=443,To=443 --cidr-block (\S+) --rule-action allow/.exec(fix)?.[1]);
    assert.ok(number > 0 && number < 50, `the doctor's fix adds an allow entry below rule 50: ${fix}`);
    await b.ec2.send(new CreateNetworkAclEntryCommand({ NetworkAclId: acl, RuleNumber: number, Protocol: "6", RuleAction: "allow", Egress: false, CidrBlock: aCidr, PortRange: { From: 443, To: 443 } }));
    await twin.sync();
    assert.equal(await aCall(), `200 ${PETS_JSON}`, "A's call after the fixes");
    assert.equal((await twin.dig(facts.clientB.id, facts.apiHost)).status, "NOERROR", "B's callers resolve the API again");
  });

  await context.step("the resource policy without A, redeployed by hand: A's call gets 403; the doctor traces the canary's 403 to the API hop; account-b deployed puts the stage back on its deployment; the call answers, the doctor exits 0", async () => {
    await setPolicy(withoutA);
    const { id } = await b.apigateway.send(new CreateDeploymentCommand({ restApiId: facts.api.id, description: "by hand" }));
    await b.apigateway.send(new UpdateStageCommand({ restApiId: facts.api.id, stageName: stage, patchOperations: [{ op: "replace", path: "/deploymentId", value: id }] }));
    await twin.sync();
    assert.match(await aCall(), /^403 \{"Message":"User: anonymous is not authorized to perform: execute-api:Invoke/, "A's call with the policy without A deployed");
    const broken = await workspace.project("doctor", ["--json"]);
    assert.equal(broken.code, 1, broken.stderr);
    const failing = rows(broken.stdout).filter((r) => r.status === "fail");
    await allOf([
      () => assert.ok(failing.some((r) => r.hop === "7 B: API" && r.id === "account-b:drift:aws_api_gateway_rest_api_policy.rest-api_policy"), `the policy changed: ${shown(failing)}`),
      () => assert.ok(failing.some((r) => r.hop === "7 B: API" && r.id === "account-b:drift:aws_api_gateway_stage.rest-api_stage" && /^Deploy account-b /.test(r.fix)), `the stage serves another deployment: ${shown(failing)}`),
      () => assert.ok(failing.filter((r) => r.id.startsWith("account-a:canary:")).length === 4 && failing.filter((r) => r.id.startsWith("account-a:canary:")).every((r) => /: status: got 403/.test(r.message) && r.fix.startsWith("Look at 7 B: API")), `each method's 403 names the API hop: ${shown(failing)}`),
      () => assert.ok(!failing.some((r) => /^[2-6]/.test(r.hop)), `the network hops pass: ${shown(failing)}`),
    ]);
    const result = applied(await workspace.deploy("account-b"));
    assert.equal(result.destroyed, 0, "nothing destroyed or replaced");
    await twin.sync();
    assert.equal(await aCall(), `200 ${PETS_JSON}`, "A's call after the deploy");
    const run = await workspace.project("doctor", ["--json"]);
    assert.equal(run.code, 0, `doctor exit code; not passing: ${shown(rows(run.stdout || '{"checks":[]}').filter((r) => r.status !== "pass"))}\n${run.stderr}`);
  });
}
