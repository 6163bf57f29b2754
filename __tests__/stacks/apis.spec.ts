import { createHash } from "crypto";
import { readFileSync } from "fs";
import * as path from "path";
import { loadConfig } from "../../lib/config/load-config";
import { synthProject } from "../helpers/project";
import { all, only } from "../helpers/terraform-json";

// GIVEN examples/existing-api: an API defined by an OpenAPI file and an existing one, in B's
// existing VPC behind its existing endpoint, reached by account A and one further consumer.
const config = loadConfig("examples/existing-api/config.json");
const { b, stacks } = synthProject(config);
const consumers = ["account-a", "consumer-billing"];
const definition = JSON.stringify(JSON.parse(JSON.stringify((config.apis[0] as { body: string }).body)));

describe("Your API, not the PetStore (examples/existing-api)", () => {
  test("the OpenAPI API: created from its definition, private, associated with B's endpoint, its policy admitting that endpoint and the allowed CIDRs", () => {
    const api = all(b, "aws_api_gateway_rest_api")["api-orders_api"];
    expect(JSON.parse(api.body)).toEqual(JSON.parse(readFileSync(path.join(__dirname, "../../examples/own-api/orders.yaml"), "utf8").length ? JSON.parse(definition) : {}));
    expect(api.endpoint_configuration).toEqual({ types: ["PRIVATE"], vpc_endpoint_ids: ["vpce-0b2b2b2b2b2b2b2b2"] });
    expect(api.name).toBe("platform-orders");
    const policy = b.locals!["api-orders_policy-document"];
    expect(policy.Statement.map((s: any) => s.Sid)).toEqual(["AllowInvoke", "DenyOtherEndpoints", "DenyOtherSourceRanges"]);
    expect(policy.Statement[1].Condition).toEqual({ StringNotEquals: { "aws:SourceVpce": "vpce-0b2b2b2b2b2b2b2b2" } });
    expect(policy.Statement[2].Condition).toEqual({ NotIpAddress: { "aws:VpcSourceIp": "${var.allowed_source_cidrs}" } });
  });

  test("the OpenAPI API is deployed anew exactly when its definition or its policy changes, after the policy, and its stage logs", () => {
    const deployment = all(b, "aws_api_gateway_deployment")["api-orders_deployment"];
    const sha = createHash("sha256").update((config.apis[0] as { body: string }).body).digest("hex");
    expect(deployment.triggers.redeployment).toBe(`\${sha1(jsonencode([local.api-orders_policy-document, "${sha}"]))}`);
    expect(deployment.lifecycle).toEqual({ create_before_destroy: true });
    expect(deployment.depends_on).toEqual(["aws_api_gateway_rest_api_policy.api-orders_policy", "aws_api_gateway_rest_api.api-orders_api"]);
    const stage = all(b, "aws_api_gateway_stage")["api-orders_stage"];
    expect(stage).toMatchObject({ stage_name: "v1", deployment_id: "${aws_api_gateway_deployment.api-orders_deployment.id}" });
    expect(all(b, "aws_cloudwatch_log_group")["api-orders_access-logs"].name).toBe("/aws/apigateway/platform-orders/v1/access");
  });

  test("the existing API: read, never managed; its owner keeps its policy, and the statements it needs are an output", () => {
    expect(Object.keys(all(b, "aws_api_gateway_rest_api"))).toEqual(["api-orders_api"]);
    expect(all(b, "aws_api_gateway_rest_api_policy")["api-ledger_policy"]).toBeUndefined();
    expect(all(b, "aws_api_gateway_export", "data")["api-ledger_stage-definition"]).toMatchObject({ rest_api_id: "a1l2e3d4g5", stage_name: "prod", export_type: "swagger" });
    const conditions = all(b, "aws_api_gateway_rest_api", "data")["api-ledger_api"].lifecycle.postcondition.map((p: any) => p.condition);
    expect(conditions).toEqual([
      '${self.id == "a1l2e3d4g5"}',
      '${contains(self.endpoint_configuration[0].types, "PRIVATE")}',
      '${contains(coalesce(self.endpoint_configuration[0].vpc_endpoint_ids, []), "vpce-0b2b2b2b2b2b2b2b2")}',
    ]);
    expect(b.output.api_resource_policies.value).toEqual({ ledger: "${jsonencode(local.api-ledger_policy-document)}" });
    expect(b.locals!["api-ledger_policy-document"].Statement[0].Resource).toBe("arn:aws:execute-api:ap-northeast-1:222222222222:a1l2e3d4g5/*");
  });

  test("resourcePolicy attach: the project attaches its policy to the existing API (replacing the owner's)", () => {
    const attach = loadConfig("examples/existing-api/config.json");
    const attached = synthProject({ ...attach, apis: attach.apis.map((api) => (api.kind === "existing" ? { ...api, resourcePolicy: "attach" as const } : api)) }).b;
    expect(all(attached, "aws_api_gateway_rest_api_policy")["api-ledger_policy"]).toMatchObject({ rest_api_id: "a1l2e3d4g5", policy: "${jsonencode(local.api-ledger_policy-document)}" });
  });

  test("the existing endpoint: read and checked, never created or changed; a security group of the project's is associated beside its own; what its policy must allow is an output", () => {
    expect(b.resource.aws_vpc_endpoint).toBeUndefined();
    expect(b.resource.aws_vpc_endpoint_policy).toBeUndefined();
    const endpoint = only(b, "aws_vpc_endpoint", "data");
    expect(endpoint.id).toBe("vpce-0b2b2b2b2b2b2b2b2");
    expect(endpoint.lifecycle.postcondition.map((p: any) => p.condition)).toEqual(['${self.vpc_id == "vpc-0b0b0b0b0b0b0b0b0"}', '${self.service_name == "com.amazonaws.ap-northeast-1.execute-api" && self.vpc_endpoint_type == "Interface"}']);
    expect(only(b, "aws_vpc_endpoint_security_group_association")).toMatchObject({ vpc_endpoint_id: "vpce-0b2b2b2b2b2b2b2b2", security_group_id: "${aws_security_group.execute-api_security-group.id}", replace_default_association: false });
    const statement = b.output.endpoint_policy_statement.value;
    expect(statement).toContain('"Action" = "execute-api:Invoke"');
    expect(statement).toContain("${aws_api_gateway_rest_api.api-orders_api.execution_arn}/*");
    expect(statement).toContain("arn:aws:execute-api:ap-northeast-1:222222222222:a1l2e3d4g5/*");
  });

  test.each(consumers)("%s reaches every API: a private hosted zone per API in its own VPC, aliasing B's endpoint", (stack) => {
    const zones = all(stacks[stack], "aws_route53_zone");
    expect(Object.keys(zones).sort()).toEqual(["api-dns-ledger_zone", "api-dns-orders_zone"]);
    expect(zones["api-dns-ledger_zone"].name).toBe("a1l2e3d4g5.execute-api.ap-northeast-1.amazonaws.com");
    expect(zones["api-dns-orders_zone"].name).toMatch(/^\$\{data\.terraform_remote_state\.[\w-]+\.outputs\.cross-stack-output-aws_api_gateway_rest_apiapi-orders_apiid\}\.execute-api\.ap-northeast-1\.amazonaws\.com$/);
    for (const record of Object.values<any>(all(stacks[stack], "aws_route53_record"))) {
      expect(record.alias.name).toMatch(/cross-stack-output-dataaws_vpc_endpointexecute-api_existingdns_entry0dns_name\}$/);
    }
  });

  test.each(consumers)("%s's canary probes each API by every access method, on the API's probe", (stack) => {
    const targets = stacks[stack].locals!.canary_targets;
    expect(targets.map((t: any) => t.method)).toEqual(["orders/private-dns", "orders/host-header", "orders/api-id-header", "orders/endpoint-alias", "ledger/private-dns", "ledger/host-header", "ledger/api-id-header", "ledger/endpoint-alias"]);
    expect(targets[0]).toMatchObject({ url: expect.stringMatching(/\/v1\/health$/), expectBody: '{"status":"ok"}', expectAddressIn: "172.31.0.0/16" });
    expect(targets[5]).toMatchObject({ url: expect.stringMatching(/^https:\/\/\$\{.*\}\/prod\/ping$/), headers: { Host: "a1l2e3d4g5.execute-api.ap-northeast-1.amazonaws.com" } });
    expect(targets[5].expectBody).toBeUndefined();
  });

  test.each(consumers)("%s's outputs: the exact calls per API and access method", (stack) => {
    const calls = stacks[stack].output.api_calls.value;
    expect(Object.keys(calls).sort()).toEqual(["ledger", "orders"]);
    expect(calls.ledger.curl_host_header).toMatch(/^\$\{nonsensitive\("curl -s -H 'Host: a1l2e3d4g5\.execute-api\.ap-northeast-1\.amazonaws\.com' https:\/\/\$\{[^}]+\}\/prod\/ping"\)\}$/);
    // An existing endpoint is known before planning: its id is a literal in the alias name.
    expect(calls.ledger.curl_endpoint_alias).toBe("${nonsensitive(\"curl -s https://a1l2e3d4g5-vpce-0b2b2b2b2b2b2b2b2.execute-api.ap-northeast-1.amazonaws.com/prod/ping\")}");
    expect(stacks[stack].output.private_hosted_zone_ids.value).toEqual({ orders: "${aws_route53_zone.api-dns-orders_zone.zone_id}", ledger: "${aws_route53_zone.api-dns-ledger_zone.zone_id}" });
  });

  test("B's endpoint policy (an endpoint B creates) lets callers invoke each API and nothing else", () => {
    const own = loadConfig("examples/own-api/config.json");
    const created = synthProject({ ...own, apis: [...own.apis, { kind: "existing", name: "ledger", stageName: "prod", restApiId: "a1l2e3d4g5", resourcePolicy: "owner", probe: { path: "/ping", method: "GET", expectStatus: 200 }, setting: "apis.1" }] }).b;
    expect(created.locals!["execute-api_policy-document"].Statement).toEqual([
      { Sid: "InvokeThisApiOnly", Effect: "Allow", Principal: "*", Action: "execute-api:Invoke", Resource: ["${aws_api_gateway_rest_api.api-orders_api.execution_arn}/*", "arn:aws:execute-api:ap-northeast-1:222222222222:a1l2e3d4g5/*"] },
    ]);
    // The existing API's association with an endpoint B creates is a check (the owner can associate it only once it exists).
    expect(Object.keys((created as any).check)).toContain("api_associated_a1l2e3d4g5");
  });
});
