import { PeeringAcceptance, PeeringAcceptanceProps } from "../../lib/constructs/peering-acceptance";
import { synthConstruct } from "../helpers/synth-construct";
import { only } from "../helpers/terraform-json";

const props: PeeringAcceptanceProps = {
  name: "demo",
  vpcLookupTag: { key: "lookup", value: "demo/account-b" },
  accepterAccountId: "222222222222",
  requesterAccountId: "111111111111",
  requesterCidr: "10.0.0.0/16",
  routeTableIds: ["rtb-11111111"],
};
const synth = (overrides: Partial<PeeringAcceptanceProps> = {}): any => synthConstruct((scope) => new PeeringAcceptance(scope, "peering", { ...props, ...overrides }));
const filters = (json: any) => Object.fromEntries(only(json, "aws_vpc_peering_connections", "data").filter.map((f: any) => [f.name, f.values]));

describe("PeeringAcceptance", () => {
  test("finds its own new VPC by tag, so the look-up is empty, not unknown, on the first deploy", () => {
    const json = synth();
    expect(only(json, "aws_vpcs", "data").tags).toEqual({ lookup: "demo/account-b" });
    expect(only(json, "aws_vpc_peering_connections", "data").count).toBe("${length(data.aws_vpcs.peering_own-vpc.ids)}");
  });

  test("looks for A's pending or active requests into that VPC only, without tags or CIDRs", () => {
    expect(filters(synth())).toEqual({
      "requester-vpc-info.owner-id": ["111111111111"],
      "accepter-vpc-info.owner-id": ["222222222222"],
      "accepter-vpc-info.vpc-id": ["${element(data.aws_vpcs.peering_own-vpc.ids, count.index)}"],
      "status-code": ["pending-acceptance", "active"],
    });
  });

  test("finds a configured VPC by its id and filters on A's VPC when that is known", () => {
    const json = synth({ vpcId: "vpc-bbbbbbbb", requesterVpcId: "vpc-aaaaaaaa" });
    expect(only(json, "aws_vpcs", "data")).toMatchObject({ filter: [{ name: "vpc-id", values: ["vpc-bbbbbbbb"] }] });
    expect(only(json, "aws_vpcs", "data").tags).toBeUndefined();
    expect(filters(json)).toMatchObject({ "requester-vpc-info.vpc-id": ["vpc-aaaaaaaa"] });
  });

  test("accepts each request found and routes A's CIDR through it in every endpoint route table", () => {
    const json = synth({ routeTableIds: ["rtb-11111111", "rtb-22222222"] });
    const found = "${toset(sort(flatten(data.aws_vpc_peering_connections.peering_requests[*].ids)))}";
    expect(only(json, "aws_vpc_peering_connection_accepter")).toMatchObject({ for_each: found, vpc_peering_connection_id: "${each.value}", auto_accept: true });
    expect(Object.values(json.resource.aws_route)).toEqual([
      expect.objectContaining({ for_each: found, route_table_id: "rtb-11111111", destination_cidr_block: "10.0.0.0/16", vpc_peering_connection_id: "${each.value}", depends_on: ["aws_vpc_peering_connection_accepter.peering_accepter"] }),
      expect.objectContaining({ for_each: found, route_table_id: "rtb-22222222", destination_cidr_block: "10.0.0.0/16" }),
    ]);
  });

  test("refuses to plan with two requests into the VPC (two routes to one CIDR)", () => {
    const [check] = only(synth(), "aws_vpc_peering_connection_accepter").lifecycle.precondition;
    expect(check.condition).toBe("${(length(sort(flatten(data.aws_vpc_peering_connections.peering_requests[*].ids))) <= 1)}");
    expect(check.error_message).toContain("Account 111111111111 has more than one peering request into this VPC");
  });
});
