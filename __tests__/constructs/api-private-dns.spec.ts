import { ApiPrivateDns } from "../../lib/constructs/api-private-dns";
import { synthConstruct } from "../helpers/synth-construct";
import { only } from "../helpers/terraform-json";

describe("ApiPrivateDns", () => {
  const json: any = synthConstruct((scope) =>
    new ApiPrivateDns(scope, "dns", {
      vpcId: "vpc-aaaaaaaa",
      vpcRegion: "eu-west-1",
      restApiId: "abc123",
      apiDomain: "execute-api.ap-northeast-1.amazonaws.com",
      endpointDnsName: "vpce-1-2.execute-api.ap-northeast-1.vpce.amazonaws.com",
      endpointHostedZoneId: "Z2E726K9Y6RL4W",
    }),
  );

  test("is a private zone named after the API in the API's region, associated with the caller's VPC", () => {
    expect(only(json, "aws_route53_zone")).toMatchObject({
      name: "abc123.execute-api.ap-northeast-1.amazonaws.com",
      vpc: [{ vpc_id: "vpc-aaaaaaaa", vpc_region: "eu-west-1" }],
    });
  });

  test("aliases its apex A record to the endpoint's DNS name and zone, without health evaluation", () => {
    expect(only(json, "aws_route53_record")).toMatchObject({
      zone_id: "${aws_route53_zone.dns_zone.zone_id}",
      name: "abc123.execute-api.ap-northeast-1.amazonaws.com",
      type: "A",
      alias: { name: "vpce-1-2.execute-api.ap-northeast-1.vpce.amazonaws.com", zone_id: "Z2E726K9Y6RL4W", evaluate_target_health: false },
    });
  });
});
