import { apisOf, vpcOf, zoneOf } from "../facts";
import { resolve, sameValue } from "../model";
import { fail, Finding, pass, Rule } from "../rule";

/** Without a zone named after each API in A's VPC, A's resolver answers NXDOMAIN. */
export const phzName: Rule = {
  id: "phz-name",
  hop: "5 A: private DNS",
  title: "A has a private hosted zone <api-id>.execute-api.<B's region>.amazonaws.com, associated with A's VPC",
  fix: "Name A's aws_route53_zone after B's REST API id and B's region, with a vpc block for A's VPC.",
  evaluate(model) {
    const apis = apisOf(model);
    if (apis.length === 0) return fail("B has no REST API.");
    return apis.map((api): Finding => {
      const { zone } = zoneOf(model, api);
      if (!zone) return fail(`A has no aws_route53_zone for ${api.name ? `API ${api.name}` : "the API"}.`, api.name);
      const name = String(zone.values.name ?? "");
      const suffix = `.execute-api.${model.b.provider.region}.amazonaws.com`;
      const idPart = name.endsWith(suffix) ? name.slice(0, -suffix.length) : undefined;
      const apiId = resolve(model, "account-b", api.idRef);
      const named = idPart !== undefined && (sameValue(model, ["account-a", idPart], ["account-b", api.idRef]) || (apiId.kind === "literal" && idPart === apiId.value));
      if (!named) return fail(`${zone.address} is named ${JSON.stringify(name)}, not B's API id followed by ${suffix}.`, api.name);
      const vpcA = vpcOf(model, "account-a");
      const vpcs: any[] = Array.isArray(zone.values.vpc) ? zone.values.vpc : [];
      if (!vpcA || !vpcs.some((v) => sameValue(model, ["account-a", v.vpc_id], ["account-a", vpcA.idRef]))) {
        return fail(`${zone.address} is not associated with A's VPC (a public zone, or another VPC).`, api.name);
      }
      return pass(`${zone.address} is the API's name in ${model.b.provider.region}, in A's VPC`, api.name);
    });
  },
};
