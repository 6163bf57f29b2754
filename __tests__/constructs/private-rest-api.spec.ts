import { TerraformVariable } from "cdktf";
import { PETS, PrivateRestApi } from "../../lib/constructs/private-rest-api";
import { synthConstruct } from "../helpers/synth-construct";
import { only } from "../helpers/terraform-json";

function synth(): any {
  return synthConstruct((scope) => {
    const cidrs = new TerraformVariable(scope, "cidrs", { type: "list(string)", default: ["10.0.0.0/16"] });
    new PrivateRestApi(scope, "api", {
      name: "demo",
      stageName: "v1",
      vpcEndpointId: "vpce-0123456789abcdef0",
      allowedSourceCidrs: cidrs.listValue,
      accessLogRetentionDays: 14,
    });
  });
}

const ARTICLE_PETS = '[{"id":1,"type":"dog","price":249.99},{"id":2,"type":"cat","price":124.99},{"id":3,"type":"fish","price":0.99}]';

describe("PrivateRestApi", () => {
  const json = synth();

  test("is PRIVATE and associated with the endpoint (so API Gateway publishes <api-id>-<vpce-id>)", () => {
    expect(only(json, "aws_api_gateway_rest_api").endpoint_configuration).toEqual({ types: ["PRIVATE"], vpc_endpoint_ids: ["vpce-0123456789abcdef0"] });
  });

  test("GET /pets answers the article's PetStore list exactly, from a mock", () => {
    expect(JSON.stringify(PETS)).toBe(ARTICLE_PETS);
    const pets = json.resource.aws_api_gateway_resource["api_pets"];
    expect(pets.path_part).toBe("pets");
    const method = json.resource.aws_api_gateway_method["api_get-pets_method"];
    expect(method).toMatchObject({ http_method: "GET", authorization: "NONE", resource_id: "${aws_api_gateway_resource.api_pets.id}" });
    expect(json.resource.aws_api_gateway_integration["api_get-pets_integration"]).toMatchObject({ type: "MOCK", request_templates: { "application/json": '{"statusCode": 200}' } });
    expect(json.resource.aws_api_gateway_integration_response["api_get-pets_integration-response-200"].response_templates).toEqual({ "application/json": ARTICLE_PETS });
  });

  test("GET /pets/{petId} answers one pet, or 404 for an unknown id", () => {
    expect(json.resource.aws_api_gateway_resource["api_pet"]).toMatchObject({ path_part: "{petId}", parent_id: "${aws_api_gateway_resource.api_pets.id}" });
    expect(json.resource.aws_api_gateway_method["api_get-pet_method"].request_parameters).toEqual({ "method.request.path.petId": true });
    const template = json.resource.aws_api_gateway_integration["api_get-pet_integration"].request_templates["application/json"];
    expect(template).toContain("matches('^[1-3]$')");
    expect(json.resource.aws_api_gateway_integration_response["api_get-pet_integration-response-404"]).toMatchObject({ selection_pattern: "404" });
    expect(json.resource.aws_api_gateway_integration_response["api_get-pet_integration-response-200"].response_templates["application/json"]).toContain("$input.params('petId')");
  });

  test("its resource policy allows Invoke, then denies other endpoints and other source ranges", () => {
    expect(only(json, "aws_api_gateway_rest_api_policy").policy).toBe("${jsonencode(local.api_policy-document)}");
    const arn = "${aws_api_gateway_rest_api.api_api.execution_arn}/*";
    const invoke = { Effect: "Deny", Principal: "*", Action: "execute-api:Invoke", Resource: arn };
    // The full ARN: API Gateway stores execute-api:/* expanded, which would diff on every plan.
    expect(json.locals["api_policy-document"]).toEqual({
      Version: "2012-10-17",
      Statement: [
        { Sid: "AllowInvoke", Effect: "Allow", Principal: "*", Action: "execute-api:Invoke", Resource: arn },
        { Sid: "DenyOtherEndpoints", ...invoke, Condition: { StringNotEquals: { "aws:SourceVpce": "vpce-0123456789abcdef0" } } },
        { Sid: "DenyOtherSourceRanges", ...invoke, Condition: { NotIpAddress: { "aws:VpcSourceIp": "${var.cidrs}" } } },
      ],
    });
  });

  test("the deployment follows the policy document and the routes as configured, never attributes read back", () => {
    const deployment = only(json, "aws_api_gateway_deployment");
    const trigger: string = deployment.triggers.redeployment;
    const [, definition] = /^\$\{sha1\(jsonencode\(\[local\.api_policy-document, "([0-9a-f]{64})"\]\)\)\}$/.exec(trigger) ?? [];
    expect(definition).toBeDefined();
    // AWS reads a method's absent request_parameters back as {} where create stored null: hashing
    // a resource attribute would redeploy on the second deploy for nothing.
    expect(trigger).not.toMatch(/aws_api_gateway_(method|integration|integration_response|rest_api_policy)\./);
    expect(deployment.lifecycle).toEqual({ create_before_destroy: true });
    expect(deployment.depends_on).toEqual(expect.arrayContaining(["aws_api_gateway_rest_api_policy.api_policy", "aws_api_gateway_integration.api_get-pets_integration"]));
    expect(deployment.stage_name).toBeUndefined();
  });

  test("serves a separate stage with access logs kept for the configured days", () => {
    const stage = only(json, "aws_api_gateway_stage");
    expect(stage).toMatchObject({ stage_name: "v1", deployment_id: "${aws_api_gateway_deployment.api_deployment.id}" });
    expect(stage.access_log_settings.destination_arn).toBe("${aws_cloudwatch_log_group.api_access-logs.arn}");
    expect(JSON.parse(stage.access_log_settings.format)).toMatchObject({ vpceId: "$context.identity.vpceId", sourceIp: "$context.identity.sourceIp" });
    expect(only(json, "aws_cloudwatch_log_group").retention_in_days).toBe(14);
  });
});
