import { Route53Record } from "@cdktf/provider-aws/lib/route53-record";
import { Route53Zone } from "@cdktf/provider-aws/lib/route53-zone";
import { Construct } from "constructs";

export interface ApiPrivateDnsProps {
  /** The VPC whose callers resolve the API's name (account A's). */
  readonly vpcId: string;
  /** Region of that VPC. */
  readonly vpcRegion: string;
  /** The private REST API's id. */
  readonly restApiId: string;
  /** Domain of the API's region, `execute-api.<region>.amazonaws.com` (see `executeApiDomain`). */
  readonly apiDomain: string;
  /** DNS name of the execute-api endpoint the name points at (its regional entry). */
  readonly endpointDnsName: string;
  /** Route 53 hosted zone id of that DNS name. */
  readonly endpointHostedZoneId: string;
}

/**
 * A private hosted zone named after the API (`<api-id>.execute-api.<region>.amazonaws.com`) in
 * the caller's VPC, whose apex aliases the other account's endpoint. It overrides this one name
 * only, so the VPC keeps reaching public APIs, unlike private DNS on an endpoint of its own.
 */
export class ApiPrivateDns extends Construct {
  /** Id of the private hosted zone. */
  readonly hostedZoneId: string;
  /** The API's own host name, which now resolves to the endpoint inside the VPC. */
  readonly apiHostName: string;

  constructor(scope: Construct, id: string, props: ApiPrivateDnsProps) {
    super(scope, id);
    this.apiHostName = `${props.restApiId}.${props.apiDomain}`;
    const zone = new Route53Zone(this, "zone", {
      name: this.apiHostName,
      comment: "Resolves the private API's name to the execute-api endpoint in the peered VPC",
      vpc: [{ vpcId: props.vpcId, vpcRegion: props.vpcRegion }],
    });
    new Route53Record(this, "alias", {
      zoneId: zone.zoneId,
      name: this.apiHostName,
      type: "A",
      alias: { name: props.endpointDnsName, zoneId: props.endpointHostedZoneId, evaluateTargetHealth: false },
    });
    this.hostedZoneId = zone.zoneId;
  }
}
