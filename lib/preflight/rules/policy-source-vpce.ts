import { endpointOf } from "../facts";
import { policyDocument, sameValue } from "../model";
import { fail, pass, Rule } from "../rule";

/** Article, item 4: the resource policy must allow the source: B's endpoint, and only it. */
export const policySourceVpce: Rule = {
  id: "policy-source-vpce",
  hop: "7 B: API",
  title: "the resource policy allows Invoke and denies every endpoint but B's",
  fix: "Attach a policy that allows execute-api:Invoke and denies it when aws:SourceVpce is not B's endpoint id.",
  evaluate(model) {
    const policy = model.b.all("aws_api_gateway_rest_api_policy")[0];
    const endpoint = endpointOf(model);
    if (!policy || !endpoint) return fail("B's API has no resource policy (a private API cannot be deployed without one).");
    const document = policyDocument(policy.values.policy, model.b.locals);
    if (!document) return fail(`cannot read ${policy.address}'s policy.`);
    const statements: any[] = [].concat(document.Statement ?? []);
    if (!statements.some((s) => s.Effect === "Allow" && [].concat(s.Action).includes("execute-api:Invoke" as never))) return fail(`${policy.address} allows no execute-api:Invoke.`);
    const denies = statements.filter((s) => s.Effect === "Deny" && s.Condition?.StringNotEquals?.["aws:SourceVpce"] !== undefined);
    if (!denies.length) return fail(`${policy.address} has no Deny on aws:SourceVpce: any endpoint may call the API.`);
    const named = denies.some((s) => [].concat(s.Condition.StringNotEquals["aws:SourceVpce"]).some((id) => sameValue(model, ["account-b", id], ["account-b", `\${${endpoint.address}.id}`])));
    return named ? pass(`${policy.address} admits ${endpoint.address} only`) : fail(`${policy.address} names another endpoint in aws:SourceVpce.`);
  },
};
