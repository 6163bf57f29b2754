import assert from "node:assert/strict";
import * as path from "path";
import { cloudWatchRoleSetting, privateZones, restApis } from "../aws-state";
import { setLambdaAnswer } from "../emulator/emulator";
import { applied, canaryAnswer, configFile } from "../rollout";
import { allOf, Scenario } from "../scenario";

/** The previous main's synth of config/example.json (see its SOURCE.md). */
const PREVIOUS_MAIN = path.join(__dirname, "../fixtures/previous-main");

/** Every managed resource of a stack's state, by address: its id. */
async function resourceIds(state: any): Promise<Record<string, string>> {
  const collect = (module: any): any[] => [...(module?.resources ?? []), ...(module?.child_modules ?? []).flatMap(collect)];
  return Object.fromEntries(collect(state.values?.root_module).filter((r) => r.mode === "managed").map((r) => [r.address, String(r.values?.id ?? "")]));
}

/**
 * Upgrading is safe: a deployment of the example made by the previous main (its synth output,
 * kept as a fixture) is planned and deployed with this version and the same configuration: no
 * resource is destroyed or replaced, and the API, its id, its deployment and A's private hosted
 * zone stay. On the way, what the previous main's destroy would do to the region's API Gateway
 * setting, and that this version's destroy never plans it.
 */
export const upgradeScenario: Scenario = {
  name: "upgrade",
  title: "the previous main's deployment of the example, upgraded: nothing destroyed or replaced",
  seconds: 200,
  async run(context) {
    const config = configFile("config/example.json");
    const a = context.account(config.accountA.accountId, config.accountA.region);
    const b = context.account(config.accountB.accountId, config.accountB.region);
    const workspace = context.workspace();
    await setLambdaAnswer(context.emulator, a.accountId, a.region, canaryAnswer());
    workspace.useSynthOutput(PREVIOUS_MAIN, config);

    const before = await context.step("the previous main deploys the example: account-b, account-a, account-b", async () => {
      await workspace.deploy("account-b");
      await workspace.deploy("account-a");
      await workspace.deploy("account-b");
      const [api] = await restApis(b);
      return { api, zones: await privateZones(a), role: await cloudWatchRoleSetting(b), b: await resourceIds(await workspace.state("account-b")), a: await resourceIds(await workspace.state("account-a")) };
    });

    await context.step("the previous main's destroy plan of account-b destroys the imported API Gateway setting (a reset of the region's logging role with hashicorp/aws's next major version)", async () => {
      const { changes } = await workspace.planChanges("account-b", ["-destroy"]);
      assert.ok(changes.some((c) => c.address === "aws_api_gateway_account.apigateway-cloudwatch_current" && c.action === "delete"), JSON.stringify(changes));
    });

    await workspace.synthesize(config);
    await context.step("this version's plans of account-b and account-a destroy and replace nothing", async () => {
      const plans = { "account-b": await workspace.planChanges("account-b"), "account-a": await workspace.planChanges("account-a") };
      await allOf(Object.entries(plans).map(([stack, plan]) => () => {
        const destructive = plan.changes.filter((c) => c.action === "delete" || c.action === "replace");
        assert.deepEqual(destructive, [], `${stack} would destroy or replace: ${JSON.stringify(destructive)}`);
      }));
      context.lines.push(`        changes: ${Object.entries(plans).map(([stack, plan]) => `${stack}: ${plan.changes.map((c) => `${c.action} ${c.address}`).join(", ") || "none"}`).join("; ")}`);
    });

    await context.step("this version deploys account-b and account-a: the API, its id, its deployment, A's zone and every resource id stay; the canary's answer without a verdict makes its check warn, never fail the apply", async () => {
      // An answer that is no verdict (a function changed by hand, a runtime's surprise): a warning, not a failed deploy.
      await setLambdaAnswer(context.emulator, a.accountId, a.region, "{}");
      const outputB = await workspace.deploy("account-b");
      const outputA = await workspace.deploy("account-a");
      const outputs = [applied(outputB), applied(outputA)];
      assert.match(outputA, /Warning: Check block assertion failed[^]*canary/, "the canary's check warns");
      const [api] = await restApis(b);
      const idsB = await resourceIds(await workspace.state("account-b"));
      const idsA = await resourceIds(await workspace.state("account-a"));
      await allOf([
        () => assert.deepEqual(outputs.map((o) => o.destroyed), [0, 0], "nothing destroyed"),
        () => assert.equal(api.id, before.api.id, "the API keeps its id"),
        () => assert.deepEqual(api.deployments, before.api.deployments, "the stage keeps its deployment"),
        async () => assert.deepEqual(await privateZones(a), before.zones, "A's private hosted zone stays, aliasing the same endpoint"),
        async () => assert.equal(await cloudWatchRoleSetting(b), before.role, "the region's CloudWatch role stays"),
        () => {
          for (const [stack, old, now] of [["account-b", before.b, idsB], ["account-a", before.a, idsA]] as const) {
            const changed = Object.entries(old).filter(([address, id]) => now[address] !== undefined && now[address] !== id).map(([address]) => address);
            const gone = Object.keys(old).filter((address) => now[address] === undefined);
            assert.deepEqual({ changed, gone }, { changed: [], gone: [] }, `${stack}: every resource keeps its address and id`);
          }
        },
      ]);
    });

    await context.step("this version's destroy never plans the imported API Gateway setting: a plain destroy plan stops on it", async () => {
      const refused = await workspace.planChanges("account-b", ["-destroy"]).then(() => "the destroy plan succeeded", (error: Error) => error.message);
      assert.match(refused, /Instance cannot be destroyed[^]*aws_api_gateway_account\.apigateway-cloudwatch_current/);
    });
  },
};
