import { apisOf } from "../facts";
import { fail, Finding, pass, Rule, unknownUntilPlanned } from "../rule";

/** Article, item 5: a policy change takes effect only when the API is deployed again. */
export const redeployOnPolicyChange: Rule = {
  id: "redeploy-on-policy-change",
  hop: "7 B: API",
  title: "the deployment is redeployed when the policy changes, and the stage serves it",
  fix: "Give aws_api_gateway_deployment triggers that hash the policy document the policy resource sends, create_before_destroy, a dependency on the policy resource, and a stage that points at it.",
  evaluate(model) {
    const apis = apisOf(model);
    if (apis.length === 0) return fail("B has no REST API.");
    return apis.map((api): Finding => {
      if (api.existing) {
        return unknownUntilPlanned(`${api.api.address} is deployed by its owner: after its resource policy changes${api.policy ? ` (${api.policy.address} attaches it)` : ""}, its owner redeploys stage ${api.stage?.values.stage_name ?? "(its stage)"} for it to take effect`, api.name);
      }
      const { policy, deployment, stage } = api;
      if (!policy || !deployment || !stage) return fail("B lacks the resource policy, the deployment or the stage.", api.name);
      if (model.b.planned) return pass(`${deployment.address} is planned with the policy's current content`, api.name);
      const problems: string[] = [];
      // The document as configured (a local the policy sends), or the policy resource's attribute.
      const source = /^\$\{jsonencode\((local\.[\w-]+)\)\}$/.exec(String(policy.values.policy))?.[1] ?? `${policy.address}.policy`;
      if (!new RegExp(`${source.replace(/[.[\]]/g, "\\$&")}\\b`).test(String(deployment.values.triggers?.redeployment ?? ""))) problems.push(`its triggers do not hash the policy (${source})`);
      if (deployment.values.lifecycle?.create_before_destroy !== true) problems.push("it is not create_before_destroy");
      if (!(deployment.values.depends_on ?? []).includes(policy.address)) problems.push("it does not wait for the policy");
      if (stage.values.deployment_id !== `\${${deployment.address}.id}`) problems.push("the stage does not serve it");
      return problems.length ? fail(`${deployment.address}: ${problems.join("; ")}.`, api.name) : pass(`${deployment.address} follows ${policy.address}`, api.name);
    });
  },
};
