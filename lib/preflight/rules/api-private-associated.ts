import { endpointOf, restApiOf } from "../facts";
import { sameValue } from "../model";
import { fail, pass, Rule } from "../rule";

/** A private API, associated with B's endpoint (which also publishes <api-id>-<vpce-id>). */
export const apiPrivateAssociated: Rule = {
  id: "api-private-associated",
  hop: "7 B: API",
  title: "the REST API is PRIVATE and associated with B's endpoint",
  fix: "Set the API's endpoint_configuration to types = [\"PRIVATE\"] with vpc_endpoint_ids = [B's execute-api endpoint].",
  evaluate(model) {
    const api = restApiOf(model);
    const endpoint = endpointOf(model);
    if (!api || !endpoint) return fail("B has no REST API or no execute-api endpoint.");
    const config = Array.isArray(api.values.endpoint_configuration) ? api.values.endpoint_configuration[0] : api.values.endpoint_configuration;
    if (!config?.types?.includes("PRIVATE")) return fail(`${api.address} is not PRIVATE (types: ${JSON.stringify(config?.types ?? [])}).`);
    const associated = (config.vpc_endpoint_ids ?? []).some((id: unknown) => sameValue(model, ["account-b", id], ["account-b", `\${${endpoint.address}.id}`]));
    return associated ? pass(`${api.address} is PRIVATE and associated with ${endpoint.address}`) : fail(`${api.address} is not associated with ${endpoint.address}.`);
  },
};
