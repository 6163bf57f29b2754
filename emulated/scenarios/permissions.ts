import assert from "node:assert/strict";
import { COMMAND_KINDS, CommandKind, stackPermissions, StackPermissions } from "../../lib/permissions/generate";
import { formatReport, judge, KindEvidence, operationsInOutput } from "../../lib/permissions/minimality";
import { PolicyDocument } from "../../lib/permissions/policy";
import { readSynthesizedStack } from "../../lib/permissions/run-permissions";
import { functions, livePeerings, restApis, vpcs } from "../aws-state";
import { setLambdaAnswer } from "../emulator/emulator";
import { Authorization, assumedRole, authorizations, forgetAuthorizations, Identities, recordedSince, setIamChecks } from "../identities";
import { canaryAnswer, configFile } from "../rollout";
import { allOf, Scenario } from "../scenario";
import { EmulatedIdentity, StepFailed, TIME_LIMITS } from "../workspace";

/** The role of a stack's identity for one command kind, in the stack's account. */
const roleName = (stack: string, kind: CommandKind) => `${stack}-${kind}`;

/** `policy` without `action` in any statement. */
function without(policy: PolicyDocument, action: string): PolicyDocument {
  return { ...policy, Statement: policy.Statement.map((s) => ({ ...s, Action: s.Action.filter((a) => a !== action) })).filter((s) => s.Action.length > 0) };
}

/** What the identity `role` requested: each action's allowed and denied counts. */
function requestedBy(records: Authorization[], role: string): Map<string, { allowed: number; denied: number }> {
  return new Map(records.filter((r) => assumedRole(r.principal) === role).map((r) => [r.action, { allowed: r.allowed, denied: r.denied }]));
}

/** `total` less what `part` recorded (per principal and action). */
function minus(total: Authorization[], part: Authorization[]): Authorization[] {
  const removed = new Map(part.map((p) => [`${p.principal} ${p.action}`, p]));
  return total.map((t) => {
    const p = removed.get(`${t.principal} ${t.action}`);
    return p ? { ...t, allowed: t.allowed - p.allowed, denied: t.denied - p.denied, invalid: t.invalid - p.invalid } : t;
  });
}

/**
 * The example deployed, planned and destroyed by identities holding exactly the generated
 * policies (npm run permissions), one role per stack and command kind, with the emulator's IAM
 * checks on: moto checks actions only (not resources or conditions: emulated/identities.ts), as
 * AWS names them (the launcher's corrections). Then each policy is judged against what its
 * commands requested and did (lib/permissions/minimality.ts): nothing denied, nothing granted that
 * nothing asked for although what needs it ran; what no command of the kind reached, and what only
 * AWS checks, are listed. And one action a plan needs is removed, to see that plan fail with
 * AccessDenied naming it.
 */
