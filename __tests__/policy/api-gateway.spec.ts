import { InvokeRequestInput, apiGatewayPrivateInvoke, executeApiArn, expandExecuteApiShorthand, invokeRequest } from "../../lib/policy/api-gateway";
import { parsePolicy } from "../../lib/policy/document";
import { DEPLOYED, deployedPolicies } from "../helpers/deployed-policies";

const { resourcePolicy, endpointPolicy } = deployedPolicies();
const PETS = `${DEPLOYED.executionArn}/v1/GET/pets`;

/** A call to the example API's GET /pets through B's endpoint, from A's 10.0.3.4 unless changed. */
const call = (changes: Partial<InvokeRequestInput> = {}) =>
  invokeRequest({ region: DEPLOYED.region, accountId: DEPLOYED.accountId, apiId: DEPLOYED.apiId, stage: "v1", method: "GET", path: "/pets", sourceVpce: DEPLOYED.vpcEndpointId, sourceIp: "10.0.3.4", ...changes });

it("GIVEN a call to GET /pets/1 WHEN its request is built THEN it is an anonymous execute-api:Invoke on the call's ARN with the endpoint's context keys", () => {
  expect(call({ method: "get", path: "/pets/1", sourceVpc: "vpc-0b0b0b0b0b0b0b0b0" })).toEqual({
    principal: "anonymous",
    action: "execute-api:Invoke",
    resource: `${DEPLOYED.executionArn}/v1/GET/pets/1`,
    context: { "aws:SourceVpce": DEPLOYED.vpcEndpointId, "aws:VpcSourceIp": "10.0.3.4", "aws:SourceVpc": "vpc-0b0b0b0b0b0b0b0b0" },
  });
  // aws:SourceVpc only when given; aws:SourceIp never (absent for requests through an endpoint).
  expect(Object.keys(call().context)).toEqual(["aws:SourceVpce", "aws:VpcSourceIp"]);
});

it("GIVEN a region of another partition, or a partition given THEN the ARN carries that partition", () => {
  const arn = { accountId: "222222222222", apiId: "a1b2c3d4e5", stage: "v1", method: "GET", path: "/" };
  expect(executeApiArn({ ...arn, region: "cn-north-1" })).toBe("arn:aws-cn:execute-api:cn-north-1:222222222222:a1b2c3d4e5/v1/GET/");
  expect(executeApiArn({ ...arn, region: "us-gov-west-1" })).toBe("arn:aws-us-gov:execute-api:us-gov-west-1:222222222222:a1b2c3d4e5/v1/GET/");
  expect(executeApiArn({ ...arn, region: "us-iso-east-1", partition: "aws-iso" })).toBe("arn:aws-iso:execute-api:us-iso-east-1:222222222222:a1b2c3d4e5/v1/GET/");
});

it.each<[string, Partial<InvokeRequestInput>, string]>([
  ["a region that is not one", { region: "tokyo" }, 'region "tokyo" is not an AWS region name such as ap-northeast-1'],
  ["a region of an unknown partition", { region: "us-iso-east-1" }, 'region "us-iso-east-1" is in a partition this project does not know; pass partition'],
  ["a short account id", { accountId: "2222" }, 'accountId "2222" is not a 12-digit AWS account id'],
  ["an API id with a slash", { apiId: "a1b2/c3" }, 'apiId "a1b2/c3" is not a REST API id such as a1b2c3d4e5'],
  ["a stage with a slash", { stage: "v1/x" }, 'stage "v1/x" is not a stage name such as v1'],
  ["a method with a space", { method: "GET /pets" }, 'method "GET /pets" is not an HTTP method such as GET'],
  ["a path without its slash", { path: "pets" }, 'path "pets" must start with /'],
  ["an endpoint id without vpce-", { sourceVpce: "0123456789abcdef0" }, 'sourceVpce "0123456789abcdef0" is not a VPC endpoint id such as vpce-0123456789abcdef0'],
  ["a source that is a CIDR", { sourceIp: "10.0.0.0/16" }, 'sourceIp "10.0.0.0/16" is not an IP address'],
  ["a source VPC without vpc-", { sourceVpc: "b-vpc" }, 'sourceVpc "b-vpc" is not a VPC id such as vpc-1a2b3c4d'],
])("GIVEN %s WHEN the request is built THEN it is refused with a message that names it", (_what, changes, message) => {
  expect(() => call(changes)).toThrow(message);
});

it("GIVEN the stacks' policies WHEN A's 10.0.3.4 calls through B's endpoint THEN both policies allow it", () => {
  const decision = apiGatewayPrivateInvoke({ endpointPolicy, resourcePolicy, request: call() });
  expect(decision).toMatchObject({ allowed: true, decidedBy: "resource policy", decision: "allow", statements: ["AllowInvoke"] });
  expect(decision.reason).toBe(
    `the endpoint policy's statement InvokeThisApiOnly allows execute-api:Invoke on ${PETS}; the resource policy's statement AllowInvoke allows execute-api:Invoke on ${PETS}, and none of its statements denies it`,
  );
});

