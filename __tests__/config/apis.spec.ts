import { mkdirSync, mkdtempSync, writeFileSync } from "fs";
import { tmpdir } from "os";
import * as path from "path";
import { definesProbe } from "../../lib/config/apis";
import { ConfigError, parseConfig } from "../../lib/config/load-config";
import { EXAMPLE, merge, Overrides } from "../helpers/example";

/** A directory holding a configuration file and the OpenAPI files it names. */
function project(files: Record<string, string>): string {
  const dir = mkdtempSync(path.join(tmpdir(), "apis-"));
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
    writeFileSync(path.join(dir, name), text);
  }
  return dir;
}

/** The problem lines of the example with `overrides`, read as the file `<dir>/config.json` (OpenAPI paths are relative to it). */
function problems(overrides: Overrides, dir = project({})): string[] {
  try {
    parseConfig(merge(EXAMPLE, overrides), path.join(dir, "config.json"));
    return [];
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
}

const HEALTH = `openapi: "3.0.1"
info: { title: orders, version: "1" }
paths:
  /health:
    get:
      x-amazon-apigateway-integration:
        type: mock
        requestTemplates: { application/json: '{"statusCode": 200}' }
  /orders/{id}:
    get:
      x-amazon-apigateway-integration: { type: http_proxy, httpMethod: GET, uri: "https://backend.example.com/orders/{id}" }
`;
const openApi = (overrides: Overrides = {}) => ({ name: "orders", stageName: "v1", openApi: "orders.yaml", probe: { path: "/health" }, ...overrides });
const existing = (overrides: Overrides = {}) => ({ name: "ledger", stageName: "prod", restApiId: "a1l2e3d4g5", probe: { path: "/ping" }, ...overrides });

describe("apis: the user's own APIs", () => {
  test("GIVEN an OpenAPI file and an existing API, THEN both are read, with their defaults, the file as JSON in its own key order", () => {
    const dir = project({ "orders.yaml": HEALTH });
    const config = parseConfig(merge(EXAMPLE, { api: undefined, apis: [openApi(), existing()] }), path.join(dir, "config.json"));
    expect(config.apis.map((a) => [a.kind, a.name, a.stageName, a.probe])).toEqual([
      ["openapi", "orders", "v1", { path: "/health", method: "GET", expectStatus: 200 }],
      ["existing", "ledger", "prod", { path: "/ping", method: "GET", expectStatus: 200 }],
    ]);
    const orders = config.apis[0] as { body: string };
    expect(Object.keys(JSON.parse(orders.body))).toEqual(["openapi", "info", "paths"]);
    expect(config.apis[1]).toMatchObject({ restApiId: "a1l2e3d4g5", resourcePolicy: "owner" });
  });

  test("without apis: the article's PetStore, GET /pets answering its list", () => {
    const config = parseConfig(EXAMPLE);
    expect(config.apis).toEqual([{ kind: "petstore", name: "petstore", stageName: "v1", setting: "api", probe: { path: "/pets", method: "GET", expectStatus: 200, expectBody: '[{"id":1,"type":"dog","price":249.99},{"id":2,"type":"cat","price":124.99},{"id":3,"type":"fish","price":0.99}]' } }]);
  });

  test.each<[string, Overrides, Record<string, string>, string[]]>([
    ["a duplicate name", { apis: [existing(), existing({ restApiId: "b1b2b3b4b5" })] }, {}, ['apis.1.name: got "ledger"; expected a name no other entry has (apis.0.name is "ledger")']],
    ["one existing API twice", { apis: [existing(), existing({ name: "again" })] }, {}, ['apis.1.restApiId: got "a1l2e3d4g5"; expected an API no other entry has (apis.0.restApiId is "a1l2e3d4g5")']],
    ["a name with capitals", { apis: [existing({ name: "Ledger" })] }, {}, ['apis.0.name: got "Ledger"; expected 1 to 32 lower-case letters, digits and hyphens, such as "orders"']],
    ["a stage name with a dot", { apis: [existing({ stageName: "v1.0" })] }, {}, ["apis.0.stageName: got \"v1.0\"; expected 1 to 128 letters, digits, - and _ (API Gateway's stage name characters)"]],
    ["a REST API id of the wrong form", { apis: [existing({ restApiId: "abc" })] }, {}, ['apis.0.restApiId: got "abc"; expected a REST API id of 10 lower-case letters and digits, such as "a1b2c3d4e5"']],
    ["a probe path without its slash", { apis: [existing({ probe: { path: "ping" } })] }, {}, ['apis.0.probe.path: got "ping"; expected a path starting with "/", such as "/health"']],
    ["an entry that is neither", { apis: [{ name: "x", stageName: "v1", probe: { path: "/" } }] }, {}, ["apis.0: got {\"name\":\"x\",\"stageName\":\"v1\",\"probe\":{\"path\":\"/\"}}; expected an object with name, stageName, probe and either openApi (an API defined here) or restApiId (an existing API)"]],
    ["the PetStore's stage with apis", { api: { stageName: "v2" }, apis: [existing()] }, {}, ["api.stageName: got \"v2\"; expected nothing while apis is set: api.stageName describes the PetStore, which apis replaces; give each API its own name and stageName (api keeps allowedSourceCidrs and accessLogRetentionDays, which every API shares)"]],
    ["an existing endpoint without its VPC", { api: undefined, accountB: { existingEndpoint: { vpcEndpointId: "vpce-0123456789abcdef0" } } }, {}, ['accountB.existingEndpoint: got {"vpcEndpointId":"vpce-0123456789abcdef0"}; expected accountB.existingVpc too: the endpoint\'s VPC, its endpoint subnets and their route tables ({ "vpcId", "subnetIds", "routeTableIds" })']],
  ])("%s", (_, overrides, files, expected) => {
    expect(problems({ api: undefined, ...overrides }, project(files))).toEqual(expected);
  });

  test.each<[string, string | undefined, Overrides, RegExp]>([
    ["an OpenAPI file that is not there", undefined, {}, /^apis\.0\.openApi "orders\.yaml": cannot read .*orders\.yaml \(no such file\); expected an OpenAPI 3 file, relative to the configuration file$/],
    ["a YAML syntax error, with its line and column", "openapi: '3.0.1'\npaths:\n  /health: [unclosed\n", {}, /^apis\.0\.openApi "orders\.yaml": line \d+, column \d+: .*; expected JSON or YAML$/],
    ["a JSON syntax error, with its line and column", '{\n  "openapi": "3.0.1",\n  "paths": {,}\n}', { openApi: "orders.json" }, /^apis\.0\.openApi "orders\.json": line 3, column \d+: .*; expected JSON or YAML$/],
    ["Swagger 2", HEALTH.replace('openapi: "3.0.1"', 'swagger: "2.0"'), {}, /^apis\.0\.openApi "orders\.yaml": "openapi" is null; expected "3\.0\.1" or another 3\.x version/],
    ["no paths", 'openapi: "3.0.1"\ninfo: { title: x, version: "1" }\npaths: {}\n', {}, /^apis\.0\.openApi "orders\.yaml": no paths; expected at least one path with a method$/],
    ["a method without an integration", HEALTH.replace(/      x-amazon-apigateway-integration:\n        type: mock\n        requestTemplates: \{ application\/json: '\{"statusCode": 200\}' \}\n/, "      summary: none\n"), {}, /^apis\.0\.openApi "orders\.yaml": GET \/health \(line 6\) has no x-amazon-apigateway-integration; API Gateway cannot deploy a method without one/],
    ["an integration type API Gateway does not have", HEALTH.replace("type: mock", "type: grpc"), {}, /^apis\.0\.openApi "orders\.yaml": GET \/health \(line 6\): integration type "grpc"; expected one of MOCK, HTTP, HTTP_PROXY, AWS, AWS_PROXY$/],
    ["a resource policy of the file's own", `${HEALTH}x-amazon-apigateway-policy: { Version: "2012-10-17", Statement: [] }\n`, {}, /^apis\.0\.openApi "orders\.yaml": x-amazon-apigateway-policy \(line \d+\) would be replaced: B's stack attaches the resource policy/],
    ["a probe the file does not define", HEALTH, { probe: { path: "/status" } }, /^apis\.0\.probe: GET \/status is not a method of orders\.yaml; expected one it defines: GET \/health, GET \/orders\/\{id\}$/],
    ["a probe by a method the path does not have", HEALTH, { probe: { path: "/health", method: "POST" } }, /^apis\.0\.probe: POST \/health is not a method of orders\.yaml/],
  ])("%s", (_, text, overrides, expected) => {
    const file = String(overrides.openApi ?? "orders.yaml");
    const found = problems({ api: undefined, apis: [openApi(overrides)] }, project(text === undefined ? {} : { [file]: text }));
    expect(found).toHaveLength(1);
    expect(found[0]).toMatch(expected);
  });

  test("AWS's quotas that a list of APIs meets: private hosted zones per consumer account", () => {
    const apis = Array.from({ length: 251 }, (_, i) => existing({ name: `api-${i}`, restApiId: `a${String(i).padStart(9, "0")}` }));
    // Account A and one further consumer in A's account: two zones per API.
    const found = problems({ api: undefined, apis, consumers: [{ name: "orders", accountId: "111111111111", region: "ap-northeast-1", vpcCidr: "10.1.0.0/16", existingVpc: { vpcId: "vpc-0123456789abcdef0", routeTableIds: ["rtb-0123456789abcdef0"] }, canary: false }], accountA: { existingVpc: { vpcId: "vpc-0123456789abcdef1", routeTableIds: ["rtb-0123456789abcdef1"] }, canary: false } });
    expect(found).toEqual(['apis: got 251; expected at most 250 APIs: account 111111111111 (accountA, consumers.0) would hold 502 private hosted zones, one per API and consumer, and Route 53 allows 500 per account by default: request a higher "Hosted zones" quota for it, or split the APIs']);
  });

  test("AWS's quotas: a resource policy of more than 8,192 bytes", () => {
    const cidrs = Array.from({ length: 600 }, (_, i) => `10.${Math.floor(i / 256)}.${i % 256}.0/24`);
    const found = problems({ api: { allowedSourceCidrs: cidrs }, accountB: { securityGroupRulesQuota: 1000 } });
    expect(found).toEqual([expect.stringMatching(/^api\.allowedSourceCidrs: got 600; expected fewer, wider ranges: with 600 CIDRs each API's resource policy takes about \d+ bytes, and API Gateway allows 8192$/)]);
  });

  test("a probe matches a path template: /orders/{id} serves /orders/42, {proxy+} serves every path below it", () => {
    const paths = { "/orders/{id}": { get: {} }, "/files/{proxy+}": { "x-amazon-apigateway-any-method": {} } };
    expect(definesProbe(paths, { path: "/orders/42", method: "GET" })).toBe(true);
    expect(definesProbe(paths, { path: "/orders/42/items", method: "GET" })).toBe(false);
    expect(definesProbe(paths, { path: "/files/a/b.txt", method: "DELETE" })).toBe(true);
    expect(definesProbe(paths, { path: "/orders/42", method: "POST" })).toBe(false);
  });
});
