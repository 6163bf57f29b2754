import { cidrContains, parseIpv4Cidr } from "../../config/cidr";
import { vpcOf } from "../facts";
import { literalList, policyDocument } from "../model";
import { fail, pass, Rule } from "../rule";

/** Article, item 4: if the policy limits callers by address, A's CIDR must be among them. */
export const policySourceIp: Rule = {
  id: "policy-source-ip",
  hop: "7 B: API",
  title: "the resource policy's aws:VpcSourceIp ranges include A's CIDR",
  fix: "Add A's CIDR to api.allowedSourceCidrs (or the allowed_source_cidrs variable), then deploy account-b (the API is redeployed).",
  evaluate(model) {
    const policy = model.b.all("aws_api_gateway_rest_api_policy")[0];
    const cidrA = vpcOf(model, "account-a")?.cidr;
    const blockA = cidrA ? parseIpv4Cidr(cidrA) : undefined;
    const document = policy ? policyDocument(policy.values.policy) : undefined;
    if (!document || !blockA) return fail("cannot read B's resource policy or A's CIDR.");
    const conditions = [].concat(document.Statement ?? []).filter((s: any) => s.Effect === "Deny" && s.Condition?.NotIpAddress?.["aws:VpcSourceIp"] !== undefined);
    if (!conditions.length) return pass("the policy does not limit callers by source address");
    for (const statement of conditions as any[]) {
      const ranges = literalList(model, "account-b", statement.Condition.NotIpAddress["aws:VpcSourceIp"]);
      if (!ranges) return fail(`cannot read the aws:VpcSourceIp ranges of ${policy!.address}.`);
      const covered = ranges.some((range) => {
        const block = parseIpv4Cidr(range);
        return block !== undefined && cidrContains(block, blockA);
      });
      if (!covered) return fail(`aws:VpcSourceIp ${JSON.stringify(ranges)} leaves out A's ${cidrA}: A's calls are denied.`);
    }
    return pass(`aws:VpcSourceIp admits ${cidrA}`);
  },
};
