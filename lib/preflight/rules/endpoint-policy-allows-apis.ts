import { apiGatewayPrivateInvoke, invokeRequest } from "../../policy";
import { apisOf, endpointIsExisting, endpointOf } from "../facts";
import { fail, Finding, pass, Rule, unknownUntilPlanned } from "../rule";

/** The endpoint's policy must allow invoking each API (B's own endpoint: each API and nothing else). */
export const endpointPolicyAllowsApis: Rule = {
  id: "endpoint-policy-allows-apis",
  hop: "6 B: endpoint",
  title: "the endpoint's policy allows invoking the API",
  fix: "B's own endpoint: its aws_vpc_endpoint_policy lists each API's execution ARN. An existing endpoint: its owner adds the statement of account-b's endpoint_policy_statement output to its policy.",
  evaluate(model) {
    const endpoint = endpointOf(model);
    const apis = apisOf(model);
    if (!endpoint || apis.length === 0) return fail("B has no execute-api endpoint or no REST API.");
    if (!endpointIsExisting(endpoint)) {
      const policy = model.b.all("aws_vpc_endpoint_policy")[0];
      if (!policy) return pass(`${endpoint.address} has the default policy, which allows every API`);
      const local = /^\$\{jsonencode\(local\.([\w-]+)\)\}$/.exec(String(policy.values.policy))?.[1];
      const document: any = local ? model.b.locals[local] : undefined;
      const resources = [document?.Statement ?? []].flat().flatMap((s: any) => [s.Resource].flat());
      return apis.map((api): Finding => {
        const arn = api.existing ? undefined : `\${${api.api.address}.execution_arn}/*`;
        const listed = arn ? resources.includes(arn) : resources.some((r: string) => String(r).includes(api.idRef));
        return listed || !document ? pass(`${policy.address} allows invoking ${api.api.address}`, api.name) : fail(`${policy.address} does not list ${api.api.address}.`, api.name);
      });
    }
    // An existing endpoint's policy, as B's plan or the live deployment read it.
    const live = endpoint.instances?.[0];
    if (!live) return unknownUntilPlanned(`${endpoint.address} (B's existing endpoint): its owner's policy is read at plan time (npm run preflight -- --plan, or npm run doctor)`);
    return apis.map((api): Finding => {
      const apiLive = api.api.instances?.[0] ?? api.api.values;
      const [, region, accountId, apiId] = /^arn:[^:]+:execute-api:([^:]+):(\d+):([a-z0-9]+)/.exec(String(apiLive.execution_arn ?? "")) ?? [];
      if (!apiId) return unknownUntilPlanned(`${api.api.address}'s id is not known yet`, api.name);
      const request = invokeRequest({ region, accountId, apiId, stage: "stage", method: "GET", path: "/", sourceVpce: live.id, sourceIp: "10.0.0.1" });
      // The resource policy is not in question here: only whether the endpoint's policy lets the call through.
      const decision = apiGatewayPrivateInvoke({ endpointPolicy: live.policy || null, resourcePolicy: { Version: "2012-10-17", Statement: [{ Effect: "Allow", Principal: "*", Action: "execute-api:Invoke", Resource: "*" }] }, request });
      return decision.allowed || decision.decidedBy !== "endpoint policy"
        ? pass(`${live.id}'s policy allows invoking ${apiId}`, api.name)
        : fail(`${live.id}'s policy does not allow invoking ${apiId}: ${decision.reason}.`, api.name);
    });
  },
};
