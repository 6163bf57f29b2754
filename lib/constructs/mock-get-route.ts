import { ApiGatewayIntegration } from "@cdktf/provider-aws/lib/api-gateway-integration";
import { ApiGatewayIntegrationResponse } from "@cdktf/provider-aws/lib/api-gateway-integration-response";
import { ApiGatewayMethod } from "@cdktf/provider-aws/lib/api-gateway-method";
import { ApiGatewayMethodResponse } from "@cdktf/provider-aws/lib/api-gateway-method-response";
import { ITerraformDependable } from "cdktf";
import { Construct } from "constructs";

export interface MockGetRouteProps {
  /** The REST API. */
  readonly restApiId: string;
  /** The resource (path) the method is on. */
  readonly resourceId: string;
  /** Method request parameters, such as `{ "method.request.path.petId": true }`. @default - none */
  readonly requestParameters?: Record<string, boolean>;
  /** Mapping template that picks the mock's status code. @default - every request answers 200 */
  readonly requestTemplate?: string;
  /** Response per status code: its selection pattern (none for the default) and body template. */
  readonly responses: Record<string, { selectionPattern?: string; template: string }>;
}

/** `GET` on one resource answered by a mock integration. */
export class MockGetRoute extends Construct {
  /**
   * The route as this project defines it (method, integration, responses): a deployment follows
   * it. Literal values only: attributes read back from AWS can differ from what was sent without
   * any change (the provider stores a method's absent request_parameters as null on create and as
   * {} once read), which would redeploy the API for nothing.
   */
  readonly definition: unknown;
  /** The resources a deployment must wait for. */
  readonly dependables: ITerraformDependable[];

  constructor(scope: Construct, id: string, props: MockGetRouteProps) {
    super(scope, id);
    const methodSettings = { httpMethod: "GET", authorization: "NONE", requestParameters: props.requestParameters };
    const integrationSettings = { type: "MOCK", passthroughBehavior: "WHEN_NO_TEMPLATES", requestTemplates: { "application/json": props.requestTemplate ?? '{"statusCode": 200}' } };
    this.definition = { method: methodSettings, integration: integrationSettings, responses: props.responses };
    const method = new ApiGatewayMethod(this, "method", { restApiId: props.restApiId, resourceId: props.resourceId, ...methodSettings });
    const integration = new ApiGatewayIntegration(this, "integration", {
      restApiId: props.restApiId,
      resourceId: props.resourceId,
      ...integrationSettings,
      httpMethod: method.httpMethod,
    });
    const responses = Object.entries(props.responses).map(([statusCode, response]) => {
      const methodResponse = new ApiGatewayMethodResponse(this, `response-${statusCode}`, {
        restApiId: props.restApiId,
        resourceId: props.resourceId,
        httpMethod: method.httpMethod,
        statusCode,
        responseModels: { "application/json": "Empty" },
      });
      return new ApiGatewayIntegrationResponse(this, `integration-response-${statusCode}`, {
        restApiId: props.restApiId,
        resourceId: props.resourceId,
        httpMethod: method.httpMethod,
        statusCode: methodResponse.statusCode,
        selectionPattern: response.selectionPattern,
        responseTemplates: { "application/json": response.template },
        dependsOn: [integration],
      });
    });
    this.dependables = [method, integration, ...responses];
  }
}
