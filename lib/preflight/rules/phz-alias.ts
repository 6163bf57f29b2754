import { apisOf, endpointOf, zoneOf } from "../facts";
import { sameValue } from "../model";
import { fail, Finding, pass, Rule } from "../rule";

/** Each zone's apex must answer B's endpoint addresses, through its regional DNS entry. */
export const phzAlias: Rule = {
  id: "phz-alias",
  hop: "5 A: private DNS",
  title: "the zone's apex A record aliases B's endpoint regional DNS name and hosted zone",
  fix: "Make A's aws_route53_record an A alias at the zone's apex to dns_entry[0].dns_name and dns_entry[0].hosted_zone_id of B's execute-api endpoint.",
  evaluate(model) {
    const endpoint = endpointOf(model);
    const apis = apisOf(model);
    if (!endpoint || apis.length === 0) return fail("A has no private hosted zone, or B has no execute-api endpoint.");
    return apis.map((api): Finding => {
      const { zone, record } = zoneOf(model, api);
      if (!zone) return fail(`A has no private hosted zone for ${api.name ? `API ${api.name}` : "the API"}.`, api.name);
      if (!record) return fail(`${zone.address} holds no record.`, api.name);
      const alias = Array.isArray(record.values.alias) ? record.values.alias[0] : record.values.alias;
      const problems: string[] = [];
      if (record.values.type !== "A") problems.push(`type is ${record.values.type}, not A`);
      if (!sameValue(model, ["account-a", record.values.name], ["account-a", zone.values.name])) problems.push("the record is not at the zone's apex");
      if (!alias) problems.push("it is not an alias");
      else {
        if (!sameValue(model, ["account-a", alias.name], ["account-b", `\${${endpoint.address}.dns_entry.0.dns_name}`])) problems.push("alias name is not the endpoint's regional DNS name (dns_entry[0].dns_name)");
        if (!sameValue(model, ["account-a", alias.zone_id], ["account-b", `\${${endpoint.address}.dns_entry.0.hosted_zone_id}`])) problems.push("alias zone is not the endpoint's hosted zone (dns_entry[0].hosted_zone_id)");
      }
      return problems.length ? fail(`${record.address}: ${problems.join("; ")}.`, api.name) : pass(`${record.address} aliases ${endpoint.address}`, api.name);
    });
  },
};
