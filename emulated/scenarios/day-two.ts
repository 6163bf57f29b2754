import assert from "node:assert/strict";
import { DeleteRouteCommand } from "@aws-sdk/client-ec2";
import { routes, vpcs } from "../aws-state";
import { lambdaInvocations, setLambdaAnswer } from "../emulator/emulator";
import { canaryAnswer, configFile } from "../rollout";
import { allOf, Scenario } from "../scenario";

/** The doctor's rows, from `npm run doctor -- --json`. */
function rows(stdout: string): { id: string; hop: string; status: string; message: string; fix: string }[] {
  return JSON.parse(stdout).checks;
}

/**
 * Day two of the example: the canary answers without `ok` on A's first deploy (a check must not
 * fail an apply: What a real apply shows, 10); the doctor healthy, then with a method failing;
 * a route deleted outside Terraform, reported by `npm run drift` and as a failure of its hop by
 * the doctor (4); B deployed again restores it. And how often plans and applies run the canary.
 */
export const dayTwoScenario: Scenario = {
  name: "day-two",
  title: "checks that never fail an apply, the doctor on health, a failing method and drift",
  seconds: 230,
  async run(context) {
    const config = configFile("config/example.json");
    const a = context.account(config.accountA.accountId, config.accountA.region);
    const b = context.account(config.accountB.accountId, config.accountB.region);
    const canary = "private-apigw-account-a-canary";
    const workspace = context.workspace();
    await workspace.synthesize(config);
    await context.step("deploy account-b (first)", () => workspace.deploy("account-b"));
    await context.step("account-a deploys while the canary answers without \"ok\" (a check warns, the apply succeeds)", async () => {
      await setLambdaAnswer(context.emulator, a.accountId, a.region, "{}");
      const output = await workspace.deploy("account-a");
      assert.match(output, /Apply complete!/);
      assert.match(output, /Warning: Check block assertion failed[^]*canary/, "the canary's check warns");
    });
    await context.step("deploy account-b (second)", () => workspace.deploy("account-b"));

    await context.step("the canary is invoked once by a plan of account-a, and once more by an apply that changes nothing", async () => {
      await setLambdaAnswer(context.emulator, a.accountId, a.region, canaryAnswer());
      const before = (await lambdaInvocations(context.emulator))[canary] ?? 0;
      await workspace.plan("account-a");
      const afterPlan = (await lambdaInvocations(context.emulator))[canary] ?? 0;
      await workspace.deploy("account-a");
      const afterApply = (await lambdaInvocations(context.emulator))[canary] ?? 0;
      assert.deepEqual({ plan: afterPlan - before, apply: afterApply - afterPlan }, { plan: 1, apply: 2 }, "invocations of the canary by a plan, and by an apply (its plan included)");
    });

    await context.step("npm run doctor: exit 0 on the healthy deployment", async () => {
      const run = await workspace.project("doctor", ["--json"]);
      assert.equal(run.code, 0, `exit code; not passing: ${JSON.stringify(rows(run.stdout || '{"checks":[]}').filter((r) => r.status !== "pass"), null, 1)}\n${run.stderr}`);
    });

    await context.step("the canary reports a 403 on host-header: the doctor exits 1 naming the method and the API hop", async () => {
      await setLambdaAnswer(context.emulator, a.accountId, a.region, canaryAnswer({ "host-header": 'status: got 403, expected 200: "{\\"message\\":\\"Forbidden\\"}"' }));
      const run = await workspace.project("doctor", ["--json"]);
      assert.equal(run.code, 1, run.stderr);
      const failing = rows(run.stdout).filter((r) => r.status === "fail");
      await allOf([
        () => assert.ok(failing.some((r) => r.id === "account-a:canary:host-header" && /7 B: API/.test(r.fix)), JSON.stringify(failing, null, 1)),
        () => assert.ok(failing.some((r) => r.id === "account-a:canary_reaches_api")),
        () => assert.ok(!failing.some((r) => r.id === "account-a:canary:private-dns"), "the methods that work pass"),
      ]);
      await setLambdaAnswer(context.emulator, a.accountId, a.region, canaryAnswer());
    });

    const [vpcB] = await vpcs(b);
    await context.step("B's route to A deleted outside Terraform: npm run drift exits 1 naming it", async () => {
      const route = (await routes(b, vpcB.id)).find((r) => r.destination === config.accountA.vpcCidr)!;
      await b.ec2.send(new DeleteRouteCommand({ RouteTableId: route.table, DestinationCidrBlock: route.destination }));
      const run = await workspace.project("drift", ["--json"]);
      assert.equal(run.code, 1, `${run.stdout}${run.stderr}`);
      const report = JSON.parse(run.stdout);
      const accountB = report.stacks.find((s: any) => s.stack === "account-b");
      assert.equal(accountB.status, "drifted");
      assert.ok(accountB.drift.some((d: any) => d.address === 'aws_route.peering_route-1["account-a"]' && d.change === "deleted"), JSON.stringify(accountB, null, 1));
      assert.equal(report.stacks.find((s: any) => s.stack === "account-a").status, "no-changes");
    });
    await context.step("the doctor fails the hop of the deleted route, naming it and the fix", async () => {
      const run = await workspace.project("doctor", ["--json"]);
      assert.equal(run.code, 1, run.stderr);
      const failing = rows(run.stdout).filter((r) => r.status === "fail");
      assert.ok(failing.some((r) => r.hop === "4 B: routes" && r.message.includes('aws_route.peering_route-1["account-a"]') && /deleted outside Terraform/.test(r.message) && /deploy account-b/.test(r.fix)), JSON.stringify(failing, null, 1));
      assert.ok(!rows(run.stdout).some((r) => r.status === "pending"), "nothing is reported as pending");
    });
    await context.step("account-b deployed again restores the route; the doctor passes again", async () => {
      await workspace.deploy("account-b");
      assert.ok((await routes(b, vpcB.id)).some((r) => r.destination === config.accountA.vpcCidr));
      const run = await workspace.project("doctor", ["--json"]);
      assert.equal(run.code, 0, run.stdout);
    });
  },
};