it("GIVEN the stacks' policies WHEN a caller in B's own VPC (172.31.0.0/16) calls THEN it is allowed too", () => {
  expect(apiGatewayPrivateInvoke({ endpointPolicy, resourcePolicy, request: call({ sourceIp: "172.31.54.168" }) }).allowed).toBe(true);
});

it("GIVEN the stacks' policies WHEN 10.9.0.5, outside the allowed CIDRs, calls THEN DenyOtherSourceRanges denies it, saying why", () => {
  const decision = apiGatewayPrivateInvoke({ endpointPolicy, resourcePolicy, request: call({ sourceIp: "10.9.0.5" }) });
  expect(decision).toMatchObject({ allowed: false, decidedBy: "resource policy", decision: "explicit-deny", statements: ["DenyOtherSourceRanges"] });
  expect(decision.reason).toBe("the resource policy's statement DenyOtherSourceRanges denies aws:VpcSourceIp 10.9.0.5: not in 10.0.0.0/16, 172.31.0.0/16");
});

it("GIVEN the stacks' resource policy WHEN a call comes through another endpoint (with the default endpoint policy) THEN DenyOtherEndpoints denies it", () => {
  const decision = apiGatewayPrivateInvoke({ resourcePolicy, request: call({ sourceVpce: "vpce-0fedcba9876543210" }) });
  expect(decision).toMatchObject({ allowed: false, decidedBy: "resource policy", statements: ["DenyOtherEndpoints"] });
  expect(decision.reason).toBe(`the resource policy's statement DenyOtherEndpoints denies aws:SourceVpce vpce-0fedcba9876543210: not ${DEPLOYED.vpcEndpointId}`);
  expect(decision.endpoint.reason).toBe(`the endpoint's default policy's statement Statement[0] allows execute-api:Invoke on ${PETS}`);
});

it("GIVEN the stacks' endpoint policy, which invokes one API WHEN a call through it goes to another API THEN the endpoint policy denies it", () => {
  const other = call({ apiId: "zzzzz99999" });
  const decision = apiGatewayPrivateInvoke({ endpointPolicy, resourcePolicy, request: other });
  expect(decision).toMatchObject({ allowed: false, decidedBy: "endpoint policy", decision: "implicit-deny", statements: [] });
  expect(decision.reason).toBe(`the endpoint policy allows no execute-api:Invoke on ${other.resource}: statement InvokeThisApiOnly covers ${DEPLOYED.executionArn}/*, not ${other.resource}`);
});

it("GIVEN the resource policy as GetRestApi returns it (backslash-escaped) THEN the twin can decide with it as it is", () => {
  const escaped = JSON.stringify(JSON.stringify(resourcePolicy)).slice(1, -1);
  expect(apiGatewayPrivateInvoke({ endpointPolicy, resourcePolicy: escaped, request: call({ sourceIp: "10.9.0.5" }) }).statements).toEqual(["DenyOtherSourceRanges"]);
});

it("GIVEN a private API without a resource policy THEN every call is denied, and the reason says what to attach", () => {
  const decision = apiGatewayPrivateInvoke({ endpointPolicy, resourcePolicy: null, request: call() });
  expect(decision).toMatchObject({ allowed: false, decidedBy: "resource policy", decision: "implicit-deny", resource: undefined });
  expect(decision.reason).toBe(
    "the private API has no resource policy, and API Gateway denies every call to a private API without one: attach a policy that allows execute-api:Invoke, then deploy the API again",
  );
});

// "API Gateway resource policy examples", with the guide's short resources (execute-api:/*), which
// API Gateway expands against the API when it saves the policy.
const allowAll = { Effect: "Allow", Principal: "*", Action: "execute-api:Invoke", Resource: ["execute-api:/*"] };
const denyUnless = (condition: Record<string, unknown>) => ({ Version: "2012-10-17", Statement: [allowAll, { Effect: "Deny", Principal: "*", Action: "execute-api:Invoke", Resource: ["execute-api:/*"], Condition: condition }] });

it("GIVEN the guide's 'Deny API traffic based on source IP address or range when using a private API' THEN its two blocks are denied, others allowed", () => {
  const policy = denyUnless({ IpAddress: { "aws:VpcSourceIp": ["192.0.2.0/24", "198.51.100.0/24"] } });
  expect(apiGatewayPrivateInvoke({ resourcePolicy: policy, request: call({ sourceIp: "198.51.100.7" }) })).toMatchObject({ allowed: false, statements: ["Statement[1]"] });
  expect(apiGatewayPrivateInvoke({ resourcePolicy: policy, request: call({ sourceIp: "10.0.3.4" }) }).allowed).toBe(true);
});

it("GIVEN the guide's 'Allow private API traffic based on source VPC' THEN that VPC is allowed, another denied, and a request without aws:SourceVpc denied", () => {
  const policy = denyUnless({ StringNotEquals: { "aws:SourceVpc": "vpc-1a2b3c4d" } });
  expect(apiGatewayPrivateInvoke({ resourcePolicy: policy, request: call({ sourceVpc: "vpc-1a2b3c4d" }) }).allowed).toBe(true);
  expect(apiGatewayPrivateInvoke({ resourcePolicy: policy, request: call({ sourceVpc: "vpc-5e6f7a8b" }) }).allowed).toBe(false);
  // StringNotEquals holds on an absent key, so the Deny applies.
  expect(apiGatewayPrivateInvoke({ resourcePolicy: policy, request: call() }).reason).toBe("the resource policy's statement Statement[1] denies aws:SourceVpc (absent from the request)");
});

