import { MockGetRoute } from "../../lib/constructs/mock-get-route";
import { synthConstruct } from "../helpers/synth-construct";

describe("MockGetRoute", () => {
  test("a route's definition is its settings as configured: a changed template changes what the deployment hashes", () => {
    let route: MockGetRoute | undefined;
    synthConstruct((scope) => {
      route = new MockGetRoute(scope, "route", { restApiId: "api", resourceId: "res", requestParameters: { "method.request.path.petId": true }, responses: { "200": { template: "[]" } } });
    });
    expect(route!.definition).toEqual({
      method: { httpMethod: "GET", authorization: "NONE", requestParameters: { "method.request.path.petId": true } },
      integration: { type: "MOCK", passthroughBehavior: "WHEN_NO_TEMPLATES", requestTemplates: { "application/json": '{"statusCode": 200}' } },
      responses: { "200": { template: "[]" } },
    });
  });
});
