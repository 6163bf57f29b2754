import { restApiOf, vpcOf } from "../facts";
import { resolve, sameValue } from "../model";
import { fail, pass, Rule } from "../rule";

/** Without a zone named after the API in A's VPC, A's resolver answers NXDOMAIN. */
export const phzName: Rule = {
  id: "phz-name",
  hop: "5 A: private DNS",
  title: "A has a private hosted zone <api-id>.execute-api.<B's region>.amazonaws.com, associated with A's VPC",
  fix: "Name A's aws_route53_zone after B's REST API id and B's region, with a vpc block for A's VPC.",
  evaluate(model) {
    const zone = model.a.all("aws_route53_zone")[0];
    const api = restApiOf(model);
    if (!zone || !api) return fail("A has no aws_route53_zone, or B has no REST API.");
    const name = String(zone.values.name ?? "");
    const suffix = `.execute-api.${model.b.provider.region}.amazonaws.com`;
    const idPart = name.endsWith(suffix) ? name.slice(0, -suffix.length) : undefined;
    const apiId = resolve(model, "account-b", `\${${api.address}.id}`);
    const named = idPart !== undefined && (sameValue(model, ["account-a", idPart], ["account-b", `\${${api.address}.id}`]) || (apiId.kind === "literal" && idPart === apiId.value));
    if (!named) return fail(`${zone.address} is named ${JSON.stringify(name)}, not B's API id followed by ${suffix}.`);
    const vpcA = vpcOf(model, "account-a");
    const vpcs: any[] = Array.isArray(zone.values.vpc) ? zone.values.vpc : [];
    if (!vpcA || !vpcs.some((v) => sameValue(model, ["account-a", v.vpc_id], ["account-a", vpcA.idRef]))) {
      return fail(`${zone.address} is not associated with A's VPC (a public zone, or another VPC).`);
    }
    return pass(`${zone.address} is the API's name in ${model.b.provider.region}, in A's VPC`);
  },
};
