import assert from "node:assert/strict";
import { DeleteRouteCommand } from "@aws-sdk/client-ec2";
import { routes, vpcs } from "../aws-state";
import { lambdaInvocations, setLambdaAnswer } from "../emulator/emulator";
import { applied, canaryAnswer, configFile } from "../rollout";
import { allOf, Scenario } from "../scenario";

/** The doctor's rows, from `npm run doctor -- --json`. */
function rows(stdout: string): { id: string; hop: string; status: string; message: string; fix: string }[] {
  return JSON.parse(stdout).checks;
}

/**
 * Day two of the example: the canary answers without `ok` on A's first deploy (a check must not
 * fail an apply: What a real apply shows, 10); a route deleted outside Terraform, reported by
 * `npm run drift` and, with a method failing, by the doctor as failures of their hops (4); B
 * deployed again restores it, and the doctor passes (exit 0).
 */
export const dayTwoScenario: Scenario = {
  name: "day-two",
  title: "checks that never fail an apply, drift and a failing method in the doctor",
  seconds: 420,
  async run(context) {
    const config = configFile("config/example.json");
    const a = context.account(config.accountA.accountId, config.accountA.region);
    const b = context.account(config.accountB.accountId, config.accountB.region);
    const workspace = context.workspace();
    await workspace.synthesize(config);
    await context.step("deploy account-b (first)", () => workspace.deploy("account-b"));
    await context.step("account-a deploys while the canary answers without \"ok\" (a check warns, the apply succeeds); a first apply runs the canary once", async () => {
      await setLambdaAnswer(context.emulator, a.accountId, a.region, "{}");
      const output = await workspace.deploy("account-a");
      // The plan of a first deploy cannot read a function it has not created: only the check after the apply runs it.
      assert.equal((await lambdaInvocations(context.emulator))["private-apigw-account-a-canary"], 1);
      assert.match(output, /Apply complete!/);
      assert.match(output, /Warning: Check block assertion failed[^]*canary/, "the canary's check warns");
    });
    await context.step("deploy account-b (second)", () => workspace.deploy("account-b"));

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

    await context.step("the doctor exits 1: the deleted route fails its hop (named, with the fix), the canary's 403 names the method and the API hop", async () => {
      await setLambdaAnswer(context.emulator, a.accountId, a.region, canaryAnswer({ "host-header": 'status: got 403, expected 200: "{\\"message\\":\\"Forbidden\\"}"' }));
      const run = await workspace.project("doctor", ["--json"]);
      assert.equal(run.code, 1, run.stderr);
      const all = rows(run.stdout);
      const failing = all.filter((r) => r.status === "fail");
      await allOf([
        () => assert.ok(failing.some((r) => r.hop === "4 B: routes" && r.message.includes('aws_route.peering_route-1["account-a"]') && /deleted outside Terraform/.test(r.message) && /Deploy account-b/.test(r.fix)), JSON.stringify(failing, null, 1)),
        () => assert.deepEqual(all.filter((r) => r.status === "pending").map((r) => r.id), [], "nothing is reported as pending"),
        () => assert.ok(failing.some((r) => r.id === "account-a:canary:host-header" && /7 B: API/.test(r.fix))),
        () => assert.ok(failing.some((r) => r.id === "account-a:canary_reaches_api")),
        () => assert.ok(!failing.some((r) => r.id === "account-a:canary:private-dns"), "the methods that work pass"),
      ]);
    });
    await context.step("account-b deployed again restores the route; with the canary healthy, the doctor exits 0", async () => {
      const result = applied(await workspace.deploy("account-b"));
      assert.deepEqual([result.added, result.destroyed], [1, 0], "the route is created again, nothing else replaced");
      assert.ok((await routes(b, vpcB.id)).some((r) => r.destination === config.accountA.vpcCidr));
      await setLambdaAnswer(context.emulator, a.accountId, a.region, canaryAnswer());
      const run = await workspace.project("doctor", ["--json"]);
      assert.equal(run.code, 0, `doctor exit code; not passing: ${JSON.stringify(rows(run.stdout || '{"checks":[]}').filter((r) => r.status !== "pass"), null, 1)}\n${run.stderr}`);
    });
  },
};
