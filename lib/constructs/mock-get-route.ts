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
  /** What a deployment must follow: a change to any of it needs a redeployment. */
  readonly fingerprint: unknown;
  /** The resources a deployment must wait for. */
  readonly dependables: ITerraformDependable[];

  constructor(scope: Construct, id: string, props: MockGetRouteProps) {
    super(scope, id);
    const method = new ApiGatewayMethod(this, "method", {
      restApiId: props.restApiId,
      resourceId: props.resourceId,
      httpMethod: "GET",
      authorization: "NONE",
      requestParameters: props.requestParameters,
    });
    const integration = new ApiGatewayIntegration(this, "integration", {
      restApiId: props.restApiId,
      resourceId: props.resourceId,
      httpMethod: method.httpMethod,
      type: "MOCK",
      passthroughBehavior: "WHEN_NO_TEMPLATES",
      requestTemplates: { "application/json": props.requestTemplate ?? '{"statusCode": 200}' },
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
    this.fingerprint = {
      method: [method.id, method.authorization, method.requestParameters],
      integration: [integration.id, integration.type, integration.requestTemplates],
      responses: responses.map((response) => [response.statusCode, response.selectionPattern, response.responseTemplates]),
    };
    this.dependables = [method, integration, ...responses];
  }
}
