import { apiGatewayPrivateInvoke, evaluatePolicy, invokeRequest } from "../../emulated/twin/policy";

// API Gateway developer guide, "API Gateway resource policy examples": private API, allow invoke
// only through one VPC endpoint; and the stacks' source-range deny.
const ARN = "arn:aws:execute-api:ap-northeast-1:222222222222:abcdefghij";
const resourcePolicy = {
  Version: "2012-10-17",
  Statement: [
    { Effect: "Allow", Principal: "*", Action: "execute-api:Invoke", Resource: `${ARN}/*` },
    { Effect: "Deny", Principal: "*", Action: "execute-api:Invoke", Resource: `${ARN}/*`, Condition: { StringNotEquals: { "aws:SourceVpce": "vpce-1a2b3c4d" } } },
    { Sid: "DenyOtherSourceRanges", Effect: "Deny", Principal: "*", Action: "execute-api:Invoke", Resource: `${ARN}/*`, Condition: { NotIpAddress: { "aws:VpcSourceIp": ["10.0.0.0/16", "172.31.0.0/16"] } } },
  ],
};
const request = (sourceVpce: string, vpcSourceIp: string) => invokeRequest({ region: "ap-northeast-1", accountId: "222222222222", apiId: "abcdefghij", stage: "v1", method: "GET", path: "/pets", sourceVpce, vpcSourceIp });

describe("apiGatewayPrivateInvoke", () => {
  test("the method's ARN is <api>/<stage>/<METHOD>/<path>", () => {
    expect(request("vpce-1a2b3c4d", "10.0.0.5").resource).toBe(`${ARN}/v1/GET/pets`);
  });

  test("GIVEN the allowed endpoint and an allowed source THEN allowed", () => {
    expect(apiGatewayPrivateInvoke({ resourcePolicy, request: request("vpce-1a2b3c4d", "10.0.3.4") })).toEqual({ allowed: true, decision: "allow" });
  });

  test("GIVEN another endpoint THEN the resource policy denies explicitly", () => {
    expect(apiGatewayPrivateInvoke({ resourcePolicy, request: request("vpce-99999999", "10.0.3.4") })).toMatchObject({ allowed: false, deniedBy: "resource-policy", decision: "explicit-deny" });
  });

  test("GIVEN a source outside the ranges THEN the NotIpAddress statement denies", () => {
    expect(apiGatewayPrivateInvoke({ resourcePolicy, request: request("vpce-1a2b3c4d", "10.9.0.4") })).toMatchObject({ allowed: false, decision: "explicit-deny", statement: "DenyOtherSourceRanges" });
  });

  test("GIVEN no resource policy THEN a private API admits nobody (implicit deny)", () => {
    expect(apiGatewayPrivateInvoke({ request: request("vpce-1a2b3c4d", "10.0.3.4") })).toMatchObject({ allowed: false, deniedBy: "resource-policy", decision: "implicit-deny" });
  });

  test("GIVEN an endpoint policy for another API THEN the endpoint policy refuses first", () => {
    const endpointPolicy = { Statement: [{ Effect: "Allow", Principal: "*", Action: "execute-api:Invoke", Resource: "arn:aws:execute-api:ap-northeast-1:222222222222:otherapiid/*" }] };
    expect(apiGatewayPrivateInvoke({ endpointPolicy, resourcePolicy, request: request("vpce-1a2b3c4d", "10.0.3.4") })).toMatchObject({ allowed: false, deniedBy: "endpoint-policy", decision: "implicit-deny" });
  });
});

describe("evaluatePolicy", () => {
  test("a negated operator on a key the request lacks matches (Condition operators)", () => {
    const policy = { Statement: [{ Effect: "Allow", Principal: "*", Action: "*", Resource: "*" }, { Effect: "Deny", Principal: "*", Action: "*", Resource: "*", Condition: { StringNotEquals: { "aws:SourceVpc": "vpc-1" } } }] };
    expect(evaluatePolicy(policy, { action: "execute-api:Invoke", resource: "x", context: {} }).decision).toBe("explicit-deny");
  });

  test("...IfExists on a missing key holds; Action wildcards match case-insensitively", () => {
    const policy = { Statement: [{ Effect: "Allow", Principal: { AWS: "*" }, Action: "Execute-API:*", Resource: "*", Condition: { StringEqualsIfExists: { "aws:SourceVpc": "vpc-1" } } }] };
    expect(evaluatePolicy(policy, { action: "execute-api:Invoke", resource: "x", context: {} }).decision).toBe("allow");
  });

  test("an operator it does not know is an error, never a silent allow", () => {
    const policy = { Statement: [{ Effect: "Allow", Principal: "*", Action: "*", Resource: "*", Condition: { DateGreaterThan: { "aws:CurrentTime": "2020-01-01T00:00:00Z" } } }] };
    expect(() => evaluatePolicy(policy, { action: "execute-api:Invoke", resource: "x", context: { "aws:CurrentTime": "2026-01-01T00:00:00Z" } })).toThrow(/DateGreaterThan is not evaluated/);
  });
});
