import { apisOf, endpointOf } from "../facts";
import { literal, sameValue } from "../model";
import { fail, Finding, pass, Rule, unknownUntilPlanned } from "../rule";

/** Each API is private and associated with B's endpoint (which also publishes <api-id>-<vpce-id>). */
export const apiPrivateAssociated: Rule = {
  id: "api-private-associated",
  hop: "7 B: API",
  title: "the REST API is PRIVATE and associated with B's endpoint",
  fix: "Set the API's endpoint_configuration to types = [\"PRIVATE\"] with vpc_endpoint_ids = [B's execute-api endpoint]; for an existing API, its owner does.",
  evaluate(model) {
    const endpoint = endpointOf(model);
    const apis = apisOf(model);
    if (apis.length === 0 || !endpoint) return fail("B has no REST API or no execute-api endpoint.");
    return apis.map((api): Finding => {
      // An existing API as B's plan read it (plan or live), else what its plan-time conditions check.
      const values = api.existing ? api.api.instances?.[0] : api.api.values;
      if (!values) {
        const conditions = (api.api.values.lifecycle?.postcondition ?? []).map((p: any) => String(p.condition)).join(" ");
        return conditions.includes('"PRIVATE"')
          ? unknownUntilPlanned(`${api.api.address} (an existing API) is read at plan time, which stops unless it is PRIVATE${conditions.includes("vpc_endpoint_ids") ? " and associated with B's endpoint" : "; its association with the endpoint B creates is a check block"}`, api.name)
          : fail(`${api.api.address} (an existing API) is not checked for PRIVATE at plan time.`, api.name);
      }
      const config = Array.isArray(values.endpoint_configuration) ? values.endpoint_configuration[0] : values.endpoint_configuration;
      if (!config?.types?.includes("PRIVATE")) return fail(`${api.api.address} is not PRIVATE (types: ${JSON.stringify(config?.types ?? [])}).`, api.name);
      const endpointId = `\${${endpoint.address}.id}`;
      const endpointLiteral = literal(model, "account-b", endpointId) ?? endpoint.instances?.[0]?.id;
      const associated = (config.vpc_endpoint_ids ?? []).some((id: unknown) => sameValue(model, ["account-b", id], ["account-b", endpointId]) || (endpointLiteral !== undefined && id === endpointLiteral));
      return associated ? pass(`${api.api.address} is PRIVATE and associated with ${endpoint.address}`, api.name) : fail(`${api.api.address} is not associated with ${endpoint.address}${endpointLiteral ? ` (${endpointLiteral})` : ""}.`, api.name);
    });
  },
};
