import { GatewayView, handle } from "../../emulated/twin/gateway";
import { buildModel } from "../../emulated/twin/model";
import { IDS, recorded } from "./recorded";

const PETS = '[{"id":1,"type":"dog","price":249.99},{"id":2,"type":"cat","price":124.99},{"id":3,"type":"fish","price":0.99}]';

function view(reads = recorded()): GatewayView {
  const model = buildModel(reads);
  const endpoint = model.endpoints[0];
  return { endpoint, apis: model.apis, dnsSuffix: "amazonaws.com", partition: "aws" };
}

const call = (headers: Record<string, string>, url = "/v1/pets/", sourceIp = "10.0.15.254", v = view()) => handle(v, { method: "GET", url, headers, sourceIp });

describe("API Gateway behind B's endpoint", () => {
  test("the article's call: the endpoint's name with Host: <api-id>.execute-api... answers the pets", () => {
    const answer = call({ host: IDS.apiHost });
    expect([answer.status, answer.body]).toEqual([200, PETS]);
  });

  test("without the Host header (the endpoint's own name) the answer is 403 {\"message\":\"Forbidden\"}", () => {
    const answer = call({ host: IDS.regionalName });
    expect([answer.status, answer.body]).toEqual([403, '{"message":"Forbidden"}']);
  });

  test("x-apigw-api-id and the <api-id>-<vpce-id> name find the API too", () => {
    expect(call({ host: IDS.regionalName, "x-apigw-api-id": IDS.api }).status).toBe(200);
    expect(call({ host: `${IDS.api}-${IDS.endpoint}.execute-api.ap-northeast-1.amazonaws.com` }).status).toBe(200);
  });

  test("the <api-id>-<vpce-id> name of another endpoint is Forbidden here", () => {
    expect(call({ host: `${IDS.api}-vpce-0123456789abcdef0.execute-api.ap-northeast-1.amazonaws.com` }).body).toBe('{"message":"Forbidden"}');
  });

  test("the mock's request template selects the status; the response template picks the pet", () => {
    expect(call({ host: IDS.apiHost }, "/v1/pets/2")).toMatchObject({ status: 200, body: '{"id":2,"type":"cat","price":124.99}' });
    expect(call({ host: IDS.apiHost }, "/v1/pets/9")).toMatchObject({ status: 404, body: '{"message":"pet not found"}' });
  });

  test("a caller outside the policy's ranges gets the explicit deny of the resource policy", () => {
    const answer = call({ host: IDS.apiHost }, "/v1/pets", "10.9.0.4");
    expect(answer.status).toBe(403);
    expect(JSON.parse(answer.body).Message).toBe(`User: anonymous is not authorized to perform: execute-api:Invoke on resource: arn:aws:execute-api:ap-northeast-1:${IDS.b}:${IDS.api}/v1/GET/pets with an explicit deny`);
  });

  test("GIVEN the resource policy changed but not redeployed THEN the stage's deployed policy still decides", () => {
    const reads = recorded();
    reads[1].restApis[0].api.policy = JSON.stringify({ Statement: [{ Effect: "Deny", Principal: "*", Action: "*", Resource: "*" }] });
    expect(call({ host: IDS.apiHost }, "/v1/pets/", "10.0.15.254", view(reads)).status).toBe(200);
  });

  test("GIVEN the deployed policy naming another endpoint THEN A's call is denied", () => {
    const reads = recorded();
    const policy = (reads[1].restApis[0].stages[0].definition as any)["x-amazon-apigateway-policy"];
    policy.Statement[1].Condition.StringNotEquals["aws:SourceVpce"] = "vpce-0ffffffffffffffff";
    expect(call({ host: IDS.apiHost }, "/v1/pets/", "10.0.15.254", view(reads)).status).toBe(403);
  });

  test("GIVEN B's endpoint policy admitting another API only THEN the endpoint policy refuses the call", () => {
    const reads = recorded();
    reads[1].endpoints[0].PolicyDocument = JSON.stringify({ Statement: [{ Effect: "Allow", Principal: "*", Action: "execute-api:Invoke", Resource: "arn:aws:execute-api:ap-northeast-1:222222222222:otherapiid/*" }] });
    const answer = call({ host: IDS.apiHost }, "/v1/pets", "10.0.15.254", view(reads));
    expect([answer.status, JSON.parse(answer.body).Message]).toEqual([403, expect.stringMatching(/because no VPC endpoint policy allows the execute-api:Invoke action$/)]);
  });

  test("an unknown stage is Forbidden; an unknown path is Missing Authentication Token", () => {
    expect(call({ host: IDS.apiHost }, "/v2/pets").body).toBe('{"message":"Forbidden"}');
    expect(call({ host: IDS.apiHost }, "/v1/owners").body).toBe('{"message":"Missing Authentication Token"}');
  });

  test("a non-MOCK integration answers a 502 that says it is not emulated", () => {
    const reads = recorded();
    const definition = reads[1].restApis[0].stages[0].definition as any;
    definition.paths["/pets"].get["x-amazon-apigateway-integration"] = { type: "http_proxy", uri: "https://example.com", responses: {} };
    const answer = call({ host: IDS.apiHost }, "/v1/pets", "10.0.15.254", view(reads));
    expect(answer.status).toBe(502);
    expect(answer.body).toMatch(/does not emulate HTTP_PROXY integrations/);
  });
});
