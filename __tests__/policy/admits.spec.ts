import { admits } from "../../lib/policy/admits";
import { parseIpRange } from "../../lib/policy/ip-ranges";
import { DEPLOYED, deployedPolicies } from "../helpers/deployed-policies";

const { resourcePolicy, endpointPolicy } = deployedPolicies();
const policies = { endpointPolicy, resourcePolicy };
const PETS = `${DEPLOYED.executionArn}/v1/GET/pets`;
const consumer = (sourceCidr: string, sourceVpce: string = DEPLOYED.vpcEndpointId) => ({ sourceCidr, sourceVpce, resource: PETS });

/** The stacks' resource policy with other aws:VpcSourceIp ranges, as a changed config would deploy it. */
const withRanges = (ranges: string[]) => ({
  endpointPolicy,
  resourcePolicy: JSON.parse(JSON.stringify(resourcePolicy).replace(JSON.stringify(["10.0.0.0/16", "172.31.0.0/16"]), JSON.stringify(ranges))),
});

it("GIVEN the stacks' policies WHEN asked about A's 10.0.0.0/16 through B's endpoint THEN every address is admitted", () => {
  const admission = admits(policies, consumer("10.0.0.0/16"));
  expect(admission).toMatchObject({ verdict: "all", admitted: ["10.0.0.0/16"], denied: [] });
  expect(admission.ranges).toEqual([expect.objectContaining({ cidr: "10.0.0.0/16", admitted: true, decidedBy: "resource policy", statements: ["AllowInvoke"] })]);
});

it("GIVEN the stacks' policies WHEN asked about 10.9.0.0/16 THEN no address is admitted, and DenyOtherSourceRanges is named", () => {
  expect(admits(policies, consumer("10.9.0.0/16")).summary).toBe(
    `no address of 10.9.0.0/16 is admitted through ${DEPLOYED.vpcEndpointId}: the resource policy's statement DenyOtherSourceRanges denies aws:VpcSourceIp 10.9.0.0/16: not in 10.0.0.0/16, 172.31.0.0/16`,
  );
});

it("GIVEN the stacks' policies WHEN asked about 10.0.0.0/8 THEN only 10.0.0.0/16 is admitted, and the rest is named block by block", () => {
  const admission = admits(policies, consumer("10.0.0.0/8"));
  expect(admission.verdict).toBe("some");
  expect(admission.admitted).toEqual(["10.0.0.0/16"]);
  expect(admission.denied).toEqual(["10.1.0.0/16", "10.2.0.0/15", "10.4.0.0/14", "10.8.0.0/13", "10.16.0.0/12", "10.32.0.0/11", "10.64.0.0/10", "10.128.0.0/9"]);
  expect(admission.summary).toBe(
    `only 10.0.0.0/16 of 10.0.0.0/8 is admitted through ${DEPLOYED.vpcEndpointId}; the rest is denied: the resource policy's statement DenyOtherSourceRanges denies aws:VpcSourceIp 10.1.0.0/16: not in 10.0.0.0/16, 172.31.0.0/16, and likewise 10.2.0.0/15, 10.4.0.0/14, 10.8.0.0/13, 10.16.0.0/12, 10.32.0.0/11, 10.64.0.0/10, 10.128.0.0/9`,
  );
});

it("GIVEN one subnet of A admitted (172.31.0.0/16, 10.0.5.0/24) WHEN asked about A's 10.0.0.0/16 THEN exactly that /24 is admitted and the blocks around it make up the rest", () => {
  const admission = admits(withRanges(["172.31.0.0/16", "10.0.5.0/24"]), consumer("10.0.0.0/16"));
  expect(admission.verdict).toBe("some");
  expect(admission.admitted).toEqual(["10.0.5.0/24"]);
  expect(admission.denied).toEqual(["10.0.0.0/22", "10.0.4.0/24", "10.0.6.0/23", "10.0.8.0/21", "10.0.16.0/20", "10.0.32.0/19", "10.0.64.0/18", "10.0.128.0/17"]);
  // Not a sample: the blocks cover the range exactly, each address once.
  const size = (cidr: string) => 2 ** (32 - parseIpRange(cidr)!.prefix);
  expect(admission.ranges.map((r) => size(r.cidr)).reduce((a, b) => a + b)).toBe(size("10.0.0.0/16"));
});

