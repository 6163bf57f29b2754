import assert from "node:assert/strict";
import { UpdateAccountCommand } from "@aws-sdk/client-api-gateway";
import { CreateRoleCommand } from "@aws-sdk/client-iam";
import { cloudFormationStacks, cloudWatchRoleSetting, roles } from "../aws-state";
import { configFile, proposedChanges } from "../rollout";
import { allOf, Scenario } from "../scenario";

/**
 * Account B's region already logs through another team's role: B's deploys, plans and destroy
 * must neither clear nor repoint it (What a real apply shows, 1).
 */
export const cloudWatchRoleTakenScenario: Scenario = {
  name: "cloudwatch-role-taken",
  title: "B in an account whose API Gateway logging role is another team's",
  seconds: 90,
  async run(context) {
    const config = configFile("config/example.json");
    const b = context.account(config.accountB.accountId, config.accountB.region);
    const theirs = await context.step("the region's setting names another team's role", async () => {
      const { Role } = await b.iam.send(new CreateRoleCommand({ RoleName: "platform-apigateway-logs", Path: "/platform/", AssumeRolePolicyDocument: "{}" }));
      await b.apigateway.send(new UpdateAccountCommand({ patchOperations: [{ op: "replace", path: "/cloudwatchRoleArn", value: Role!.Arn }] }));
      return Role!.Arn!;
    });
    const workspace = context.workspace();
    await workspace.synthesize(config);

    await context.step("B's first plan leaves the setting alone and makes no role", async () => {
      const changes = proposedChanges(await workspace.plan("account-b"));
      await allOf([
        () => assert.ok(!changes.some((c) => c.startsWith("aws_cloudformation_stack.")), `no CloudFormation stack is planned: ${changes.filter((c) => c.includes("cloudformation"))}`),
        () => assert.ok(!changes.some((c) => c.startsWith("aws_api_gateway_account.") && !c.endsWith(": create")), `the setting is only read (imported): ${changes.filter((c) => c.includes("api_gateway_account"))}`),
      ]);
    });
    await context.step("B deployed twice: the setting still names their role, no stack of ours exists", async () => {
      await workspace.deploy("account-b");
      await workspace.deploy("account-b");
      await allOf([
        async () => assert.equal(await cloudWatchRoleSetting(b), theirs),
        async () => assert.deepEqual(await cloudFormationStacks(b), []),
        async () => assert.equal((await workspace.outputs("account-b")).apigateway_cloudwatch_role_arn, theirs, "the stage logs through their role"),
      ]);
    });
    await context.step("B destroyed: their role and the setting stay", async () => {
      await workspace.destroy("account-b");
      assert.equal(await cloudWatchRoleSetting(b), theirs);
      assert.deepEqual((await roles(b)).map((r) => r.arn), [theirs]);
    });
  },
};
