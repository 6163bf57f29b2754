import { PeeringRequest } from "../../lib/constructs/peering-request";
import { synthConstruct } from "../helpers/synth-construct";
import { all, only } from "../helpers/terraform-json";

describe("PeeringRequest", () => {
  const json: any = synthConstruct((scope) =>
    new PeeringRequest(scope, "peering", {
      tags: { Name: "demo-to-account-b", "private-apigw:consumer": "demo/account-a" },
      vpcId: "vpc-aaaaaaaa",
      routeTableIds: ["rtb-11111111", "rtb-22222222"],
      peerVpcId: "vpc-bbbbbbbb",
      peerOwnerId: "222222222222",
      peerRegion: "us-east-1",
      peerCidr: "172.31.0.0/16",
    }),
  );

  test("requests a peering to the peer's VPC, account and region and leaves acceptance to the peer", () => {
    const peering = only(json, "aws_vpc_peering_connection");
    expect(peering).toMatchObject({ vpc_id: "vpc-aaaaaaaa", peer_vpc_id: "vpc-bbbbbbbb", peer_owner_id: "222222222222", peer_region: "us-east-1" });
    expect(peering.auto_accept).toBeUndefined();
    expect(peering.tags).toEqual({ Name: "demo-to-account-b", "private-apigw:consumer": "demo/account-a" });
  });

  test("routes the peer's CIDR through the peering in every client route table", () => {
    const routes = Object.values(all(json, "aws_route")) as any[];
    expect(routes.map((r) => [r.route_table_id, r.destination_cidr_block, r.vpc_peering_connection_id])).toEqual([
      ["rtb-11111111", "172.31.0.0/16", "${aws_vpc_peering_connection.peering_connection.id}"],
      ["rtb-22222222", "172.31.0.0/16", "${aws_vpc_peering_connection.peering_connection.id}"],
    ]);
  });
});
