import { endpointIsExisting, endpointOf } from "../facts";
import { fail, pass, Rule } from "../rule";

/** B's endpoint for execute-api, in B's region, with private DNS on (the article's set-up). */
export const endpointPrivateDns: Rule = {
  id: "endpoint-private-dns",
  hop: "6 B: endpoint",
  title: "B has an execute-api interface endpoint in its region with private DNS on",
  fix: "Give B an aws_vpc_endpoint for com.amazonaws.<accountB.region>.execute-api, type Interface, private_dns_enabled = true.",
  evaluate(model) {
    const endpoint = endpointOf(model);
    if (!endpoint) return fail("B has no aws_vpc_endpoint for execute-api.");
    if (endpointIsExisting(endpoint)) {
      // The VPC's own endpoint: B's plan stops unless it is an execute-api interface endpoint in
      // B's VPC; its private DNS is its owner's (off, B's own callers cannot use the APIs' names;
      // the consumers' private hosted zones do not need it).
      const live = endpoint.instances?.[0];
      if (!live) return pass(`${endpoint.address} (B's existing endpoint) is checked at plan time for its VPC, service and type; its private DNS is its owner's`);
      return pass(`${endpoint.address} (${live.id}) serves ${live.service_name}, private DNS ${live.private_dns_enabled ? "on" : "off (B's own callers cannot use the APIs' names; consumers can)"}`);
    }
    const expected = `com.amazonaws.${model.b.provider.region}.execute-api`;
    const problems: string[] = [];
    if (endpoint.values.service_name !== expected) problems.push(`service is ${endpoint.values.service_name}, not ${expected}`);
    if (endpoint.values.vpc_endpoint_type !== "Interface") problems.push(`type is ${endpoint.values.vpc_endpoint_type}, not Interface`);
    if (endpoint.values.private_dns_enabled !== true) problems.push("private DNS is off");
    return problems.length ? fail(`${endpoint.address}: ${problems.join("; ")}.`) : pass(`${endpoint.address} serves ${expected} with private DNS`);
  },
};