export const permissionsScenario: Scenario = {
  name: "permissions",
  title: "deploy, plan and destroy with exactly the generated permissions; each policy minimal",
  seconds: 170,
  async run(context) {
    const config = configFile("config/example.json");
    const workspace = context.workspace();
    await workspace.synthesize(config);
    const region = config.accountB.region;
    const stacks = workspace.stacks();
    const accountOf = (stack: string) => (stack === "account-b" ? config.accountB.accountId : config.accountA.accountId);

    const permissions: Record<string, StackPermissions> = Object.fromEntries(stacks.map((s) => [s, stackPermissions(readSynthesizedStack(workspace.outdir, s))]));
    const identities = await Identities.create(context.emulator, [config.accountA.accountId, config.accountB.accountId], region);
    const ids: Record<string, EmulatedIdentity> = {};
    await context.step("a role per stack and command kind, holding the generated policy's actions", async () => {
      for (const stack of stacks) for (const kind of COMMAND_KINDS) ids[roleName(stack, kind)] = await identities.grant(accountOf(stack), region, roleName(stack, kind), permissions[stack].policies[kind]!);
    });
    await setLambdaAnswer(context.emulator, config.accountA.accountId, region, canaryAnswer());
    // A running emulator (--emulator) keeps the records of earlier runs: the judgement is this run's.
    await forgetAuthorizations(context.emulator);
    const a = identities.admin(config.accountA.accountId, region);
    const b = identities.admin(config.accountB.accountId, region);

    // What each kind's commands printed, for what Terraform did (operationsInOutput).
    const outputs: Record<string, string[]> = {};
    const as = async (stack: string, kind: CommandKind, run: () => Promise<string>) => {
      workspace.actAs(stack, ids[roleName(stack, kind)]);
      (outputs[`${stack} ${kind}`] ??= []).push(await run());
    };
    const plan = (stack: string) => workspace.terraform(stack, "plan", ["plan", "-json", "-input=false", "-lock=false"], TIME_LIMITS.plan).then((r) => r.stdout);

    await setIamChecks(context.emulator, true);
    try {
      await context.step("deploy account-b, account-a, account-b (the README's rollout) with the deploy identities", async () => {
        await as("account-b", "deploy", () => workspace.deploy("account-b"));
        await as("account-a", "deploy", () => workspace.deploy("account-a"));
        await as("account-b", "deploy", () => workspace.deploy("account-b"));
        const [peering] = await livePeerings(b);
        await allOf([
          () => assert.equal(peering?.Status?.Code, "active", "the peering is active"),
          async () => assert.equal((await restApis(b)).length, 1),
          async () => assert.deepEqual((await functions(a)).map((f) => f.name), ["private-apigw-account-a-canary"]),
        ]);
      });
      await context.step("plan each stack with the plan identities (the canary's check invoked)", async () => {
        for (const stack of stacks) await as(stack, "plan", () => plan(stack));
      });

      const before = await authorizations(context.emulator);
      // A read of a managed resource, so that its denial fails the plan (a check block's failing data source would only warn).
      const candidates = [...requestedBy(before, roleName("account-a", "plan")).keys()].filter((action) => (permissions["account-a"].needs.plan![action] ?? []).every((n) => !n.source.startsWith("data.") && n.source !== "doctor") && permissions["account-a"].needs.plan![action]);
      const removed = candidates.includes("route53:GetHostedZone") ? "route53:GetHostedZone" : candidates.sort()[0];
      const removal = await context.step(`remove ${removed} from account-a's plan policy: its plan fails with AccessDenied naming it`, async () => {
        assert.ok(removed, "a plan of account-a requested an action that reads a managed resource");
        const reduced = without(permissions["account-a"].policies.plan!, removed);
        await identities.grant(config.accountA.accountId, region, roleName("account-a", "plan"), reduced);
        workspace.actAs("account-a", ids[roleName("account-a", "plan")]);
        const failure = await plan("account-a").then(() => undefined, (error: Error) => error);
        await identities.grant(config.accountA.accountId, region, roleName("account-a", "plan"), permissions["account-a"].policies.plan!);
        assert.ok(failure instanceof StepFailed, `the plan without ${removed} succeeded`);
        assert.match(failure.message, new RegExp(`AccessDenied[\\s\\S]*not authorized to perform: ${removed}`), "the plan's error names the action");
        const recorded = recordedSince(before, await authorizations(context.emulator));
        // What the check prints for the policy that lacked it, judged on that run's own requests.
        const report = judge(reduced, permissions["account-a"].needs.plan!, { performed: operationsInOutput(failure.message), requested: requestedBy(recorded, roleName("account-a", "plan")) });
        assert.deepEqual(report.missing.map((m) => m.action), [removed], "the minimality check names the removed action as missing");
        context.lines.push(...formatReport(`account-a plan without ${removed}`, report).slice(0, 2).map((l) => `        ${l}`));
        return recorded;
      });

      await context.step("destroy account-a, then account-b, with the destroy identities", async () => {
        await as("account-a", "destroy", () => workspace.destroy("account-a"));
        await as("account-b", "destroy", () => workspace.destroy("account-b"));
        for (const account of [a, b]) assert.deepEqual(await vpcs(account), [], `${account.accountId} keeps no VPC`);
      });

      const records = minus(await authorizations(context.emulator), removal);
      await context.step("each policy is minimal: every action requested and allowed, none denied, none unused", async () => {
        const invalid = records.filter((r) => r.invalid > 0);
        assert.deepEqual(invalid.map((r) => `${r.principal} ${r.action}`), [], "every request's signature and key verified (else its action was never evaluated)");
        const failures: string[] = [];
        for (const stack of stacks) {
          for (const kind of COMMAND_KINDS) {
            const evidence: KindEvidence = {
              performed: new Set((outputs[`${stack} ${kind}`] ?? []).flatMap((o) => [...operationsInOutput(o)])),
              requested: requestedBy(records, roleName(stack, kind)),
            };
            const report = judge(permissions[stack].policies[kind]!, permissions[stack].needs[kind]!, evidence);
            context.lines.push(...formatReport(`${stack} ${kind}`, report).map((l) => `        ${l}`));
            if (!report.ok) failures.push(`${stack} ${kind}`);
            // The check itself: an action granted that nothing needs is reported.
            const padded = { ...permissions[stack].policies[kind]!, Statement: [...permissions[stack].policies[kind]!.Statement, { Sid: "Extra", Effect: "Allow" as const, Action: ["ec2:DeleteFlowLogs"], Resource: "*" }] };
            assert.deepEqual(judge(padded, permissions[stack].needs[kind]!, evidence).unused.map((u) => u.action), [...report.unused.map((u) => u.action), "ec2:DeleteFlowLogs"].sort());
          }
        }
        assert.deepEqual(failures, [], "every policy is exactly what its commands requested");
      });
    } finally {
      await setIamChecks(context.emulator, false);
    }
  },
};
