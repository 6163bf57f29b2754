import { Route } from "@cdktf/provider-aws/lib/route";
import { VpcPeeringConnection } from "@cdktf/provider-aws/lib/vpc-peering-connection";
import { Construct } from "constructs";

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
  }
}
