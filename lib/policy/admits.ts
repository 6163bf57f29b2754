import { PrivateApiPolicies, privateInvokeOverRange } from "./api-gateway";
import { PolicyInput, parsePolicy } from "./document";
import { PolicyRequest, RequestPrincipal, evaluatePolicyOverRange } from "./evaluate";
import { IpRange, formatIpRange, halves, parseIpRange } from "./ip-ranges";

/** A consumer's calls: from any address of a range, through one endpoint, to one resource. */
export interface AdmitsQuery {
  /** The callers' range, such as A's VPC CIDR `10.0.0.0/16` (`aws:VpcSourceIp`). */
  readonly sourceCidr: string;
  /** The endpoint the calls come through (`aws:SourceVpce`). */
  readonly sourceVpce: string;
  /** The ARN of the call, such as `executeApiArn({… stage: "v1", method: "GET", path: "/pets" })`. */
  readonly resource: string;
  /** The VPC that holds the endpoint (`aws:SourceVpc`). @default - not in the context */
  readonly sourceVpc?: string;
  /** The caller. @default "anonymous" (an unsigned call) */
  readonly principal?: RequestPrincipal;
  /** The action. @default "execute-api:Invoke" */
  readonly action?: string;
}

/** The decision for one block of the callers' range, the same for each of its addresses. */
export interface RangeVerdict {
  /** The block, such as `10.0.0.0/17`. */
  readonly cidr: string;
  /** Whether every address of the block is admitted (none is, otherwise). */
  readonly admitted: boolean;
  /** The policy whose decision is final for the block. */
  readonly decidedBy: "endpoint policy" | "resource policy" | "policy";
  /** That policy's deciding statements. */
  readonly statements: string[];
  /** Why, with the block in place of an address: `… denies aws:VpcSourceIp 10.9.0.0/16: not in 10.0.0.0/16`. */
  readonly reason: string;
}

/** Whether a consumer's whole range is admitted. */
export interface Admission {
  /** `all` addresses of the range are admitted, `none`, or `some`. */
  readonly verdict: "all" | "none" | "some";
  /** The range asked about, in canonical form. */
  readonly sourceCidr: string;
  /** The admitted blocks, in address order. */
  readonly admitted: string[];
  /** The denied blocks, in address order. */
  readonly denied: string[];
  /** Every block with its decision: together they make up `sourceCidr` exactly. */
  readonly ranges: RangeVerdict[];
  /** One line for a person, naming the blocks, the policy and the statement that decide. */
  readonly summary: string;
}

/**
 * Does a policy (evaluated alone, as `evaluatePolicy` does), or a private API's endpoint and
 * resource policies (as `apiGatewayPrivateInvoke` does), admit every address of `sourceCidr`,
 * none, or some? Exact, not sampled: the whole range is evaluated at once, each
 * `IpAddress`/`NotIpAddress` on `aws:VpcSourceIp` answering for every address of a block; a
 * block that straddles one of the policies' ranges is split in halves until each part is inside
 * or outside every range. So the blocks returned are the largest CIDR blocks whose addresses all
 * get the same decision. Other operators on `aws:VpcSourceIp` cannot be decided over a range,
 * and make this throw, as does a malformed policy.
 */
export function admits(policies: PolicyInput | PrivateApiPolicies, query: AdmitsQuery): Admission {
  const source = parseIpRange(query.sourceCidr);
  if (!source || !query.sourceCidr.includes("/")) throw new Error(`sourceCidr "${query.sourceCidr}" is not a CIDR block such as 10.0.0.0/16`);
  if (formatIpRange(source) !== query.sourceCidr.toLowerCase()) {
    throw new Error(`sourceCidr "${query.sourceCidr}" has host bits set; did you mean ${formatIpRange(source)}?`);
  }
  const decide = decider(policies);
  const request = (block: IpRange): PolicyRequest => ({
    principal: query.principal ?? "anonymous",
    action: query.action ?? "execute-api:Invoke",
    resource: query.resource,
    context: { "aws:SourceVpce": query.sourceVpce, "aws:VpcSourceIp": block, ...(query.sourceVpc === undefined ? {} : { "aws:SourceVpc": query.sourceVpc }) },
  });
  const explore = (block: IpRange): RangeVerdict[] => {
    const verdict = decide(request(block));
    if (verdict === "depends") return halves(block).flatMap(explore);
    return [{ cidr: formatIpRange(block), ...verdict }];
  };
  const ranges = explore(source);
  const admitted = ranges.filter((r) => r.admitted).map((r) => r.cidr);
  const denied = ranges.filter((r) => !r.admitted).map((r) => r.cidr);
  const verdict = denied.length === 0 ? "all" : admitted.length === 0 ? "none" : "some";
  const cidr = formatIpRange(source);
  const summary =
    verdict === "all"
      ? `every address of ${cidr} is admitted through ${query.sourceVpce}: ${reasons(ranges, true)}`
      : verdict === "none"
        ? `no address of ${cidr} is admitted through ${query.sourceVpce}: ${reasons(ranges, false)}`
        : `only ${admitted.join(", ")} of ${cidr} ${admitted.length === 1 ? "is" : "are"} admitted through ${query.sourceVpce}; the rest is denied: ${reasons(ranges, false)}`;
  return { verdict, sourceCidr: cidr, admitted, denied, ranges, summary };
}

/**
 * The reasons of the admitted (or denied) blocks, one per deciding policy and statements: the
 * first block's reason, then the other blocks decided alike. A /8 split around one /16 is
 * fifteen blocks denied by one statement, which one sentence can say.
 */
function reasons(ranges: readonly RangeVerdict[], admitted: boolean): string {
  const groups = new Map<string, RangeVerdict[]>();
  for (const range of ranges.filter((r) => r.admitted === admitted)) {
    const key = `${range.decidedBy}|${range.statements.join(",")}`;
    groups.set(key, [...(groups.get(key) ?? []), range]);
  }
  return [...groups.values()]
    .map(([first, ...others]) => (others.length === 0 ? first.reason : `${first.reason}, and likewise ${others.map((r) => r.cidr).join(", ")}`))
    .join("; ");
}

type Decide = (request: PolicyRequest) => Omit<RangeVerdict, "cidr"> | "depends";

/** The decision function for one policy or for an endpoint and a resource policy, parsed once. */
function decider(policies: PolicyInput | PrivateApiPolicies): Decide {
  if (typeof policies === "object" && "resourcePolicy" in policies) {
    const parsed: PrivateApiPolicies = {
      endpointPolicy: policies.endpointPolicy == null ? policies.endpointPolicy : parsePolicy(policies.endpointPolicy),
      resourcePolicy: policies.resourcePolicy == null ? policies.resourcePolicy : parsePolicy(policies.resourcePolicy),
    };
    return (request) => {
      const decision = privateInvokeOverRange({ ...parsed, request });
      if (decision.decision === "depends") return "depends";
      return { admitted: decision.allowed, decidedBy: decision.decidedBy, statements: decision.statements, reason: decision.reason };
    };
  }
  const policy = parsePolicy(policies);
  return (request) => {
    const evaluation = evaluatePolicyOverRange(policy, request);
    if (evaluation.decision === "depends") return "depends";
    return { admitted: evaluation.decision === "allow", decidedBy: "policy", statements: evaluation.statements, reason: evaluation.reason };
  };
}
