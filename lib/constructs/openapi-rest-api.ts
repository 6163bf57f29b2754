import { ApiGatewayDeployment } from "@cdktf/provider-aws/lib/api-gateway-deployment";
import { ApiGatewayRestApi } from "@cdktf/provider-aws/lib/api-gateway-rest-api";
import { ApiGatewayRestApiPolicy } from "@cdktf/provider-aws/lib/api-gateway-rest-api-policy";
import { Fn, ITerraformDependable } from "cdktf";
import { Construct } from "constructs";
import { createHash } from "crypto";
import { PolicyDocument, policyLocal } from "../terraform/policy-document";
import { apiResourcePolicy } from "./api-resource-policy";
import { addLoggedStage } from "./private-rest-api";

export interface OpenApiRestApiProps {
  /** Name of the REST API in API Gateway. */
  readonly name: string;
  /** The OpenAPI 3 definition, as JSON (`body`), x-amazon-apigateway-integration extensions included. */
  readonly body: string;
  /** Stage the API is deployed to. */
  readonly stageName: string;
  /** The execute-api endpoint the API is associated with and the only one its policy admits. */
  readonly vpcEndpointId: string;
  /** Callers' private source ranges (`aws:VpcSourceIp`), a list token. */
  readonly allowedSourceCidrs: string[];
  /** Retention of the access log group, in days. */
  readonly accessLogRetentionDays: number;
  /** Created before the stage (API Gateway's CloudWatch role setting). @default - none */
  readonly stageDependsOn?: ITerraformDependable[];
}

/**
 * A private REST API defined by an OpenAPI 3 file: created from its definition (`body`, which API
 * Gateway imports), associated with B's endpoint, with the same resource policy as the PetStore,
 * a deployment made anew exactly when the definition or the policy changes, and a stage with
 * access logging.
 */
export class OpenApiRestApi extends Construct {
  /** Id of the REST API. */
  readonly restApiId: string;
  /** `arn:…:execute-api:<region>:<account>:<api-id>`. */
  readonly executionArn: string;
  /** The deployment; its `triggers.redeployment` hashes the definition and the policy. */
  readonly deployment: ApiGatewayDeployment;

  constructor(scope: Construct, id: string, props: OpenApiRestApiProps) {
    super(scope, id);
    const api = new ApiGatewayRestApi(this, "api", {
      name: props.name,
      description: "Private REST API from an OpenAPI definition, reachable only through the execute-api VPC endpoint",
      body: props.body,
      // The argument overrides the definition's x-amazon-apigateway-endpoint-configuration.
      endpointConfiguration: { types: ["PRIVATE"], vpcEndpointIds: [props.vpcEndpointId] },
    });
    this.restApiId = api.id;
    this.executionArn = api.executionArn;

    const document = policyLocal(this, "policy-document", apiResourcePolicy({ executionArn: api.executionArn, vpcEndpointId: props.vpcEndpointId, allowedSourceCidrs: props.allowedSourceCidrs }) as PolicyDocument);
    const policy = new ApiGatewayRestApiPolicy(this, "policy", { restApiId: api.id, policy: document.json });

    // A policy change takes effect only once the API is deployed again; so does a definition
    // change. The trigger hashes both as configured (the definition's own hash, computed here: a
    // body of thousands of characters would otherwise be written twice into the synth output).
    const definition = createHash("sha256").update(props.body).digest("hex");
    this.deployment = new ApiGatewayDeployment(this, "deployment", {
      restApiId: api.id,
      description: "Redeployed when the definition or the policy changes",
      triggers: { redeployment: Fn.sha1(Fn.jsonencode([document.document, definition])) },
      lifecycle: { createBeforeDestroy: true },
      // A private API cannot be deployed before its policy exists (terraform-provider-aws #14290).
      dependsOn: [policy, api],
    });
    addLoggedStage(this, { apiName: props.name, restApiId: api.id, deploymentId: this.deployment.id, stageName: props.stageName, accessLogRetentionDays: props.accessLogRetentionDays, dependsOn: props.stageDependsOn });
  }
}
