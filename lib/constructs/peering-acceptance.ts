import { DataAwsVpcPeeringConnection } from "@cdktf/provider-aws/lib/data-aws-vpc-peering-connection";
import { DataAwsVpcPeeringConnections } from "@cdktf/provider-aws/lib/data-aws-vpc-peering-connections";
import { DataAwsVpcs } from "@cdktf/provider-aws/lib/data-aws-vpcs";
import { Route } from "@cdktf/provider-aws/lib/route";
import { VpcPeeringConnectionAccepterA as VpcPeeringConnectionAccepter } from "@cdktf/provider-aws/lib/vpc-peering-connection-accepter";
import { Fn, TerraformCount, TerraformIterator, TerraformLocal, TerraformStack, Token, ref } from "cdktf";
import { Construct } from "constructs";
import { addCheckBlock } from "../terraform/check-block";

/** A consumer whose peering request account B accepts, and what B can tell it apart by. */
export interface PeeringRequester {
  /** Its stack id (`account-a`): the key of its accepter and routes, stable when its request is replaced. */
  readonly key: string;
  /** The configuration key that describes it (`accountA`), for messages. */
  readonly setting: string;
  /** Account that requests the peering. */
  readonly accountId: string;
  /** Region of the requesting VPC. */
  readonly region: string;
  /** CIDR of the requesting VPC: the routes' destination. */
  readonly cidr: string;
  /** The requesting VPC, when known before planning (an existing VPC). @default - any VPC of the account and region */
  readonly vpcId?: string;
  /**
   * A tag the request carries that account B can see: only for a request from B's own account and
   * region. @default - requests are not told apart by tags
   */
  readonly requestTag?: { readonly key: string; readonly value: string };
  /** Tags of the accepter (see `peeringAccepterTags`). */
  readonly accepterTags: Record<string, string>;
}

export interface PeeringAcceptanceProps {
  /**
   * The accepting VPC's id, when it is known before planning (an existing VPC).
   * @default - the VPC is found by `vpcLookupTag`, which the stack puts on the VPC it creates
   */
  readonly vpcId?: string;
  /** A tag that this stack puts on the VPC it creates, unique to the stack, to find it by. */
  readonly vpcLookupTag: { readonly key: string; readonly value: string };
  /** The accepting VPC's id as a reference (known once the VPC exists), for the check blocks. */
  readonly currentVpcId: string;
  /** Account that owns the accepting VPC (this stack's). */
  readonly accepterAccountId: string;
  /** The consumers whose requests are accepted. */
  readonly requesters: PeeringRequester[];
  /** Route tables of the endpoint subnets: each gets a route to each requester's CIDR. */
  readonly routeTableIds: string[];
}

/**
 * Account B's side of the peering: it finds each consumer's request by itself, accepts it, and
 * routes the consumer's CIDR through it.
 *
 * B cannot reference the consumers' stacks (they reference B; cdktf rejects the cycle), nor read
 * their state before they have one (`terraform_remote_state` fails on a state that does not exist
 * yet, so B's first deploy would fail). So B looks: every pending or active request into its own
 * VPC from a consumer account, then each one's details, and a request is a consumer's when its
 * requester account, region, and VPC (when configured) or tag (same account and region only) are
 * the consumer's. What B can see of a pending request is limited: the requester's tags only in
 * its own account, no CIDR before it is active.
 *
 * Every count and for_each is known at plan time, also on the first deploy, when the VPC does not
 * exist yet: the VPC's id comes from config, or from a tag look-up that is simply empty then.
 * A consumer whose request B cannot tell from another one is left unaccepted, and a check and the
 * doctor name it; the others are accepted all the same.
 *
 * Accepters and routes are keyed by the consumer, not by the peering id, so a replaced request
 * (a new `pcx-` id) updates the routes in place; keyed by id, the new route would be created
 * before the old one is gone, and AWS refuses a second route to the same CIDR.
 */
export class PeeringAcceptance extends Construct {
  /** The accepted peering connection of each consumer, by stack id (empty until they have requested). */
  readonly vpcPeeringConnectionIds: Record<string, string>;
  /** `local.<name>`: the matching requests of each consumer, by stack id. */
  readonly matchesExpression: string;
  /** The requests of each consumer left unaccepted because B cannot tell which is its own, by stack id. */
  readonly ambiguousRequests: Record<string, unknown>;
  /** The peering ids the look-up found, a list token. */
  readonly foundIds: string[];

