import { parseIpv4Cidr } from "../../config/cidr";
import { admittedPart, apisOf, canaryOutside, vpcOf } from "../facts";
import { literalList, policyDocument } from "../model";
import { fail, Finding, pass, Rule, unknownUntilPlanned } from "../rule";
import { ownerPolicyAdmits } from "./owner-policy";

/** Article, item 4: if the policy limits callers by address, A's CIDR must be among them. */
export const policySourceIp: Rule = {
  id: "policy-source-ip",
  hop: "7 B: API",
  title: "the resource policy's aws:VpcSourceIp ranges admit A (its CIDR, or the part that calls, the canary's subnets included)",
  fix: "Add A's CIDR, or the part of it that calls the API and the canary's subnets, to api.allowedSourceCidrs (or the allowed_source_cidrs variable), then deploy account-b (the API is redeployed); or turn the canary off (accountA.canary). For an existing API whose owner keeps its policy: its owner adds the statements of account-b's api_resource_policies output and redeploys.",
  evaluate(model) {
    const cidrA = vpcOf(model, "account-a")?.cidr;
    const blockA = cidrA ? parseIpv4Cidr(cidrA) : undefined;
    const apis = apisOf(model);
    if (!blockA || apis.length === 0) return fail("cannot read B's resource policy or A's CIDR.");
    return apis.map((api): Finding => {
      if (api.existing && !api.policy) {
        const admission = ownerPolicyAdmits(model, api, cidrA!);
        if (!admission) return unknownUntilPlanned(`${api.api.address}: its owner's resource policy is read at plan time (npm run preflight -- --plan, or npm run doctor)`, api.name);
        if ("unreadable" in admission) return fail(`${api.api.address}: ${admission.unreadable}.`, api.name);
        if (admission.verdict === "none") return fail(`${api.api.address}'s policy denies A: ${admission.summary}.`, api.name);
        const outside = admission.verdict === "all" ? [] : canaryOutside(model, admission.admitted);
        if (outside.length) return fail(`${api.api.address}'s policy admits ${admission.admitted.join(", ")} of A's ${cidrA}, and not the canary's subnets ${outside.join(", ")}.`, api.name);
        return pass(`${api.api.address}'s policy ${admission.verdict === "all" ? `admits ${cidrA}` : `admits ${admission.admitted.join(", ")} of A's ${cidrA}`}`, api.name);
      }
      const policy = api.policy;
      const document = policy ? policyDocument(policy.values.policy, model.b.locals) : undefined;
      if (!document) return fail(`cannot read ${api.api.address}'s resource policy.`, api.name);
      const conditions = [].concat(document.Statement ?? []).filter((s: any) => s.Effect === "Deny" && s.Condition?.NotIpAddress?.["aws:VpcSourceIp"] !== undefined);
      if (!conditions.length) return pass("the policy does not limit callers by source address", api.name);
      let part = { whole: true, ranges: [cidrA!] };
      for (const statement of conditions as any[]) {
        const ranges = literalList(model, "account-b", statement.Condition.NotIpAddress["aws:VpcSourceIp"]);
        if (!ranges) return fail(`cannot read the aws:VpcSourceIp ranges of ${policy!.address}.`, api.name);
        const admitted = admittedPart(cidrA!, ranges);
        if (!admitted.whole && admitted.ranges.length === 0) return fail(`aws:VpcSourceIp ${JSON.stringify(ranges)} leaves out A's ${cidrA}: A's calls are denied.`, api.name);
        if (!admitted.whole) part = admitted;
      }
      // A narrower list (one subnet of A, as docs/security.md describes) is a choice;
      // a canary outside it would fail its check forever.
      const outside = canaryOutside(model, part.ranges);
      if (outside.length) return fail(`aws:VpcSourceIp admits ${part.ranges.join(", ")} of A's ${cidrA}, and not the canary's subnets ${outside.join(", ")}: its calls are denied, so its check would always fail.`, api.name);
      return pass(part.whole ? `aws:VpcSourceIp admits ${cidrA}` : `aws:VpcSourceIp admits ${part.ranges.join(", ")} of A's ${cidrA} (the rest of A is denied)`, api.name);
    });
  },
};
