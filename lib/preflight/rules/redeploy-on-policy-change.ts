import { fail, pass, Rule } from "../rule";

/** Article, item 5: a policy change takes effect only when the API is deployed again. */
export const redeployOnPolicyChange: Rule = {
  id: "redeploy-on-policy-change",
  hop: "7 B: API",
  title: "the deployment is redeployed when the policy changes, and the stage serves it",
  fix: "Give aws_api_gateway_deployment triggers that hash the policy resource's policy, create_before_destroy, a dependency on the policy, and a stage that points at it.",
  evaluate(model) {
    const policy = model.b.all("aws_api_gateway_rest_api_policy")[0];
    const deployment = model.b.all("aws_api_gateway_deployment")[0];
    const stage = model.b.all("aws_api_gateway_stage")[0];
    if (!policy || !deployment || !stage) return fail("B lacks the resource policy, the deployment or the stage.");
    if (model.b.planned) {
      return pass(`${deployment.address} is planned with the policy's current content`);
    }
    const problems: string[] = [];
    if (!String(deployment.values.triggers?.redeployment ?? "").includes(`${policy.address}.policy`)) problems.push("its triggers do not hash the policy resource");
    if (deployment.values.lifecycle?.create_before_destroy !== true) problems.push("it is not create_before_destroy");
    if (!(deployment.values.depends_on ?? []).includes(policy.address)) problems.push("it does not wait for the policy");
    if (stage.values.deployment_id !== `\${${deployment.address}.id}`) problems.push("the stage does not serve it");
    return problems.length ? fail(`${deployment.address}: ${problems.join("; ")}.`) : pass(`${deployment.address} follows ${policy.address}`);
  },
};
