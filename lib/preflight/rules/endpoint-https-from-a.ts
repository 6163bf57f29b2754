import { parseIpv4Cidr } from "../../config/cidr";
import { admittedPart, canaryOutside, endpointOf, vpcOf } from "../facts";
import { Element, literal, literalList, ProjectModel, sameValue } from "../model";
import { fail, pass, Rule } from "../rule";

/** Article, item 3: the endpoint's security group must admit HTTPS from the source. */
export const endpointHttpsFromA: Rule = {
  id: "endpoint-https-from-a",
  hop: "6 B: endpoint",
  title: "the endpoint's security group admits TCP 443 from A (its CIDR, or the part that calls, the canary's subnets included), and not from 0.0.0.0/0",
  fix: "Add A's CIDR, or the part of it that calls the API and the canary's subnets, to api.allowedSourceCidrs (or the allowed_source_cidrs variable); never admit 0.0.0.0/0.",
  evaluate(model) {
    const endpoint = endpointOf(model);
    const cidrA = vpcOf(model, "account-a")?.cidr;
    const blockA = cidrA ? parseIpv4Cidr(cidrA) : undefined;
    if (!endpoint || !blockA) return fail("B has no execute-api endpoint, or A's CIDR is unknown.");
    // An existing endpoint's own groups, and the one B's stack associates with it.
    const associated = model.b.all("aws_vpc_endpoint_security_group_association").map((a) => a.values.security_group_id);
    const groups = [...((endpoint.values.security_group_ids ?? endpoint.instances?.[0]?.security_group_ids ?? []) as unknown[]), ...associated];
    const rules = ingressRules(model).filter((rule) => groups.some((group) => sameValue(model, ["account-b", rule.group], ["account-b", group])));
    const open = rules.filter((rule) => rule.cidrs.includes("0.0.0.0/0"));
    if (open.length) return fail(`${open[0].address} admits 0.0.0.0/0.`);
    const https = rules.filter((rule) => rule.covers443);
    const part = admittedPart(cidrA!, https.flatMap((rule) => rule.cidrs));
    if (!part.whole && part.ranges.length === 0) return fail(`no ingress rule of the endpoint's security group admits ${cidrA}, or any part of it, on TCP 443.`);
    const outside = canaryOutside(model, part.ranges);
    if (outside.length) return fail(`the endpoint's security group admits ${part.ranges.join(", ")} of A's ${cidrA} on 443, and not the canary's subnets ${outside.join(", ")}: its calls never connect, so its check would always fail.`);
    return pass(part.whole ? `${https[0].address} admits ${cidrA} on 443` : `${https[0].address} admits ${part.ranges.join(", ")} of A's ${cidrA} on 443 (the rest of A is not admitted)`);
  },
};

interface Ingress {
  readonly address: string;
  readonly group: unknown;
  readonly cidrs: string[];
  readonly covers443: boolean;
}

function ingressRules(model: ProjectModel): Ingress[] {
  const covers = (protocol: unknown, from: unknown, to: unknown) =>
    protocol === "-1" || protocol === "all" || ((protocol === "tcp" || protocol === "6") && Number(from) <= 443 && Number(to) >= 443);
  const standalone = model.b.all("aws_vpc_security_group_ingress_rule").flatMap((rule: Element) => {
    const instances = rule.instances?.length ? rule.instances : [rule.values];
    return instances.map((values) => {
      const each = values.cidr_ipv4 === "${each.value}" ? literalList(model, "account-b", rule.values.for_each) : undefined;
      const cidr = each ?? [literal(model, "account-b", values.cidr_ipv4)].filter((c): c is string => c !== undefined);
      return { address: rule.address, group: values.security_group_id, cidrs: cidr, covers443: covers(values.ip_protocol, values.from_port, values.to_port) };
    });
  });
  const inline = model.b.all("aws_security_group").flatMap((group) =>
    (group.values.ingress ?? []).map((rule: any) => ({
      address: group.address,
      group: `\${${group.address}.id}`,
      cidrs: literalList(model, "account-b", rule.cidr_blocks) ?? [],
      covers443: covers(rule.protocol, rule.from_port, rule.to_port),
    })),
  );
  return [...standalone, ...inline];
}
