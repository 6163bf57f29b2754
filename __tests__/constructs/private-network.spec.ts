import { PrivateNetwork, PrivateNetworkProps } from "../../lib/constructs/private-network";
import { synthConstruct } from "../helpers/synth-construct";

const SERVICE = "com.amazonaws.ap-northeast-1.execute-api";
const synth = (props: Partial<PrivateNetworkProps> = {}): any =>
  synthConstruct((scope) => new PrivateNetwork(scope, "network", { name: "demo", vpcCidr: "10.0.0.0/16", setting: "accountB", ...props }));

describe("PrivateNetwork", () => {
  test("creates a VPC with DNS support and DNS host names (private DNS and private hosted zones need both)", () => {
    const json = synth({ vpcTags: { lookup: "me" } });
    expect(Object.values(json.resource.aws_vpc)).toEqual([
      expect.objectContaining({ cidr_block: "10.0.0.0/16", enable_dns_support: true, enable_dns_hostnames: true, tags: { Name: "demo", lookup: "me" } }),
    ]);
  });

  test("places one /20 subnet in each configured availability zone id", () => {
    const json = synth({ availabilityZoneIds: ["apne1-az1", "apne1-az2", "apne1-az4"] });
    const subnets = Object.values(json.resource.aws_subnet) as any[];
    expect(subnets.map((s) => [s.availability_zone_id, s.cidr_block])).toEqual([
      ["apne1-az1", "10.0.0.0/20"],
      ["apne1-az2", "10.0.16.0/20"],
      ["apne1-az4", "10.0.32.0/20"],
    ]);
    expect(json.data).toBeUndefined();
  });

  test("defaults to the region's first two zone ids, looked up by id rather than by name", () => {
    const json = synth();
    const subnets = Object.values(json.resource.aws_subnet) as any[];
    expect(subnets.map((s) => s.availability_zone_id)).toEqual([
      "${element(data.aws_availability_zones.network_zones.zone_ids, 0)}",
      "${element(data.aws_availability_zones.network_zones.zone_ids, 1)}",
    ]);
    expect(subnets.every((s) => s.map_public_ip_on_launch !== true)).toBe(true);
  });

  test("for an endpoint service, defaults to the first two zones that offer it, and stops the plan when fewer do", () => {
    const json = synth({ endpointService: SERVICE });
    expect(Object.values(json.data.aws_vpc_endpoint_service)).toEqual([{ service_name: SERVICE, service_type: "Interface", provider: "aws.test" }]);
    expect(json.locals["network_offered-zone-ids"]).toBe(
      "${[for i, name in data.aws_availability_zones.network_zones.names : data.aws_availability_zones.network_zones.zone_ids[i] if contains(data.aws_vpc_endpoint_service.network_endpoint-service.availability_zones, name)]}",
    );
    const subnets = Object.values(json.resource.aws_subnet) as any[];
    expect(subnets.map((s) => s.availability_zone_id)).toEqual(["${element(local.network_offered-zone-ids, 0)}", "${element(local.network_offered-zone-ids, 1)}"]);
    expect(subnets[1].lifecycle.precondition).toEqual([{
      condition: "${length(local.network_offered-zone-ids) > 1}",
      error_message: `The region offers ${SERVICE} in \${length(local.network_offered-zone-ids)} of its zones (\${join(", ", local.network_offered-zone-ids)}), and a subnet is needed in 2: set accountB.availabilityZoneIds.`,
    }]);
  });

  test("for an endpoint service, a configured zone that does not offer it stops the plan, naming the zone, the key and the service", () => {
    const json = synth({ endpointService: SERVICE, availabilityZoneIds: ["apne1-az1", "apne1-az4"] });
    const subnet = Object.values(json.resource.aws_subnet)[1] as any;
    expect(subnet.availability_zone_id).toBe("apne1-az4");
    expect(subnet.lifecycle.precondition).toEqual([{
      condition: '${contains(local.network_offered-zone-ids, "apne1-az4")}',
      error_message: `Zone apne1-az4 (accountB.availabilityZoneIds) does not offer ${SERVICE}: choose zones that do, \${join(", ", local.network_offered-zone-ids)}.`,
    }]);
  });

  test("associates every subnet with the private route table and has no internet route", () => {
    const json = synth();
    const associations = Object.values(json.resource.aws_route_table_association) as any[];
    expect(associations).toHaveLength(2);
    expect(new Set(associations.map((a) => a.route_table_id))).toEqual(new Set(["${aws_route_table.network_private.id}"]));
    expect(json.resource.aws_internet_gateway).toBeUndefined();
    expect(json.resource.aws_route).toBeUndefined();
  });

  test("uses an existing VPC as it is and checks its DNS settings and CIDR at plan time", () => {
    const json = synth({ vpcCidr: "10.9.0.0/16", existingVpc: { vpcId: "vpc-0123456789abcdef0", subnetIds: ["subnet-01234567"], routeTableIds: ["rtb-01234567"] } });
    expect(json.resource).toBeUndefined();
    const lookup = Object.values(json.data.aws_vpc)[0] as any;
    expect(lookup.id).toBe("vpc-0123456789abcdef0");
    expect(lookup.lifecycle.postcondition).toEqual([
      expect.objectContaining({ condition: "${self.enable_dns_support && self.enable_dns_hostnames}" }),
      expect.objectContaining({ condition: '${contains(self.cidr_block_associations[*].cidr_block, "10.9.0.0/16")}', error_message: "VPC vpc-0123456789abcdef0 has no CIDR block 10.9.0.0/16: set accountB.vpcCidr to the VPC's CIDR." }),
    ]);
  });

  test("for an endpoint service, an existing subnet in a zone that does not offer it stops the plan", () => {
    const json = synth({ endpointService: SERVICE, existingVpc: { vpcId: "vpc-0123456789abcdef0", subnetIds: ["subnet-01234567"], routeTableIds: ["rtb-01234567"] } });
    expect(json.data.aws_subnet["network_existing-subnet-1"]).toMatchObject({
      id: "subnet-01234567",
      lifecycle: { postcondition: [{
        condition: "${contains(data.aws_vpc_endpoint_service.network_endpoint-service.availability_zones, self.availability_zone)}",
        error_message: `Subnet subnet-01234567 (accountB.existingVpc.subnetIds) is in zone \${self.availability_zone}, which does not offer ${SERVICE}: choose subnets in \${join(", ", sort(data.aws_vpc_endpoint_service.network_endpoint-service.availability_zones))}.`,
      }] },
    });
  });
});

