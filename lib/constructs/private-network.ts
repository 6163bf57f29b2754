import { DataAwsAvailabilityZones } from "@cdktf/provider-aws/lib/data-aws-availability-zones";
import { DataAwsRouteTables } from "@cdktf/provider-aws/lib/data-aws-route-tables";
import { DataAwsSubnet } from "@cdktf/provider-aws/lib/data-aws-subnet";
import { DataAwsVpc } from "@cdktf/provider-aws/lib/data-aws-vpc";
import { DataAwsVpcEndpointService } from "@cdktf/provider-aws/lib/data-aws-vpc-endpoint-service";
import { RouteTable } from "@cdktf/provider-aws/lib/route-table";
import { RouteTableAssociation } from "@cdktf/provider-aws/lib/route-table-association";
import { Subnet } from "@cdktf/provider-aws/lib/subnet";
import { Vpc } from "@cdktf/provider-aws/lib/vpc";
import { TerraformLocal } from "cdktf";
import { Construct } from "constructs";
import { cidrSubnet, parseIpv4Cidr } from "../config/cidr";

/** A VPC the user already has, used instead of creating one. */
export interface ExistingVpc {
  /** The VPC's id. */
  readonly vpcId: string;
  /** Its subnets this project places network interfaces in. @default - none are needed */
  readonly subnetIds?: string[];
  /**
   * Route tables that get routes to the peer VPC. Each of `subnetIds` must use one of them (its
   * own association, else the VPC's main table): checked at plan time.
   */
  readonly routeTableIds: string[];
}

export interface PrivateNetworkProps {
  /** Prefix of the `Name` tags. */
  readonly name: string;
  /** The VPC's IPv4 CIDR block (for an existing VPC: its primary block, checked at plan time). */
  readonly vpcCidr: string;
  /** Availability zone ids (`apne1-az1`) of the subnets, one subnet each. @default - the region's first two zones */
  readonly availabilityZoneIds?: string[];
  /** Use this VPC instead of creating one. @default - a new VPC with private subnets */
  readonly existingVpc?: ExistingVpc;
  /** Extra tags on the VPC. @default - none */
  readonly vpcTags?: Record<string, string>;
  /**
   * An interface endpoint service the subnets are for (`com.amazonaws.<region>.execute-api`): they
   * go only into zones that offer it, and the plan stops when configured zones or existing subnets
   * are elsewhere (a service is not offered in every zone; the endpoint could not be created).
   * @default - subnets in any zone
   */
  readonly endpointService?: string;
  /** The configuration key of the account (`accountB`), named in messages. */
  readonly setting: string;
}

/**
 * A VPC with private subnets (no internet gateway, no NAT), DNS support and DNS host names on:
 * interface endpoints with private DNS and private hosted zones need both. Or the user's VPC,
 * checked at plan time for the same settings.
 */
export class PrivateNetwork extends Construct {
  /** Id of the VPC. */
  readonly vpcId: string;
  /** The VPC's CIDR block. */
  readonly vpcCidr: string;
  /** Ids of the private subnets. */
  readonly subnetIds: string[];
  /** Ids of the subnets' route tables. */
  readonly routeTableIds: string[];