it("GIVEN the guide's '… based on … VPC endpoint' (StringNotEquals aws:SourceVpce) THEN only that endpoint's calls are allowed", () => {
  const policy = denyUnless({ StringNotEquals: { "aws:SourceVpce": "vpce-1a2b3c4d" } });
  expect(apiGatewayPrivateInvoke({ resourcePolicy: policy, request: call({ sourceVpce: "vpce-1a2b3c4d" }) }).allowed).toBe(true);
  expect(apiGatewayPrivateInvoke({ resourcePolicy: policy, request: call() }).allowed).toBe(false);
});

// "Use VPC endpoint policies for private APIs in API Gateway", examples 1 to 3 (account 123412341234).
const guideCall = (changes: Partial<InvokeRequestInput>) => call({ region: "us-east-1", accountId: "123412341234", apiId: "a1b2c3d4e5", stage: "stageName", ...changes });
const endpointExample = (principal: unknown, ...resources: string[]) => ({ Statement: [{ Principal: principal, Action: ["execute-api:Invoke"], Effect: "Allow", Resource: resources }] });

it("GIVEN endpoint policy example 1 (two APIs) THEN both APIs are reachable through the endpoint, and a third is not", () => {
  const policy = endpointExample("*", "arn:aws:execute-api:us-east-1:123412341234:a1b2c3d4e5/*", "arn:aws:execute-api:us-east-1:123412341234:aaaaa11111/*");
  const invoke = (apiId: string) => apiGatewayPrivateInvoke({ endpointPolicy: policy, resourcePolicy: { Statement: [allowAll] }, request: guideCall({ apiId }) });
  expect(invoke("a1b2c3d4e5").allowed).toBe(true);
  expect(invoke("aaaaa11111").allowed).toBe(true);
  expect(invoke("bbbbb22222")).toMatchObject({ allowed: false, decidedBy: "endpoint policy" });
});

it("GIVEN endpoint policy example 2 (GET methods) THEN GET is allowed through the endpoint, POST is not", () => {
  const policy = endpointExample("*", "arn:aws:execute-api:us-east-1:123412341234:a1b2c3d4e5/stageName/GET/*");
  const resource = { Version: "2012-10-17", Statement: [allowAll] };
  expect(apiGatewayPrivateInvoke({ endpointPolicy: policy, resourcePolicy: resource, request: guideCall({ method: "GET" }) }).allowed).toBe(true);
  expect(apiGatewayPrivateInvoke({ endpointPolicy: policy, resourcePolicy: resource, request: guideCall({ method: "POST" }) })).toMatchObject({ allowed: false, decidedBy: "endpoint policy" });
});

it("GIVEN endpoint policy example 3 (one user) THEN an unsigned call, evaluated as an anonymous user, is denied by the endpoint policy", () => {
  const policy = endpointExample({ AWS: ["arn:aws:iam::123412341234:user/MyUser"] }, "arn:aws:execute-api:us-east-1:123412341234:a1b2c3d4e5/*");
  const request = guideCall({});
  const decision = apiGatewayPrivateInvoke({ endpointPolicy: policy, resourcePolicy: { Statement: [allowAll] }, request });
  expect(decision.reason).toBe(`the endpoint policy allows no execute-api:Invoke on ${request.resource}: statement Statement[0] is for arn:aws:iam::123412341234:user/MyUser, not an anonymous caller`);
  const signed = { ...request, principal: { AWS: "arn:aws:iam::123412341234:user/MyUser" } };
  expect(apiGatewayPrivateInvoke({ endpointPolicy: policy, resourcePolicy: { Statement: [allowAll] }, request: signed }).allowed).toBe(true);
});

it("GIVEN short resources WHEN expanded against an API THEN execute-api:/… becomes that API's ARN, and full ARNs stay", () => {
  const policy = expandExecuteApiShorthand({ Statement: [{ ...allowAll, Resource: ["execute-api:/v1/GET/pets", "execute-api:/*", `${DEPLOYED.executionArn}/*`] }] }, DEPLOYED.executionArn);
  expect(policy.statements[0].resource.patterns).toEqual([`${DEPLOYED.executionArn}/v1/GET/pets`, `${DEPLOYED.executionArn}/*`, `${DEPLOYED.executionArn}/*`]);
  expect(parsePolicy(policy)).toBe(policy);
});

it("GIVEN a request whose resource is not a call to a REST API THEN the decision is refused, naming it", () => {
  expect(() => apiGatewayPrivateInvoke({ resourcePolicy, request: { ...call(), resource: "arn:aws:s3:::bucket/key" } })).toThrow(
    'resource "arn:aws:s3:::bucket/key" is not the ARN of a call to a REST API (arn:<partition>:execute-api:<region>:<account>:<api-id>/<stage>/<method>/<path>)',
  );
});
