import { TerraformOutput, TerraformVariable } from "cdktf";
import { Construct } from "constructs";
import { AccountStack } from "../lib/stack/account-stack";
import { executeApiServiceName } from "../lib/config/partition";
import { Config } from "../lib/config/schema";
import { ApiGatewayCloudWatchRole } from "../lib/constructs/api-gateway-cloudwatch-role";
import { ApiEndpoint, ExecuteApiEndpoint } from "../lib/constructs/execute-api-endpoint";
import { PeeringAcceptance } from "../lib/constructs/peering-acceptance";
import { PrivateNetwork } from "../lib/constructs/private-network";
import { PrivateRestApi } from "../lib/constructs/private-rest-api";
import { OpenApiRestApi } from "../lib/constructs/openapi-rest-api";
import { ExistingRestApi } from "../lib/constructs/existing-rest-api";
import { ExistingExecuteApiEndpoint } from "../lib/constructs/existing-execute-api-endpoint";
import { ApiDefinition, ApiProbe } from "../lib/config/apis";
import { requirePartition } from "../lib/config/partition";
import { stackDefaultTags } from "../lib/stack/tags";
import { consumersOf } from "../lib/config/consumers";
import { peeringRequester } from "../lib/peering-requester";
import { VPC_LOOKUP_TAG_KEY } from "../lib/stack/tags";
import { forgetWithoutDestroying } from "../lib/terraform/removed-block";

export interface AccountBStackProps {
  /** The validated configuration. */
  readonly config: Config;
}

/** What a consumer needs of one API in account B. */
export interface ApiTarget {
  /** The API's name in this project (`api-<name>` addresses, outputs, canary methods). */
  readonly name: string;
  /** How it is defined: the PetStore, from an OpenAPI file, or an existing API. */
  readonly kind: ApiDefinition["kind"];
  /** Id of the private REST API (a cross-stack reference for the APIs B creates). */
  readonly restApiId: string;
  /** The stage the consumers call. */
  readonly stageName: string;
  /** What the canary calls. */
  readonly probe: ApiProbe;
}

/**
 * Account B: the private REST APIs, the execute-api interface endpoint they are reached through
 * (created, or the VPC's own), and the acceptance of each consumer's peering request (found on B's
 * deploy after the consumer's). Its public fields are what every consumer's stack reads (cdktf
 * turns them into outputs).
 */
export class AccountBStack extends AccountStack {
  /** Id of the VPC that hosts the endpoint. */
  readonly vpcId: string;
  /** Id of the execute-api endpoint. */
  readonly vpcEndpointId: string;
  /** The endpoint's regional public DNS name. */
  readonly vpcEndpointDnsName: string;
  /** Route 53 hosted zone id of that name. */
  readonly vpcEndpointHostedZoneId: string;
  /** Every API, in configuration order. */
  readonly apis: ApiTarget[];

