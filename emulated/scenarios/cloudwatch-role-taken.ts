import assert from "node:assert/strict";
import { UpdateAccountCommand } from "@aws-sdk/client-api-gateway";
import { CreateRoleCommand } from "@aws-sdk/client-iam";
import { cloudFormationStacks, cloudWatchRoleSetting, roles } from "../aws-state";
import { configFile } from "../rollout";
import { allOf, Scenario } from "../scenario";

/**
 * Account B's region already logs through another team's role: B's deploys, plans and destroy
 * must neither clear nor repoint it (What a real apply shows, 1).
 */
export const cloudWatchRoleTakenScenario: Scenario = {
  name: "cloudwatch-role-taken",
  title: "B in an account whose API Gateway logging role is another team's",
  seconds: 110,
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

    await context.step("B's deploy neither clears nor repoints the setting, and makes no role", async () => {
      const output = await workspace.deploy("account-b");
      await allOf([
        async () => assert.equal(await cloudWatchRoleSetting(b), theirs, "the setting still names their role"),
        async () => assert.deepEqual(await cloudFormationStacks(b), [], "no CloudFormation stack of ours"),
        () => assert.doesNotMatch(output, /aws_api_gateway_account\.[\w-]+ will be updated/, "the imported setting is never updated"),
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
