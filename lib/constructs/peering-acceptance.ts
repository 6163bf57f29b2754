import { DataAwsVpcPeeringConnections } from "@cdktf/provider-aws/lib/data-aws-vpc-peering-connections";
import { DataAwsVpcs } from "@cdktf/provider-aws/lib/data-aws-vpcs";
import { Route } from "@cdktf/provider-aws/lib/route";
import { VpcPeeringConnectionAccepterA as VpcPeeringConnectionAccepter } from "@cdktf/provider-aws/lib/vpc-peering-connection-accepter";
import { Fn, Op, TerraformCount, TerraformIterator, TerraformStack, Token, ref } from "cdktf";
import { Construct } from "constructs";

export interface PeeringAcceptanceProps {
  /** Prefix of the `Name` tags. */
  readonly name: string;
  /**
   * The accepting VPC's id, when it is known before planning (an existing VPC).
   * @default - the VPC is found by `vpcLookupTag`, which the stack puts on the VPC it creates
   */
  readonly vpcId?: string;
  /** A tag that this stack puts on the VPC it creates, unique to the stack, to find it by. */
  readonly vpcLookupTag: { readonly key: string; readonly value: string };
  /** Account that owns the accepting VPC (this stack's). */
  readonly accepterAccountId: string;
  /** Account that requests the peering (account A). */
  readonly requesterAccountId: string;
  /** The requesting VPC, when known before planning. @default - any VPC of the requester account */
  readonly requesterVpcId?: string;
  /** CIDR of the requesting VPC: the routes' destination. */
  readonly requesterCidr: string;
  /** Route tables of the endpoint subnets: each gets a route to the requester's CIDR. */
  readonly routeTableIds: string[];
}

/**
 * Account B's side of the peering: it finds account A's request by itself and accepts it.
 *
 * B cannot reference A's stack (A already references B; cdktf rejects the cycle), the requester's
 * tags are invisible to the accepter, and a pending request carries no CIDR to filter on. So the
 * look-up filters on requester account and accepter VPC id, and every count/for_each below must
 * be known at plan time, also on the first deploy, when the VPC does not exist yet: the VPC's id
 * comes from config, or from a tag look-up that is simply empty on the first deploy. Comparing
 * with the id of a VPC created in the same run would leave for_each unknown ("Invalid for_each
 * argument") as soon as any request exists.
 */
export class PeeringAcceptance extends Construct {
  /** Ids of the accepted peering connections (empty until A has requested). */
  readonly vpcPeeringConnectionIds: string[];

  constructor(scope: Construct, id: string, props: PeeringAcceptanceProps) {
    super(scope, id);
    // By id for an existing VPC, by tag for the one this stack creates (empty on its first deploy).
    const ownVpcIds = new DataAwsVpcs(this, "own-vpc", props.vpcId
      ? { filter: [{ name: "vpc-id", values: [props.vpcId] }] }
      : { tags: { [props.vpcLookupTag.key]: props.vpcLookupTag.value } }).ids;

    const count = TerraformCount.of(Token.asNumber(Fn.lengthOf(ownVpcIds)));
    const requests = new DataAwsVpcPeeringConnections(this, "requests", {
      count,
      filter: [
        { name: "requester-vpc-info.owner-id", values: [props.requesterAccountId] },
        ...(props.requesterVpcId ? [{ name: "requester-vpc-info.vpc-id", values: [props.requesterVpcId] }] : []),
        { name: "accepter-vpc-info.owner-id", values: [props.accepterAccountId] },
        { name: "accepter-vpc-info.vpc-id", values: [Fn.element(ownVpcIds, count.index)] },
        { name: "status-code", values: ["pending-acceptance", "active"] },
      ],
    });
    const stack = TerraformStack.of(this);
    const peeringIds = Token.asList(
      Fn.sort(Fn.flatten(ref(`data.${requests.terraformResourceType}.${requests.friendlyUniqueId}[*].ids`, stack))),
    );
    this.vpcPeeringConnectionIds = peeringIds;

    const accepted = TerraformIterator.fromList(peeringIds);
    const accepter = new VpcPeeringConnectionAccepter(this, "accepter", {
      forEach: accepted,
      vpcPeeringConnectionId: accepted.value,
      autoAccept: true,
      tags: { Name: `${props.name}-from-account-a`, Side: "accepter" },
      lifecycle: {
        precondition: [
          {
            // Two requests would mean two routes to the same CIDR, which AWS refuses.
            condition: Op.lte(Fn.lengthOf(peeringIds), 1),
            errorMessage: `Account ${props.requesterAccountId} has more than one peering request into this VPC (${Fn.join(", ", peeringIds)}): delete the stale ones, or set accountA.existingVpc.vpcId so that only that VPC's request is accepted.`,
          },
        ],
      },
    });
    props.routeTableIds.forEach((routeTableId, index) => {
      const peering = TerraformIterator.fromList(peeringIds);
      new Route(this, `route-${index + 1}`, {
        forEach: peering,
        routeTableId,
        destinationCidrBlock: props.requesterCidr,
        vpcPeeringConnectionId: peering.value,
        dependsOn: [accepter],
      });
    });
  }
}
