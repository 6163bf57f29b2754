import { Route } from "@cdktf/provider-aws/lib/route";
import { VpcPeeringConnection } from "@cdktf/provider-aws/lib/vpc-peering-connection";
import { Construct } from "constructs";
import { addCheckBlock } from "../terraform/check-block";
import { hclExpression } from "../terraform/hcl";

export interface PeeringRequestProps {
  /** Tags of the request (see `peeringRequestTags`). */
  readonly tags: Record<string, string>;
  /** The requesting VPC (account A's). */
  readonly vpcId: string;
  /** Route tables of the client subnets: each gets a route to the peer CIDR. */
  readonly routeTableIds: string[];
  /** The accepting VPC (account B's). */
  readonly peerVpcId: string;
  /** Account that owns the accepting VPC. */
  readonly peerOwnerId: string;
  /** Region of the accepting VPC (cross-region peering when it differs). */
  readonly peerRegion: string;
  /** CIDR of the accepting VPC. */
  readonly peerCidr: string;
}

/**
 * Account A's side of the peering: the request (the other account accepts it) and a route to the
 * peer's CIDR in each client route table. AWS allows routes to a pending peering; they are
 * blackholes until the peer accepts, so they can be created in the same apply as the request.
 */
export class PeeringRequest extends Construct {
  /** Id of the peering connection (`pcx-…`). */
  readonly vpcPeeringConnectionId: string;

  constructor(scope: Construct, id: string, props: PeeringRequestProps) {
    super(scope, id);
    const peering = new VpcPeeringConnection(this, "connection", {
      vpcId: props.vpcId,
      peerVpcId: props.peerVpcId,
      peerOwnerId: props.peerOwnerId,
      peerRegion: props.peerRegion,
      // No auto_accept: the peer's own account accepts (account B's stack, second deploy).
      tags: props.tags,
    });
    props.routeTableIds.forEach((routeTableId, index) => {
      new Route(this, `route-${index + 1}`, {
        routeTableId,
        destinationCidrBlock: props.peerCidr,
        vpcPeeringConnectionId: peering.id,
      });
    });
    this.vpcPeeringConnectionId = peering.id;

    // On every plan: the request's live status, and what to do about it. AWS expires a request
    // B has not accepted within 7 days, silently.
    // Total: a status the data source does not give reads as "unknown", never as an error.
    const status = 'try(coalesce(data.aws_vpc_peering_connection.peering_status.status, "unknown"), "unknown")';
    const help = hclExpression(STATUS_HELP);
    addCheckBlock(this, "peering_active", {
      data: { type: "aws_vpc_peering_connection", name: "peering_status", config: { id: peering.id } },
      assertions: [{
        condition: `\${${status} == "active"}`,
        errorMessage: `The peering request \${try(data.aws_vpc_peering_connection.peering_status.id, "")} to account B is \${${status}}: \${lookup(${help}, ${status}, "an unexpected status")}.`,
      }],
    });
  }
}

/** What each status of a peering connection means for this stack, and what to run. */
const STATUS_HELP: Record<string, string> = {
  "pending-acceptance": "account B has not accepted it yet; deploy account-b (within 7 days of the request, or it expires)",
  provisioning: "it is being activated; check again in a minute",
  expired: "it was not accepted within 7 days and can no longer be; deploy this stack (a new request), then account-b within 7 days",
  rejected: "account B rejected it; deploy this stack (a new request), then account-b",
  deleted: "it was deleted; deploy this stack (a new request), then account-b",
  deleting: "it is being deleted; deploy this stack (a new request), then account-b",
  failed: "AWS could not create it (overlapping CIDRs, or the peering limit); check both VPCs' CIDRs, then deploy this stack again",
};
