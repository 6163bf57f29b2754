import { Fn, TerraformOutput } from "cdktf";
import { Construct } from "constructs";
import { AccountStack } from "../lib/stack/account-stack";
import { Consumer } from "../lib/config/consumers";
import { canaryName, canaryRoleName } from "../lib/config/names";
import { executeApiDomain } from "../lib/config/partition";
import { Config } from "../lib/config/schema";
import { ApiCanary } from "../lib/constructs/api-canary";
import { ApiPrivateDns } from "../lib/constructs/api-private-dns";
import { PeeringRequest } from "../lib/constructs/peering-request";
import { PrivateNetwork } from "../lib/constructs/private-network";
import { PETS } from "../lib/constructs/private-rest-api";
import { peeringRequestTags } from "../lib/stack/tags";

/** How long the canary's logs are kept. */
const CANARY_LOG_RETENTION_DAYS = 14;

/** What a consumer needs to know of account B's deployment. */
export interface PrivateApiTarget {
  /** Id of B's VPC (the peering's accepter). */
  readonly vpcId: string;
  /** Id of B's execute-api endpoint. */
  readonly vpcEndpointId: string;
  /** The endpoint's regional public DNS name. */
  readonly vpcEndpointDnsName: string;
  /** Route 53 hosted zone id of that name. */
  readonly vpcEndpointHostedZoneId: string;
  /** Id of the private REST API. */
  readonly restApiId: string;
}

export interface ConsumerStackProps {
  /** The validated configuration. */
  readonly config: Config;
  /** The consumer this stack deploys: account A, or one of `consumers`. */
  readonly consumer: Consumer;
  /** Account B's deployment; passing B's stack makes these cross-stack references. */
  readonly target: PrivateApiTarget;
}

/**
 * A consumer of the API (account A, or any of `consumers`; its id is the consumer's stack id): the
 * client VPC, the peering request to B's VPC with routes to B's CIDR, the private hosted zone that
 * resolves the API's own name to B's endpoint, and the canary that proves the path works.
 */
export class ConsumerStack extends AccountStack {
  constructor(scope: Construct, props: ConsumerStackProps) {
    super(scope, props.consumer.stackId, { config: props.config, account: props.consumer.account });
    const { config, target, consumer } = props;
    const id = consumer.stackId;
    const a = consumer.account;
    const b = config.accountB;

    const network = new PrivateNetwork(this, "network", {
      name: `${config.name}-client`,
      vpcCidr: a.vpcCidr,
      availabilityZoneIds: a.availabilityZoneIds,
      existingVpc: a.existingVpc,
      setting: consumer.setting,
    });
    const peering = new PeeringRequest(this, "peering", {
      tags: peeringRequestTags(config, id),
      vpcId: network.vpcId,
      routeTableIds: network.routeTableIds,
      peerVpcId: target.vpcId,
      peerOwnerId: b.accountId,
      peerRegion: b.region,
      peerCidr: b.vpcCidr,
    });
    const dns = new ApiPrivateDns(this, "api-dns", {
      vpcId: network.vpcId,
      vpcRegion: a.region,
      restApiId: target.restApiId,
      apiDomain: executeApiDomain(b.region),
      endpointDnsName: target.vpcEndpointDnsName,
      endpointHostedZoneId: target.vpcEndpointHostedZoneId,
    });

    // Values read from B's state are marked sensitive; none of these is a secret.
    const stage = config.api.stageName;
    const apiHost = dns.apiHostName;
    const aliasHost = `${target.restApiId}-${target.vpcEndpointId}.${executeApiDomain(b.region)}`;
    const show = (value: string) => Fn.nonsensitive(value);
    new TerraformOutput(this, "invoke_url", {
      value: show(`https://${apiHost}/${stage}/pets`),
      description: "The API's own URL; resolves to B's endpoint through the private hosted zone",
    });
    // Single quotes only: a double quote inside nonsensitive("...") breaks the HCL template.
    new TerraformOutput(this, "curl_private_dns", { value: show(`curl -s https://${apiHost}/${stage}/pets`), description: "Call by the API's own name" });
    new TerraformOutput(this, "curl_host_header", {
      value: show(`curl -s -H 'Host: ${apiHost}' https://${target.vpcEndpointDnsName}/${stage}/pets`),
      description: "Call through the endpoint's public DNS name with a Host header",
    });
    new TerraformOutput(this, "curl_api_id_header", {
      value: show(`curl -s -H 'x-apigw-api-id: ${target.restApiId}' https://${target.vpcEndpointDnsName}/${stage}/pets`),
      description: "Call through the endpoint's public DNS name with an x-apigw-api-id header",
    });
    new TerraformOutput(this, "curl_endpoint_alias", {
      value: show(`curl -s https://${aliasHost}/${stage}/pets`),
      description: "Call by the <api-id>-<vpce-id> name API Gateway publishes for an associated endpoint",
    });
    if (a.canary) {
      const path = `/${stage}/pets`;
      const endpointUrl = `https://${target.vpcEndpointDnsName}${path}`;
      const expectBody = JSON.stringify(PETS);
      new ApiCanary(this, "canary", {
        functionName: canaryName(config.name, id),
        roleName: canaryRoleName(config.name, id, a.region),
        vpcId: network.vpcId,
        subnetIds: a.existingVpc ? a.existingVpc.subnetIds! : network.subnetIds,
        endpointVpcCidr: b.vpcCidr,
        // Every access method the outputs above describe.
        // A name that resolves outside B's VPC leads to another endpoint (see canary/index.js).
        targets: [
          { method: "private-dns", url: `https://${apiHost}${path}`, expectBody, expectAddressIn: b.vpcCidr },
          { method: "host-header", url: endpointUrl, headers: { Host: apiHost }, expectBody, expectAddressIn: b.vpcCidr },
          { method: "api-id-header", url: endpointUrl, headers: { "x-apigw-api-id": target.restApiId }, expectBody, expectAddressIn: b.vpcCidr },
          { method: "endpoint-alias", url: `https://${aliasHost}${path}`, expectBody, expectAddressIn: b.vpcCidr },
        ],
        logRetentionDays: CANARY_LOG_RETENTION_DAYS,
      });
    }
    new TerraformOutput(this, "vpc_peering_connection_id", { value: peering.vpcPeeringConnectionId, description: "The peering request; active once account-b is deployed again" });
    new TerraformOutput(this, "private_hosted_zone_id", { value: dns.hostedZoneId, description: "Private hosted zone of the API's name" });
    new TerraformOutput(this, "vpc_id", { value: network.vpcId, description: "Id of the client VPC" });
  }
}