  constructor(scope: Construct, id: string, props: PeeringAcceptanceProps) {
    super(scope, id);
    const stack = TerraformStack.of(this);
    // By id for an existing VPC, by tag for the one this stack creates (empty on its first deploy).
    const ownVpcIds = new DataAwsVpcs(this, "own-vpc", props.vpcId
      ? { filter: [{ name: "vpc-id", values: [props.vpcId] }] }
      : { tags: { [props.vpcLookupTag.key]: props.vpcLookupTag.value } }).ids;

    const count = TerraformCount.of(Token.asNumber(Fn.lengthOf(ownVpcIds)));
    const requests = new DataAwsVpcPeeringConnections(this, "requests", {
      count,
      filter: [
        { name: "requester-vpc-info.owner-id", values: [...new Set(props.requesters.map((r) => r.accountId))].sort() },
        { name: "accepter-vpc-info.owner-id", values: [props.accepterAccountId] },
        { name: "accepter-vpc-info.vpc-id", values: [Fn.element(ownVpcIds, count.index)] },
        { name: "status-code", values: ["pending-acceptance", "active"] },
      ],
    });
    this.foundIds = Token.asList(Fn.sort(Fn.flatten(ref(`data.${requests.terraformResourceType}.${requests.friendlyUniqueId}[*].ids`, stack))));
    // Owner, region, VPC and tags of each request found: what tells the consumers apart.
    const eachFound = TerraformIterator.fromList(this.foundIds);
    const found = new DataAwsVpcPeeringConnection(this, "request", { forEach: eachFound, id: eachFound.value });
    const foundAddress = `data.${found.terraformResourceType}.${found.friendlyUniqueId}`;

    const requesters = new TerraformLocal(this, "requesters", Object.fromEntries(props.requesters.map((r) => [r.key, {
      setting: r.setting,
      account_id: r.accountId,
      region: r.region,
      cidr: r.cidr,
      vpc_id: r.vpcId ?? "",
      tag_key: r.requestTag?.key ?? "",
      tag_value: r.requestTag?.value ?? "",
      accepter_tags: r.accepterTags,
    }])));
    const requestersAddress = `local.${requesters.friendlyUniqueId}`;
    const matches = new TerraformLocal(this, "matches", `\${{ for key, c in ${requestersAddress} : key => sort([
    for id, r in ${foundAddress} : id
    if r.owner_id == c.account_id && r.region == c.region && (c.vpc_id == "" || r.vpc_id == c.vpc_id) && (c.tag_key == "" || lookup(r.tags, c.tag_key, "") == c.tag_value)
  ]) }}`);
    this.matchesExpression = `local.${matches.friendlyUniqueId}`;
    // A consumer's request is the one match; or, among several, the one active match (the request
    // accepted before another appeared: it stays accepted). A consumer with several matches and
    // no single active one is left unaccepted, and named by a check: accepting one would be a
    // guess, and accepting two would mean two routes to one CIDR, which AWS refuses. The other
    // consumers are accepted all the same.
    const active = (ids: string) => `[for id in ${ids} : id if ${foundAddress}[id].status == "active"]`;
    const accepted = new TerraformLocal(this, "accepted", `\${{ for key, ids in ${this.matchesExpression} : key => length(ids) == 1 ? ids[0] : ${active("ids")}[0] if length(ids) == 1 || length(${active("ids")}) == 1 }}`);
    const acceptedAddress = `local.${accepted.friendlyUniqueId}`;
    // A request still pending when this plan read it has not been accepted by B: B's next deploy
    // accepts it. The check tells these apart from requests accepted but not active yet.
    const pending = new TerraformLocal(this, "pending", `\${{ for key, id in ${acceptedAddress} : key => id if try(${foundAddress}[id].status, "") == "pending-acceptance" }}`);
    const ambiguous = new TerraformLocal(this, "ambiguous", `\${{ for key, ids in ${this.matchesExpression} : key => ids if length(ids) > 1 && !contains(keys(${acceptedAddress}), key) }}`);
    this.ambiguousRequests = Token.asAnyMap(`\${local.${ambiguous.friendlyUniqueId}}`);
    this.vpcPeeringConnectionIds = Token.asStringMap(`\${${acceptedAddress}}`);
    const eachAccepted = () => TerraformIterator.fromMap(Token.asAnyMap(`\${${acceptedAddress}}`));

    const accepter = new VpcPeeringConnectionAccepter(this, "accepter", {
      forEach: eachAccepted(),
      vpcPeeringConnectionId: "${each.value}",
      autoAccept: true,
    });
    accepter.addOverride("tags", `\${${requestersAddress}[each.key].accepter_tags}`);
    this.addChecks(props, `${accepter.terraformResourceType}.${accepter.friendlyUniqueId}`, acceptedAddress, `local.${pending.friendlyUniqueId}`, `local.${ambiguous.friendlyUniqueId}`, requestersAddress);
    props.routeTableIds.forEach((routeTableId, index) => {
      new Route(this, `route-${index + 1}`, {
        forEach: eachAccepted(),
        routeTableId,
        destinationCidrBlock: `\${${requestersAddress}[each.key].cidr}`,
        vpcPeeringConnectionId: "${each.value}",
        dependsOn: [accepter],
      });
    });
  }