  constructor(scope: Construct, id: string, props: PrivateNetworkProps) {
    super(scope, id);
    this.vpcCidr = props.vpcCidr;
    if (props.existingVpc) {
      const existing = new DataAwsVpc(this, "existing-vpc", {
        id: props.existingVpc.vpcId,
        lifecycle: {
          postcondition: [
            {
              condition: "${self.enable_dns_support && self.enable_dns_hostnames}",
              errorMessage: `VPC ${props.existingVpc.vpcId} needs enableDnsSupport and enableDnsHostnames turned on (interface endpoint private DNS and private hosted zones depend on both).`,
            },
            {
              condition: `\${contains(self.cidr_block_associations[*].cidr_block, "${props.vpcCidr}")}`,
              errorMessage: `VPC ${props.existingVpc.vpcId} has no CIDR block ${props.vpcCidr}: set ${props.setting}.vpcCidr to the VPC's CIDR.`,
            },
          ],
        },
      });
      this.vpcId = existing.id;
      this.subnetIds = props.existingVpc.subnetIds ?? [];
      this.routeTableIds = props.existingVpc.routeTableIds;
      this.checkSubnetRouteTables(props.existingVpc, props.setting);
      const service = props.endpointService ? this.endpointService(props.endpointService) : undefined;
      if (service) this.subnetIds.forEach((subnetId, index) => {
        new DataAwsSubnet(this, `existing-subnet-${index + 1}`, {
          id: subnetId,
          lifecycle: {
            postcondition: [{
              condition: `\${contains(${service}.availability_zones, self.availability_zone)}`,
              errorMessage: `Subnet ${subnetId} (${props.setting}.existingVpc.subnetIds) is in zone \${self.availability_zone}, which does not offer ${props.endpointService}: choose subnets in \${join(", ", sort(${service}.availability_zones))}.`,
            }],
          },
        });
      });
      return;
    }

    const vpc = new Vpc(this, "vpc", {
      cidrBlock: props.vpcCidr,
      enableDnsSupport: true,
      enableDnsHostnames: true,
      tags: { Name: props.name, ...props.vpcTags },
    });
    const routeTable = new RouteTable(this, "private", {
      vpcId: vpc.id,
      tags: { Name: `${props.name}-private` },
    });
    const zones = props.endpointService || !props.availabilityZoneIds ? availableZones(this) : undefined;
    // Zone ids of the zones that offer the service: the service names zones, which differ between accounts.
    const offered = props.endpointService && zones
      ? `local.${new TerraformLocal(this, "offered-zone-ids", `\${[for i, name in ${zones}.names : ${zones}.zone_ids[i] if contains(${this.endpointService(props.endpointService)}.availability_zones, name)]}`).friendlyUniqueId}`
      : undefined;
    const defaultZoneIds = offered ?? (zones ? `${zones}.zone_ids` : undefined);
    const count = props.availabilityZoneIds?.length ?? 2;
    const block = parseIpv4Cidr(props.vpcCidr)!;
    // Subnets of /20 in a /16 (capped at /28, the smallest AWS allows); the config checks the VPC
    // is big enough for one per zone.
    const newBits = Math.min(4, 28 - block[1]);
    this.subnetIds = Array.from({ length: count }, (_, index) => {
      const zoneId = props.availabilityZoneIds?.[index];
      const subnet = new Subnet(this, `private-${index + 1}`, {
        vpcId: vpc.id,
        cidrBlock: cidrSubnet(block, newBits, index),
        availabilityZoneId: zoneId ?? `\${element(${defaultZoneIds}, ${index})}`,
        tags: { Name: `${props.name}-private-${index + 1}` },
        lifecycle: {
          // A zone chosen by look-up is kept once the subnet exists: the look-up answers anew at
          // every plan, and a zone that stops offering the service, or a new one that sorts first,
          // would replace the subnet and the interfaces in it (availability_zone_id forces a new
          // subnet). Moving it is a deliberate change: configure availabilityZoneIds.
          ...(zoneId ? {} : { ignoreChanges: ["availability_zone_id"] }),
          ...(offered ? { precondition: [zoneId
          ? {
              condition: `\${contains(${offered}, "${zoneId}")}`,
              errorMessage: `Zone ${zoneId} (${props.setting}.availabilityZoneIds) does not offer ${props.endpointService}: choose zones that do, \${join(", ", ${offered})}.`,
            }
          : {
              condition: `\${length(${offered}) > ${index}}`,
              errorMessage: `The region offers ${props.endpointService} in \${length(${offered})} of its zones (\${join(", ", ${offered})}), and a subnet is needed in ${count}: set ${props.setting}.availabilityZoneIds.`,
            }] } : {}),
        },
      });
      new RouteTableAssociation(this, `private-${index + 1}-route-table`, { subnetId: subnet.id, routeTableId: routeTable.id });
      return subnet.id;
    });
    this.vpcId = vpc.id;
    this.routeTableIds = [routeTable.id];
  }

  /**
   * Stops the plan when a configured subnet uses a route table that is not in `routeTableIds`:
   * the routes to the peer go into those tables only, so the subnet's traffic to the peer (A's
   * calls, or B's endpoint's answers) would have no route while everything else looks deployed.
   * A subnet uses its explicit association, else the VPC's main table (which has no subnet
   * association, so a look-up by subnet finds nothing). Plural look-ups, because they answer an
   * empty list where `data "aws_route_table"` fails with no match. Look-ups and a postcondition
   * rather than routes in the tables found: adding them changes no resource of a deployed stack,
   * and the tables that get routes stay the ones the user listed.
   */
  private checkSubnetRouteTables(existing: ExistingVpc, setting: string): void {
    if (!existing.subnetIds?.length) return;
    const main = new DataAwsRouteTables(this, "existing-vpc-main-route-table", {
      vpcId: existing.vpcId,
      filter: [{ name: "association.main", values: ["true"] }],
    });
    const mainIds = `data.${main.terraformResourceType}.${main.friendlyUniqueId}.ids`;
    const listed = existing.routeTableIds;
    const key = `${setting}.existingVpc`;
    existing.subnetIds.forEach((subnetId, index) => {
      new DataAwsRouteTables(this, `existing-subnet-${index + 1}-route-table`, {
        vpcId: existing.vpcId,
        filter: [{ name: "association.subnet-id", values: [subnetId] }],
        lifecycle: {
          postcondition: [{
            condition: `\${contains(${JSON.stringify(listed)}, try(self.ids[0], ${mainIds}[0], ""))}`,
            errorMessage: `Subnet ${subnetId} (${key}.subnetIds) uses route table \${try(self.ids[0], format("%s (the VPC's main route table: the subnet has no route table association of its own)", try(${mainIds}[0], "none found")))}, which is not in ${key}.routeTableIds (${listed.join(", ")}): the routes to the peer VPC go into those tables only, so the subnet's traffic to it has no route. Add that table to ${key}.routeTableIds, or associate the subnet with one of the tables listed.`,
          }],
        },
      });
    });
  }

  /** The endpoint service's zones (`availability_zones`, names in this account), as an address. */
  private endpointService(serviceName: string): string {
    const service = new DataAwsVpcEndpointService(this, "endpoint-service", { serviceName, serviceType: "Interface" });
    return `data.${service.terraformResourceType}.${service.friendlyUniqueId}`;
  }
}

/**
 * The region's zones (`names` and `zone_ids`, in the same order), as an address. Subnets are
 * placed by zone id: names map to different physical zones in different accounts.
 */
function availableZones(scope: Construct): string {
  const zones = new DataAwsAvailabilityZones(scope, "zones", {
    state: "available",
    filter: [{ name: "opt-in-status", values: ["opt-in-not-required"] }],
  });
  return `data.${zones.terraformResourceType}.${zones.friendlyUniqueId}`;
}
