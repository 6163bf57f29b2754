import { Fn, TerraformOutput } from "cdktf";
import { Construct } from "constructs";
import { AccountStack } from "../lib/stack/account-stack";
import { Consumer } from "../lib/config/consumers";
import { canaryName, canaryRoleName } from "../lib/config/names";
import { executeApiDomain } from "../lib/config/partition";
import { Config } from "../lib/config/schema";
import { ApiCanary, CanaryTarget } from "../lib/constructs/api-canary";
import { ApiPrivateDns } from "../lib/constructs/api-private-dns";
import { PeeringRequest } from "../lib/constructs/peering-request";
import { PrivateNetwork } from "../lib/constructs/private-network";
import { peeringRequestTags } from "../lib/stack/tags";
import type { ApiTarget } from "./account-b-stack";

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
  /** The APIs the consumer reaches, in configuration order. */
  readonly apis: ApiTarget[];
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
    // Values read from B's state are marked sensitive; none of these is a secret.
    const show = (value: string) => Fn.nonsensitive(value);
    const apiDomain = executeApiDomain(b.region);
    const calls = target.apis.map((api) => {
      // The article's PetStore keeps the addresses and outputs it always had.
      const petstore = api.kind === "petstore";
      const dns = new ApiPrivateDns(this, petstore ? "api-dns" : `api-dns-${api.name}`, {
        vpcId: network.vpcId,
        vpcRegion: a.region,
        restApiId: api.restApiId,
        apiDomain,
        endpointDnsName: target.vpcEndpointDnsName,
        endpointHostedZoneId: target.vpcEndpointHostedZoneId,
      });
      const apiHost = dns.apiHostName;
      const aliasHost = `${api.restApiId}-${target.vpcEndpointId}.${apiDomain}`;
      const path = `/${api.stageName}${api.probe.path}`;
      const endpointUrl = `https://${target.vpcEndpointDnsName}${path}`;
      // Single quotes only: a double quote inside nonsensitive("...") breaks the HCL template.
      const curl = `curl -s${api.probe.method === "GET" ? "" : ` -X ${api.probe.method}`}`;
      return {
        api,
        dns,
        outputs: {
          invoke_url: `https://${apiHost}${path}`,
          curl_private_dns: `${curl} https://${apiHost}${path}`,
          curl_host_header: `${curl} -H 'Host: ${apiHost}' ${endpointUrl}`,
          curl_api_id_header: `${curl} -H 'x-apigw-api-id: ${api.restApiId}' ${endpointUrl}`,
          curl_endpoint_alias: `${curl} https://${aliasHost}${path}`,
        },
        // Every access method the outputs describe; a name that resolves outside B's VPC leads to
        // another endpoint (see canary/index.js). The PetStore's methods keep their names.
        targets: ([
          { method: "private-dns", url: `https://${apiHost}${path}` },
          { method: "host-header", url: endpointUrl, headers: { Host: apiHost } },
          { method: "api-id-header", url: endpointUrl, headers: { "x-apigw-api-id": api.restApiId } },
          { method: "endpoint-alias", url: `https://${aliasHost}${path}` },
        ] as { method: string; url: string; headers?: Record<string, string> }[]).map((t): CanaryTarget => ({
          ...t,
          method: petstore ? t.method : `${api.name}/${t.method}`,
          ...(api.probe.method === "GET" ? {} : { httpMethod: api.probe.method }),
          ...(api.probe.expectStatus === 200 ? {} : { expectStatus: api.probe.expectStatus }),
          ...(api.probe.expectBody === undefined ? {} : { expectBody: api.probe.expectBody }),
          expectAddressIn: b.vpcCidr,
        })),
      };
    });
    const petstore = calls.find((c) => c.api.kind === "petstore");
    if (petstore) {
      const descriptions: Record<string, string> = {
        invoke_url: "The API's own URL; resolves to B's endpoint through the private hosted zone",
        curl_private_dns: "Call by the API's own name",
        curl_host_header: "Call through the endpoint's public DNS name with a Host header",
        curl_api_id_header: "Call through the endpoint's public DNS name with an x-apigw-api-id header",
        curl_endpoint_alias: "Call by the <api-id>-<vpce-id> name API Gateway publishes for an associated endpoint",
      };
      for (const [name, value] of Object.entries(petstore.outputs)) new TerraformOutput(this, name, { value: show(value), description: descriptions[name] });
    } else {
      new TerraformOutput(this, "api_calls", {
        value: Object.fromEntries(calls.map((c) => [c.api.name, Object.fromEntries(Object.entries(c.outputs).map(([k, v]) => [k, show(v)]))])),
        description: "For each API, by its name: its own URL of the probe, and the commands that call it by each access method (its own name, the endpoint's name with a Host or x-apigw-api-id header, the <api-id>-<vpce-id> name)",
      });
    }
    if (a.canary) {
      new ApiCanary(this, "canary", {
        functionName: canaryName(config.name, id),
        roleName: canaryRoleName(config.name, id, a.region),
        vpcId: network.vpcId,
        subnetIds: a.existingVpc ? a.existingVpc.subnetIds! : network.subnetIds,
        endpointVpcCidr: b.vpcCidr,
        targets: calls.flatMap((c) => c.targets),
        logRetentionDays: CANARY_LOG_RETENTION_DAYS,
      });
    }
    new TerraformOutput(this, "vpc_peering_connection_id", { value: peering.vpcPeeringConnectionId, description: "The peering request; active once account-b is deployed again" });
    if (petstore) new TerraformOutput(this, "private_hosted_zone_id", { value: petstore.dns.hostedZoneId, description: "Private hosted zone of the API's name" });
    else new TerraformOutput(this, "private_hosted_zone_ids", { value: Object.fromEntries(calls.map((c) => [c.api.name, c.dns.hostedZoneId])), description: "Private hosted zone of each API's name, by the API's name" });
    new TerraformOutput(this, "vpc_id", { value: network.vpcId, description: "Id of the client VPC" });
  }
}
