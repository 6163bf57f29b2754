import { vpcOf, postconditionMentions } from "../facts";
import { fail, pass, Rule } from "../rule";

/** A private hosted zone answers only in a VPC with DNS support and DNS host names on. */
export const aVpcDns: Rule = {
  id: "a-vpc-dns",
  hop: "1 A: client VPC",
  title: "A's VPC has enableDnsSupport and enableDnsHostnames on",
  fix: "Create A's VPC with both settings on, or turn them on in the existing VPC (accountA.existingVpc).",
  evaluate(model) {
    const vpc = vpcOf(model, "account-a");
    if (!vpc) return fail("account-a has no VPC (aws_vpc or data aws_vpc).");
    if (vpc.existing) {
      return postconditionMentions(vpc.element, "self.enable_dns_support && self.enable_dns_hostnames")
        ? pass(`existing VPC ${vpc.element.address} is checked for both at plan time`)
        : fail(`existing VPC ${vpc.element.address} is not checked for DNS support and host names.`);
    }
    const { enable_dns_support: support, enable_dns_hostnames: hostnames } = vpc.element.values;
    if (support === false || hostnames !== true) {
      return fail(`${vpc.element.address} has enable_dns_support = ${support ?? "default (true)"}, enable_dns_hostnames = ${hostnames ?? "default (false)"}.`);
    }
    return pass(`${vpc.element.address} has DNS support and DNS host names on`);
  },
};
