import { apisOf, endpointOf, vpcOf } from "../facts";
import { policyDocument, sameValue } from "../model";
import { fail, Finding, pass, Rule, unknownUntilPlanned } from "../rule";
import { ownerPolicyAdmits } from "./owner-policy";

/** Article, item 4: the resource policy must allow the source: B's endpoint, and only it. */
export const policySourceVpce: Rule = {
  id: "policy-source-vpce",
  hop: "7 B: API",
  title: "the resource policy allows Invoke and denies every endpoint but B's",
  fix: "Attach a policy that allows execute-api:Invoke and denies it when aws:SourceVpce is not B's endpoint id (for an existing API: the statements of account-b's api_resource_policies output).",
  evaluate(model) {
    const endpoint = endpointOf(model);
    const apis = apisOf(model);
    if (!endpoint || apis.length === 0) return fail("B has no REST API or no execute-api endpoint.");
    return apis.map((api): Finding => {
      if (api.existing && !api.policy) {
        // The owner's policy: read live, and evaluated as API Gateway does.
        const cidrA = vpcOf(model, "account-a")?.cidr;
        const through = cidrA ? ownerPolicyAdmits(model, api, cidrA) : undefined;
        const elsewhere = cidrA ? ownerPolicyAdmits(model, api, cidrA, "vpce-0ffffffffffffffff") : undefined;
        if (!through || !elsewhere) return unknownUntilPlanned(`${api.api.address}: its owner's resource policy is read at plan time (npm run preflight -- --plan, or npm run doctor)`, api.name);
        if ("unreadable" in through) return fail(`${api.api.address}: ${through.unreadable}.`, api.name);
        if (through.verdict === "none") return fail(`${api.api.address}'s policy admits no call through B's endpoint: ${through.summary}.`, api.name);
        if (!("unreadable" in elsewhere) && elsewhere.verdict !== "none") return fail(`${api.api.address}'s policy admits calls through other endpoints too: ${elsewhere.summary}.`, api.name);
        return pass(`${api.api.address}'s policy admits B's endpoint only`, api.name);
      }
      const policy = api.policy;
      if (!policy) return fail(`${api.api.address} has no resource policy (a private API cannot be deployed without one).`, api.name);
      const document = policyDocument(policy.values.policy, model.b.locals);
      if (!document) return fail(`cannot read ${policy.address}'s policy.`, api.name);
      const statements: any[] = [].concat(document.Statement ?? []);
      if (!statements.some((s) => s.Effect === "Allow" && [].concat(s.Action).includes("execute-api:Invoke" as never))) return fail(`${policy.address} allows no execute-api:Invoke.`, api.name);
      const denies = statements.filter((s) => s.Effect === "Deny" && s.Condition?.StringNotEquals?.["aws:SourceVpce"] !== undefined);
      if (!denies.length) return fail(`${policy.address} has no Deny on aws:SourceVpce: any endpoint may call the API.`, api.name);
      const endpointId = endpoint.address.startsWith("data.") ? `\${${endpoint.address}.id}` : `\${${endpoint.address}.id}`;
      const named = denies.some((s) => [].concat(s.Condition.StringNotEquals["aws:SourceVpce"]).some((id) => sameValue(model, ["account-b", id], ["account-b", endpointId]) || id === endpoint.values.id));
      return named ? pass(`${policy.address} admits ${endpoint.address} only`, api.name) : fail(`${policy.address} names another endpoint in aws:SourceVpce.`, api.name);
    });
  },
};
