import assert from "node:assert/strict";
import { articleCalls, articleFacts, canaryPasses, checklistBreaks, outsidersDenied } from "../twin/checks";
import { Twin } from "../twin/twin";
import { configFile } from "../rollout";
import { Scenario } from "../scenario";

/** An account of nobody's configuration: the outsider peered with B, with an endpoint of its own. */
const OUTSIDER = "333333333333";

/**
 * The data plane, for real: the rollout of docs/rollout.md (B, A, B) with a twin of what the accounts hold
 * (emulated/twin): the canary's own code answering Terraform's check while B has not accepted,
 * then the article's calls from A's and B's subnets, the canary passing a plan, the article's
 * checklist broken with the SDK and fixed, and callers who must not get in.
 */
export const twinScenario: Scenario = {
  name: "twin",
  title: "the article's calls, the canary's own code and the checklist through a data-plane twin",
  seconds: 300,
  async run(context) {
    const config = configFile("config/example.json");
    const a = context.account(config.accountA.accountId, config.accountA.region);
    const b = context.account(config.accountB.accountId, config.accountB.region);
    const outsider = context.account(OUTSIDER, config.accountB.region);
    const workspace = context.workspace();
    await workspace.synthesize(config);
    await context.step("deploy account-b (first)", () => workspace.deploy("account-b"));
    const started = Date.now();
    const twin = await context.step("the twin of accounts A, B and an outsider, built from what they hold", () => Twin.start({ emulator: context.emulator, accounts: [a, b, outsider].map(({ accountId, region }) => ({ accountId, region })) }));
    let twinSeconds = (Date.now() - started) / 1000;
    const timed = <T>(title: string, body: () => Promise<T>) => context.step(title, async () => {
      const s = Date.now();
      try {
        return await body();
      } finally {
        twinSeconds += (Date.now() - s) / 1000;
      }
    });
    try {
      await twin.attachLambdaRunner();
      await context.step("account-a deploys before B accepts: the canary's own code, in A's subnet, times out by every method; the check warns, the apply succeeds", async () => {
        const output = await workspace.deploy("account-a");
        assert.match(output, /Apply complete!/);
        const canary = /The canary \S+ cannot reach the API by:([^]*?)\n\n/.exec(output)?.[1].replace(/\s+/g, " ") ?? "(no canary warning)";
        const classes = [...canary.matchAll(/(private-dns|host-header|api-id-header|endpoint-alias) \([^)]*\): (\w[\w-]*):/g)].map((m) => `${m[1]}: ${m[2]}`);
        assert.deepEqual(classes, ["private-dns: timeout", "host-header: timeout", "api-id-header: timeout", "endpoint-alias: timeout"], `while B has not accepted, every method times out (a pending peering routes nowhere); the canary's check said: ${canary}`);
      });
      await context.step("deploy account-b (second: accepts A's request)", () => workspace.deploy("account-b"));
      await timed("the twin follows: A's request is active, B routes A", async () => {
        const report = await twin.sync();
        assert.ok(report.changes.some((c) => c.startsWith("link +peering:")), `the peering's link appears: ${report.changes.join(", ")}`);
      });
      const facts = articleFacts(twin, a, b);
      await articleCalls(twin, facts, timed);
      await context.step("a plan of account-a: the canary (run by the twin) passes its check", async () => {
        const plan = await workspace.plan("account-a");
        const canary = (plan.checks ?? []).find((c: any) => c.address?.name === "canary_reaches_api");
        assert.equal(canary?.status, "pass", `the canary's check: ${JSON.stringify(canary)}`);
      });
      await timed("the canary invoked through Lambda: every method ok", () => canaryPasses(twin, a));
      await checklistBreaks(twin, facts, a, b, timed);
      await outsidersDenied(twin, facts, b, outsider, timed);
      const usage = twin.usage();
      context.lines.push(`  twin: ${twinSeconds.toFixed(1)} s of the scenario's steps; CPU ${usage.total.toFixed(1)} s (node ${usage.node.toFixed(1)}, commands ${usage.commands.toFixed(1)}, agents ${usage.agents.toFixed(1)})`);
    } finally {
      await twin.stop();
    }
  },
};
