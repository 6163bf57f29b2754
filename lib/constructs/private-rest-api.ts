import { ApiGatewayDeployment } from "@cdktf/provider-aws/lib/api-gateway-deployment";
import { ApiGatewayResource } from "@cdktf/provider-aws/lib/api-gateway-resource";
import { ApiGatewayRestApi } from "@cdktf/provider-aws/lib/api-gateway-rest-api";
import { ApiGatewayRestApiPolicy } from "@cdktf/provider-aws/lib/api-gateway-rest-api-policy";
import { ApiGatewayStage } from "@cdktf/provider-aws/lib/api-gateway-stage";
import { CloudwatchLogGroup } from "@cdktf/provider-aws/lib/cloudwatch-log-group";
import { Fn, ITerraformDependable } from "cdktf";
import { Construct } from "constructs";
import { createHash } from "crypto";
import { PETS } from "../config/apis";
import { PolicyDocument, policyLocal } from "../terraform/policy-document";
import { apiResourcePolicy } from "./api-resource-policy";
import { MockGetRoute } from "./mock-get-route";

export { PETS };

export interface PrivateRestApiProps {
  /** Name of the REST API. */
  readonly name: string;
  /** Stage the API is deployed to (`v1`). */
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
 * A private REST API on mock integrations (it needs nothing outside account B): `GET /pets` and
 * `GET /pets/{petId}`, a resource policy that admits one endpoint and the allowed CIDRs, a
 * deployment that follows every change of policy, method or integration, and a stage with
 * access logging.
 */
export class PrivateRestApi extends Construct {
  /** Id of the REST API. */
  readonly restApiId: string;
  /** `arn:…:execute-api:<region>:<account>:<api-id>`. */
  readonly executionArn: string;
  /** The stage's name. */
  readonly stageName: string;
  /** The resource policy, as stored (JSON). */
  readonly policy: ApiGatewayRestApiPolicy;
  /** The deployment; its `triggers.redeployment` hashes what the stage serves. */
  readonly deployment: ApiGatewayDeployment;

  constructor(scope: Construct, id: string, props: PrivateRestApiProps) {
    super(scope, id);
    const api = new ApiGatewayRestApi(this, "api", {
      name: props.name,
      description: "Private PetStore API, reachable only through the execute-api VPC endpoint",
      endpointConfiguration: {
        types: ["PRIVATE"],
        // Association makes API Gateway publish `<api-id>-<vpce-id>.execute-api.<region>.amazonaws.com`.
        vpcEndpointIds: [props.vpcEndpointId],
      },
    });
    this.restApiId = api.id;
    this.executionArn = api.executionArn;
    this.stageName = props.stageName;

    const document = policyLocal(this, "policy-document", apiResourcePolicy({ executionArn: api.executionArn, vpcEndpointId: props.vpcEndpointId, allowedSourceCidrs: props.allowedSourceCidrs }) as PolicyDocument);
    this.policy = new ApiGatewayRestApiPolicy(this, "policy", { restApiId: api.id, policy: document.json });

    const paths = { pets: "pets", pet: "{petId}" };
    const pets = new ApiGatewayResource(this, "pets", { restApiId: api.id, parentId: api.rootResourceId, pathPart: paths.pets });
    const pet = new ApiGatewayResource(this, "pet", { restApiId: api.id, parentId: pets.id, pathPart: paths.pet });
    const routes = [
      new MockGetRoute(this, "get-pets", {
        restApiId: api.id,
        resourceId: pets.id,
        responses: { "200": { template: JSON.stringify(PETS) } },
      }),
      new MockGetRoute(this, "get-pet", {
        restApiId: api.id,
        resourceId: pet.id,
        requestParameters: { "method.request.path.petId": true },
        // The mock answers 404 for ids outside the list; the response template picks the pet.
        requestTemplate: `#if($input.params('petId').matches('^[${PETS[0].id}-${PETS[PETS.length - 1].id}]$'))
{"statusCode": 200}
#else
{"statusCode": 404}
#end`,
        responses: {
          "200": {
            template: `#set($pets = ${JSON.stringify(PETS)})
#foreach($pet in $pets)#if("$pet.id" == $input.params('petId')){"id":$pet.id,"type":"$pet.type","price":$pet.price}#end#end`,
          },
          "404": { selectionPattern: "404", template: JSON.stringify({ message: "pet not found" }) },
        },
      }),
    ];

    // What the stage serves, as this project defines it: the paths and each route. Attributes read
    // back from AWS would change the hash without any change (see MockGetRoute.definition).
    const definition = createHash("sha256").update(JSON.stringify({ paths, routes: routes.map((route) => route.definition) })).digest("hex");
    this.deployment = new ApiGatewayDeployment(this, "deployment", {
      restApiId: api.id,
      description: "Redeployed when the policy, a method or an integration changes",
      // A policy change takes effect only once the API is deployed again, so the deployment
      // follows the policy document as configured (with the routes' definition), and depends on
      // the policy resource so that it runs after the policy changed (terraform-provider-aws
      // #11469, #13054, #20811).
      triggers: { redeployment: Fn.sha1(Fn.jsonencode([document.document, definition])) },
      lifecycle: { createBeforeDestroy: true },
      // A private API cannot be deployed before its policy exists (#14290).
      dependsOn: [this.policy, ...routes.flatMap((route) => route.dependables)],
    });

    addLoggedStage(this, { apiName: props.name, restApiId: api.id, deploymentId: this.deployment.id, stageName: props.stageName, accessLogRetentionDays: props.accessLogRetentionDays, dependsOn: props.stageDependsOn });
  }
}

/** The stage a deployment is served on, with its access log group (`access-logs`, `stage` under `scope`). */
export function addLoggedStage(scope: Construct, props: { apiName: string; restApiId: string; deploymentId: string; stageName: string; accessLogRetentionDays: number; dependsOn?: ITerraformDependable[] }): ApiGatewayStage {
  const logGroup = new CloudwatchLogGroup(scope, "access-logs", {
    name: `/aws/apigateway/${props.apiName}/${props.stageName}/access`,
    retentionInDays: props.accessLogRetentionDays,
  });
  return new ApiGatewayStage(scope, "stage", {
    restApiId: props.restApiId,
    deploymentId: props.deploymentId,
    stageName: props.stageName,
    accessLogSettings: {
      destinationArn: logGroup.arn,
      format: JSON.stringify({
        requestId: "$context.requestId",
        requestTime: "$context.requestTime",
        httpMethod: "$context.httpMethod",
        resourcePath: "$context.resourcePath",
        status: "$context.status",
        vpceId: "$context.identity.vpceId",
        sourceIp: "$context.identity.sourceIp",
        responseLength: "$context.responseLength",
      }),
    },
    dependsOn: props.dependsOn,
  });
}