describe("PrivateNetwork with an existing VPC's subnets", () => {
  const existingVpc = { vpcId: "vpc-0123456789abcdef0", subnetIds: ["subnet-01234567", "subnet-089abcde"], routeTableIds: ["rtb-01234567", "rtb-089abcde"] };

  test("looks up the route table each configured subnet uses: its own association, else the VPC's main table", () => {
    // GIVEN an existing VPC with two subnets
    const json = synth({ existingVpc });
    // THEN one look-up of the main table, and one per subnet by its association (plural: an empty list, not an error)
    expect(json.data.aws_route_tables["network_existing-vpc-main-route-table"]).toEqual({
      vpc_id: "vpc-0123456789abcdef0",
      filter: [{ name: "association.main", values: ["true"] }],
      provider: "aws.test",
    });
    expect(json.data.aws_route_tables["network_existing-subnet-2-route-table"]).toMatchObject({
      vpc_id: "vpc-0123456789abcdef0",
      filter: [{ name: "association.subnet-id", values: ["subnet-089abcde"] }],
    });
    expect(json.resource).toBeUndefined();
  });

  test("a subnet that uses a table not in routeTableIds stops the plan, naming the subnet, the key, its table (or the main one) and the fix", () => {
    const json = synth({ existingVpc, setting: "consumers.0" });
    const main = "data.aws_route_tables.network_existing-vpc-main-route-table.ids";
    expect(json.data.aws_route_tables["network_existing-subnet-1-route-table"].lifecycle.postcondition).toEqual([{
      condition: `\${contains(["rtb-01234567","rtb-089abcde"], try(self.ids[0], ${main}[0], ""))}`,
      error_message:
        `Subnet subnet-01234567 (consumers.0.existingVpc.subnetIds) uses route table \${try(self.ids[0], format("%s (the VPC's main route table: the subnet has no route table association of its own)", try(${main}[0], "none found")))}, ` +
        "which is not in consumers.0.existingVpc.routeTableIds (rtb-01234567, rtb-089abcde): the routes to the peer VPC go into those tables only, so the subnet's traffic to it has no route. " +
        "Add that table to consumers.0.existingVpc.routeTableIds, or associate the subnet with one of the tables listed.",
    }]);
  });

  test("an existing VPC without subnets (a consumer without the canary) has nothing to look up", () => {
    const json = synth({ existingVpc: { vpcId: "vpc-0123456789abcdef0", routeTableIds: ["rtb-01234567"] } });
    expect(json.data.aws_route_tables).toBeUndefined();
  });
});