it("GIVEN A's range split over two allowed blocks (10.0.0.0/17, 10.0.128.0/17) THEN their union admits all of it, as one block", () => {
  expect(admits(withRanges(["10.0.0.0/17", "10.0.128.0/17"]), consumer("10.0.0.0/16"))).toMatchObject({ verdict: "all", admitted: ["10.0.0.0/16"] });
});

it("GIVEN the stacks' policies WHEN the calls come through another endpoint THEN DenyOtherEndpoints denies the whole range at once, whatever its addresses", () => {
  const admission = admits({ resourcePolicy }, consumer("10.0.0.0/8", "vpce-0fedcba9876543210"));
  expect(admission.ranges).toEqual([
    {
      cidr: "10.0.0.0/8",
      admitted: false,
      decidedBy: "resource policy",
      statements: ["DenyOtherEndpoints"],
      reason: `the resource policy's statement DenyOtherEndpoints denies aws:SourceVpce vpce-0fedcba9876543210: not ${DEPLOYED.vpcEndpointId}`,
    },
  ]);
});

it("GIVEN the stacks' endpoint policy WHEN the calls go to another API THEN the endpoint policy denies the whole range", () => {
  const other = "arn:aws:execute-api:ap-northeast-1:222222222222:zzzzz99999/v1/GET/pets";
  expect(admits(policies, { ...consumer("10.0.0.0/16"), resource: other }).ranges).toEqual([
    expect.objectContaining({ cidr: "10.0.0.0/16", admitted: false, decidedBy: "endpoint policy", statements: [] }),
  ]);
});

it("GIVEN an IPv6 range WHEN the policy names IPv4 ranges only THEN none of it is admitted", () => {
  expect(admits(policies, consumer("2001:db8::/56")).summary).toBe(
    `no address of 2001:db8::/56 is admitted through ${DEPLOYED.vpcEndpointId}: the resource policy's statement DenyOtherSourceRanges denies aws:VpcSourceIp 2001:db8::/56: not in 10.0.0.0/16, 172.31.0.0/16`,
  );
});

it("GIVEN one policy on its own (an allow-list on aws:VpcSourceIp) THEN it is evaluated alone, and its statement decides", () => {
  // "API Gateway resource policy examples", the private API source-range example turned into an allow-list.
  const policy = {
    Version: "2012-10-17",
    Statement: [{ Sid: "AllowFromRanges", Effect: "Allow", Principal: "*", Action: "execute-api:Invoke", Resource: `${DEPLOYED.executionArn}/*`, Condition: { IpAddress: { "aws:VpcSourceIp": ["192.0.2.0/24", "198.51.100.0/24"] } } }],
  };
  const admission = admits(policy, consumer("192.0.2.0/23"));
  expect(admission.ranges).toEqual([
    expect.objectContaining({ cidr: "192.0.2.0/24", admitted: true, decidedBy: "policy", statements: ["AllowFromRanges"] }),
    {
      cidr: "192.0.3.0/24",
      admitted: false,
      decidedBy: "policy",
      statements: [],
      reason: `the policy allows no execute-api:Invoke on ${PETS}: statement AllowFromRanges does not apply: aws:VpcSourceIp 192.0.3.0/24: not in 192.0.2.0/24, 198.51.100.0/24`,
    },
  ]);
});

it.each([
  ["10.0.0.0", 'sourceCidr "10.0.0.0" is not a CIDR block such as 10.0.0.0/16'],
  ["10.0.0.0/33", 'sourceCidr "10.0.0.0/33" is not a CIDR block such as 10.0.0.0/16'],
  ["10.0.0.5/16", 'sourceCidr "10.0.0.5/16" has host bits set; did you mean 10.0.0.0/16?'],
])("GIVEN the source range %j THEN it is refused with a message that names it", (sourceCidr, message) => {
  expect(() => admits(policies, consumer(sourceCidr))).toThrow(message);
});

it("GIVEN a policy that compares aws:VpcSourceIp as a string THEN admits refuses, since a string operator cannot be decided over a range", () => {
  const policy = { Statement: [{ Effect: "Allow", Principal: "*", Action: "*", Resource: "*", Condition: { StringEquals: { "aws:VpcSourceIp": "10.0.0.1" } } }] };
  expect(() => admits(policy, consumer("10.0.0.0/16"))).toThrow("aws:VpcSourceIp stands for the range 10.0.0.0/16 here, and StringEquals cannot be decided over a range");
});
