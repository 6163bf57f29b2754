import { ApiGatewayRestApiPolicy } from "@cdktf/provider-aws/lib/api-gateway-rest-api-policy";
import { DataAwsApiGatewayExport } from "@cdktf/provider-aws/lib/data-aws-api-gateway-export";
import { DataAwsApiGatewayRestApi } from "@cdktf/provider-aws/lib/data-aws-api-gateway-rest-api";
import { Construct } from "constructs";
import { ApiProbe } from "../config/apis";
import { addCheckBlock } from "../terraform/check-block";
import { hclExpression } from "../terraform/hcl";
import { PolicyDocument, policyLocal, PolicyLocal } from "../terraform/policy-document";
import { apiResourcePolicy } from "./api-resource-policy";

export interface ExistingRestApiProps {
  /** The API's id. */
  readonly restApiId: string;
  /** Its stage that the consumers call. */
  readonly stageName: string;
  /** What the canary calls: it must be a method of the deployed stage. */
  readonly probe: ApiProbe;
  /** `arn:<partition>:execute-api:<region>:<account>`: the API's execution ARN is this and its id. */
  readonly executionArnPrefix: string;
  /** B's execute-api endpoint: the one the resource policy admits. */
  readonly vpcEndpointId: string;
  /**
   * The endpoint's id when it is known before planning (an existing endpoint): the plan then stops
   * unless the API is associated with it. @default - the association is a check, not a stop (an
   * endpoint this stack creates cannot be associated before it exists)
   */
  readonly knownVpcEndpointId?: string;
  /** Callers' private source ranges (`aws:VpcSourceIp`), a list token. */
  readonly allowedSourceCidrs: string[];
  /** Attach the project's resource policy (replacing the owner's), or leave it to the owner. */
  readonly resourcePolicy: "owner" | "attach";
  /** The configuration key of the API (`apis.1`), for messages. */
  readonly setting: string;
}

/**
 * A private REST API in account B that something else manages. B's plan reads it — the deployed
 * stage's definition (GetExport), then the API by the name it carries — and stops, naming the
 * API and the key, when it is not PRIVATE, when the probe is not a method of the stage, or (for an
 * endpoint known before planning) when it is not associated with B's endpoint. Its resource policy
 * is the owner's unless `resourcePolicy` is "attach": then B's stack attaches the same policy as
 * for its own APIs, and the owner's pipeline redeploys the stage for it to take effect.
 */
export class ExistingRestApi extends Construct {
  /** Id of the REST API. */
  readonly restApiId: string;
  /** `arn:…:execute-api:<region>:<account>:<api-id>`. */
  readonly executionArn: string;
  /** The resource policy every consumer needs (what is attached, or what the owner must have). */
  readonly requiredPolicy: PolicyLocal;
  /** The API as read, `data.aws_api_gateway_rest_api.<name>`: its current policy and endpoint configuration. */
  readonly current: DataAwsApiGatewayRestApi;

  constructor(scope: Construct, id: string, props: ExistingRestApiProps) {
    super(scope, id);
    this.restApiId = props.restApiId;
    this.executionArn = `${props.executionArnPrefix}:${props.restApiId}`;
    const what = `${props.setting} (restApiId ${props.restApiId})`;

    // The stage as deployed (GetExport exports "a deployed version"; Swagger 2.0, methods in lower
    // case as OpenAPI writes them): its definition names the API (info.title) and holds the probe's path.
    const stage = new DataAwsApiGatewayExport(this, "stage-definition", {
      restApiId: props.restApiId,
      stageName: props.stageName,
      exportType: "swagger",
      accepts: "application/json",
      lifecycle: { postcondition: [{ condition: probeCondition(props.probe), errorMessage: `${what}: ${props.probe.method} ${props.probe.path} (${props.setting}.probe) is not a method of stage ${props.stageName} as deployed: set the probe to one it serves, or deploy the API with it.` }] },
    });
    const endpointIds = "self.endpoint_configuration[0].vpc_endpoint_ids";
    this.current = new DataAwsApiGatewayRestApi(this, "api", {
      name: `\${jsondecode(data.${stage.terraformResourceType}.${stage.friendlyUniqueId}.body).info.title}`,
      lifecycle: {
        postcondition: [
          { condition: `\${self.id == "${props.restApiId}"}`, errorMessage: `${what}: the API named \${self.name} in account B is \${self.id}, not ${props.restApiId}; two APIs share the name: give ${props.restApiId} a name of its own.` },
          { condition: `\${contains(self.endpoint_configuration[0].types, "PRIVATE")}`, errorMessage: `${what} is \${join(", ", self.endpoint_configuration[0].types)}, not PRIVATE: only a private API is reached through B's execute-api endpoint. Its owner makes it PRIVATE, or leave it out of apis.` },
          ...(props.knownVpcEndpointId
            ? [{ condition: `\${contains(coalesce(${endpointIds}, []), "${props.knownVpcEndpointId}")}`, errorMessage: `${what} is not associated with B's endpoint ${props.knownVpcEndpointId} (its endpoints: \${join(", ", coalesce(${endpointIds}, []))}): its owner adds ${props.knownVpcEndpointId} to the API's vpcEndpointIds, or leave it out of apis.` }]
            : []),
        ],
      },
    });

    this.requiredPolicy = policyLocal(this, "policy-document", apiResourcePolicy({ executionArn: this.executionArn, vpcEndpointId: props.vpcEndpointId, allowedSourceCidrs: props.allowedSourceCidrs }) as PolicyDocument);
    if (props.resourcePolicy === "attach") new ApiGatewayRestApiPolicy(this, "policy", { restApiId: props.restApiId, policy: this.requiredPolicy.json });

    if (!props.knownVpcEndpointId) {
      // B's own endpoint is created by this stack: the owner can associate the API only once it exists.
      const live = `data.aws_api_gateway_rest_api.${this.current.friendlyUniqueId}`;
      addCheckBlock(this, `api_associated_${props.restApiId}`, {
        assertions: [{
          condition: `\${contains(coalesce(${live}.endpoint_configuration[0].vpc_endpoint_ids, []), ${hclReference(props.vpcEndpointId)})}`,
          errorMessage: `${what} is not associated with B's endpoint \${${hclReference(props.vpcEndpointId)}}: its owner adds it to the API's vpcEndpointIds (the <api-id>-<vpce-id> name and the association checks depend on it).`,
        }],
      });
    }
  }
}

/** A Terraform reference without its `${...}`, or a literal string as an HCL string. */
function hclReference(value: string): string {
  const inner = /^\$\{([\s\S]*)\}$/.exec(value)?.[1];
  return inner ?? hclExpression(value);
}

/**
 * The condition that the exported stage (`self.body`, OpenAPI 3) defines the probe: a path template
 * that matches its path (`/pets/{id}` matches `/pets/1`), with its method or ANY.
 */
function probeCondition(probe: ApiProbe): string {
  const paths = "jsondecode(self.body).paths";
  const method = probe.method.toLowerCase();
  return `\${anytrue([for p, item in ${paths} : can(regex("^\${replace(replace(p, "/\\\\{[^}/]+\\\\+\\\\}/", ".+"), "/\\\\{[^}/]+\\\\}/", "[^/]+")}$", ${hclExpression(probe.path)})) && (contains(keys(item), "${method}") || contains(keys(item), "x-amazon-apigateway-any-method"))])}`;
}