  constructor(scope: Construct, id: string, props: AccountBStackProps) {
    super(scope, id, { config: props.config, account: props.config.accountB });
    const { config } = props;
    const b = config.accountB;
    const serviceName = executeApiServiceName(b.region);
    const partition = requirePartition(b.region).name;

    // A variable, so that a Terraform Cloud workspace (or a test) can change who may call the API
    // without a new synth; its default is the configuration's list.
    const allowedSourceCidrs = new TerraformVariable(this, "allowed_source_cidrs", {
      type: "list(string)",
      default: config.api.allowedSourceCidrs,
      description: "IPv4 CIDRs that may call the API: the endpoint security group admits them on 443 and the resource policy on aws:VpcSourceIp",
      validation: [
        {
          condition: "${length(var.allowed_source_cidrs) > 0 && alltrue([for c in var.allowed_source_cidrs : can(cidrnetmask(c)) && tonumber(split(\"/\", c)[1]) >= 8])}",
          errorMessage: "allowed_source_cidrs: expected one or more IPv4 CIDRs with a prefix of /8 or longer, such as 10.0.0.0/16.",
        },
        {
          // One inbound rule per CIDR on the endpoint's security group (see accountB.securityGroupRulesQuota).
          condition: `\${length(var.allowed_source_cidrs) <= ${b.securityGroupRulesQuota}}`,
          errorMessage: `allowed_source_cidrs: expected at most ${b.securityGroupRulesQuota} CIDRs, one inbound rule each on the endpoint's security group (accountB.securityGroupRulesQuota): request a higher "Inbound or outbound rules per security group" quota for account B and set accountB.securityGroupRulesQuota, or admit fewer, wider ranges.`,
        },
      ],
    });

    const vpcLookupTag = { key: VPC_LOOKUP_TAG_KEY, value: `${config.name}/${id}` };
    const network = new PrivateNetwork(this, "network", {
      name: `${config.name}-api`,
      vpcCidr: b.vpcCidr,
      availabilityZoneIds: b.availabilityZoneIds,
      existingVpc: b.existingVpc,
      vpcTags: { [vpcLookupTag.key]: vpcLookupTag.value },
      endpointService: serviceName,
      setting: "accountB",
    });
    const endpoint: ApiEndpoint = b.existingEndpoint
      ? new ExistingExecuteApiEndpoint(this, "execute-api", {
          name: config.name,
          vpcEndpointId: b.existingEndpoint.vpcEndpointId,
          // The configuration requires existingVpc with existingEndpoint: a literal id, for the plan-time check.
          vpcId: b.existingVpc!.vpcId,
          serviceName,
          allowedSourceCidrs: allowedSourceCidrs.listValue,
        })
      : new ExecuteApiEndpoint(this, "execute-api", {
          name: config.name,
          serviceName,
          vpcId: network.vpcId,
          subnetIds: network.subnetIds,
          allowedSourceCidrs: allowedSourceCidrs.listValue,
          existingVpc: b.existingVpc ? { vpcId: b.existingVpc.vpcId, setting: "accountB.existingVpc" } : undefined,
          ownTags: stackDefaultTags(config, id),
        });
    const cloudWatchRole = b.manageApiGatewayAccount
      ? new ApiGatewayCloudWatchRole(this, "apigateway-cloudwatch", { name: config.name, accountId: b.accountId, region: b.region, provider: this.provider })
      : undefined;
    if (!cloudWatchRole) {
      // A deployment that managed the setting and no longer does forgets the resource that read
      // it instead of destroying it (which hashicorp/aws's next major version makes a reset).
      forgetWithoutDestroying(this, "aws_api_gateway_account.apigateway-cloudwatch_current");
      this.requireTerraform(">= 1.7.0");
    }
    const stageDependsOn = cloudWatchRole ? [cloudWatchRole.dependable] : undefined;
    const apiSettings = { vpcEndpointId: endpoint.vpcEndpointId, allowedSourceCidrs: allowedSourceCidrs.listValue, accessLogRetentionDays: config.api.accessLogRetentionDays, stageDependsOn };
    const built = config.apis.map((api) => {
      switch (api.kind) {
        case "petstore": {
          // The article's PetStore keeps the addresses it always had (rest-api_*).
          const petstore = new PrivateRestApi(this, "rest-api", { name: `${config.name}-${api.name}`, stageName: api.stageName, ...apiSettings });
          return { api, restApiId: petstore.restApiId, executionArn: petstore.executionArn, deployment: petstore.deployment };
        }
        case "openapi": {
          const created = new OpenApiRestApi(this, `api-${api.name}`, { name: `${config.name}-${api.name}`, body: api.body, stageName: api.stageName, ...apiSettings });
          return { api, restApiId: created.restApiId, executionArn: created.executionArn, deployment: created.deployment };
        }
        case "existing": {
          const existing = new ExistingRestApi(this, `api-${api.name}`, {
            restApiId: api.restApiId,
            stageName: api.stageName,
            probe: api.probe,
            executionArnPrefix: `arn:${partition}:execute-api:${b.region}:${b.accountId}`,
            vpcEndpointId: endpoint.vpcEndpointId,
            knownVpcEndpointId: b.existingEndpoint?.vpcEndpointId,
            allowedSourceCidrs: allowedSourceCidrs.listValue,
            resourcePolicy: api.resourcePolicy,
            setting: api.setting,
          });
          return { api, restApiId: existing.restApiId, executionArn: existing.executionArn, requiredPolicy: existing.requiredPolicy };
        }
      }
    });
    endpoint.allowOnlyInvoking(built.map((x) => x.executionArn));

    const peering = new PeeringAcceptance(this, "peering", {
      vpcId: b.existingVpc?.vpcId,
      vpcLookupTag,
      currentVpcId: network.vpcId,
      accepterAccountId: b.accountId,
      requesters: consumersOf(config).map((consumer) => peeringRequester(config, consumer)),
      routeTableIds: network.routeTableIds,
    });

    this.vpcId = network.vpcId;
    this.vpcEndpointId = endpoint.vpcEndpointId;
    this.vpcEndpointDnsName = endpoint.dnsName;
    this.vpcEndpointHostedZoneId = endpoint.hostedZoneId;
    this.apis = built.map(({ api, restApiId }) => ({ name: api.name, kind: api.kind, restApiId, stageName: api.stageName, probe: api.probe }));

    const petstore = built.find((x) => x.api.kind === "petstore");
    if (petstore) {
      // The PetStore's outputs, as they always were.
      new TerraformOutput(this, "rest_api_id", { value: petstore.restApiId, description: "Id of the private REST API" });
    } else {
      new TerraformOutput(this, "rest_api_ids", { value: Object.fromEntries(built.map((x) => [x.api.name, x.restApiId])), description: "Id of each private REST API, by its name in the configuration" });
    }
    new TerraformOutput(this, "vpc_endpoint_id", { value: endpoint.vpcEndpointId, description: "Id of the execute-api interface endpoint" });
    new TerraformOutput(this, "vpc_endpoint_dns_name", { value: endpoint.dnsName, description: "Regional public DNS name of the endpoint" });
    new TerraformOutput(this, "vpc_id", { value: network.vpcId, description: "Id of the VPC that hosts the endpoint" });
    if (petstore?.deployment) {
      new TerraformOutput(this, "api_deployment_id", { value: petstore.deployment.id, description: "The deployment the stage serves" });
      new TerraformOutput(this, "api_deployment_trigger", {
        value: petstore.deployment.triggersInput?.redeployment ?? "",
        description: "Hash of the policy, methods and integrations the stage serves: when it changes, apply creates a new deployment",
      });
    }
    const created = built.filter((x) => x.deployment && x.api.kind !== "petstore");
    if (created.length) {
      new TerraformOutput(this, "api_deployment_ids", { value: Object.fromEntries(created.map((x) => [x.api.name, x.deployment!.id])), description: "The deployment each API this stack creates serves, by name" });
    }
    const owned = built.filter((x) => x.requiredPolicy);
    if (owned.length) {
      new TerraformOutput(this, "api_resource_policies", {
        value: Object.fromEntries(owned.map((x) => [x.api.name, x.requiredPolicy!.json])),
        description: "For each existing API: the resource policy every consumer needs (attached when resourcePolicy is \"attach\"; otherwise its owner adds these statements and redeploys the stage)",
      });
    }
    new TerraformOutput(this, "accepted_peering_connection_ids", {
      value: peering.vpcPeeringConnectionIds,
      description: "The peering connection accepted for each consumer stack, by stack id (empty until the consumer has requested one and this stack is deployed again)",
    });
    new TerraformOutput(this, "ambiguous_peering_requests", {
      value: peering.ambiguousRequests,
      description: "Consumers left unaccepted because their account has several peering requests into this VPC that account B cannot tell apart: the request ids, by stack id",
    });
    if (cloudWatchRole) {
      new TerraformOutput(this, "apigateway_cloudwatch_role_arn", {
        value: cloudWatchRole.roleArn,
        description: "The role API Gateway logs through in this account and region: this stack's, or the one already set",
      });
    }
  }
}