  /**
   * Check blocks, run at the end of every plan and apply: each consumer's request was found and
   * is active, and no consumer is left with nothing but a request that can no longer be accepted.
   */
  private addChecks(props: PeeringAcceptanceProps, accepterAddress: string, acceptedAddress: string, pendingAddress: string, ambiguousAddress: string, requestersAddress: string): void {
    addCheckBlock(this, "peering_unambiguous", {
      assertions: [{
        condition: `\${length(${ambiguousAddress}) == 0}`,
        errorMessage: `\${join("; ", [for key, ids in ${ambiguousAddress} : "\${key} is not accepted: account \${${requestersAddress}[key].account_id} has \${length(ids)} peering requests into this VPC from \${${requestersAddress}[key].region} (\${join(", ", ids)}), and account B cannot tell which one is \${key}'s. Delete (or reject) the ones that are not, or set \${${requestersAddress}[key].setting}.existingVpc.vpcId, then deploy account-b"])}. Every other consumer is accepted.`,
      }],
    });
    const waiting = `[for key, ids in ${this.matchesExpression} : key if length(ids) == 0]`;
    // The accepted requests that are not active, pending acceptance (`""`) or not (`"!"`), as "<key> (<id>)".
    const notActive = (not: "" | "!") =>
      `[for key, id in ${acceptedAddress} : "\${key} (\${id})" if !contains(data.aws_vpc_peering_connections.peering_active.ids, id) && ${not}contains(keys(${pendingAddress}), key)]`;
    const accounts = [...new Set(props.requesters.map((r) => r.accountId))].sort();
    addCheckBlock(this, "peering_accepted", {
      data: {
        type: "aws_vpc_peering_connections",
        name: "peering_active",
        config: {
          filter: [
            { name: "accepter-vpc-info.vpc-id", values: [props.currentVpcId] },
            { name: "status-code", values: ["active"] },
          ],
          // Read after this apply has accepted, not before.
          depends_on: [accepterAddress],
        },
      },
      assertions: [
        {
          condition: `\${length(${waiting}) == 0}`,
          errorMessage: `Account B waits for \${join(", ", ${waiting})}: no pending or active peering request from it into this VPC yet. Deploy that stack (it requests the peering), then account-b again (it accepts it).`,
        },
        {
          condition: `\${alltrue([for key, id in ${acceptedAddress} : contains(data.aws_vpc_peering_connections.peering_active.ids, id)])}`,
          errorMessage: `\${join(" ", compact([
  length(${notActive("")}) > 0 ? "Pending acceptance: \${join(", ", ${notActive("")})}: account B has not accepted the request yet; deploy account-b (within 7 days of the request, or it expires)." : "",
  length(${notActive("!")}) > 0 ? "Accepted but not active yet: \${join(", ", ${notActive("!")})}. Deploy account-b again if it stays so." : "",
]))}`,
        },
      ],
    });
    addCheckBlock(this, "no_expired_requests", {
      data: {
        type: "aws_vpc_peering_connections",
        name: "peering_dead",
        config: {
          filter: [
            { name: "requester-vpc-info.owner-id", values: accounts },
            { name: "accepter-vpc-info.vpc-id", values: [props.currentVpcId] },
            { name: "status-code", values: ["expired", "rejected", "failed"] },
          ],
        },
      },
      assertions: [{
        // A dead request matters while its consumer has no live one: AWS lists dead ones for a while.
        condition: `\${length(data.aws_vpc_peering_connections.peering_dead.ids) == 0 || length(${waiting}) == 0}`,
        errorMessage: `\${join(", ", ${waiting})} has no live peering request into this VPC, and requests from the consumer accounts can no longer be accepted: \${join(", ", data.aws_vpc_peering_connections.peering_dead.ids)} (expired after 7 days pending, rejected or failed). Deploy that stack again (a new request), then account-b within 7 days.`,
      }],
    });
  }
}
