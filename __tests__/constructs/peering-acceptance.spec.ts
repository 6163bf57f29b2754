import { PeeringAcceptance, PeeringAcceptanceProps, PeeringRequester } from "../../lib/constructs/peering-acceptance";
import { synthConstruct } from "../helpers/synth-construct";
import { only } from "../helpers/terraform-json";

const accountA: PeeringRequester = {
  key: "account-a",
  setting: "accountA",
  accountId: "111111111111",
  region: "ap-northeast-1",
  cidr: "10.0.0.0/16",
  accepterTags: { Name: "demo-from-account-a" },
};
const props: PeeringAcceptanceProps = {
  vpcLookupTag: { key: "lookup", value: "demo/account-b" },
  currentVpcId: "${aws_vpc.network_vpc.id}",
  accepterAccountId: "222222222222",
  requesters: [accountA],
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

  test("looks for pending or active requests into that VPC from the consumers' accounts, then reads each one's details", () => {
    const json = synth({ requesters: [accountA, { ...accountA, key: "consumer-x", accountId: "333333333333" }, { ...accountA, key: "consumer-y" }] });
    expect(filters(json)).toEqual({
      "requester-vpc-info.owner-id": ["111111111111", "333333333333"],
      "accepter-vpc-info.owner-id": ["222222222222"],
      "accepter-vpc-info.vpc-id": ["${element(data.aws_vpcs.peering_own-vpc.ids, count.index)}"],
      "status-code": ["pending-acceptance", "active"],
    });
    expect(only(json, "aws_vpc_peering_connection", "data")).toMatchObject({
      for_each: "${toset(sort(flatten(data.aws_vpc_peering_connections.peering_requests[*].ids)))}",
      id: "${each.value}",
    });
  });

  test("matches a request to a consumer by account and region, and by VPC id and tag when it has them", () => {
    const json = synth({ vpcId: "vpc-bbbbbbbb", requesters: [{ ...accountA, vpcId: "vpc-aaaaaaaa", requestTag: { key: "private-apigw:consumer", value: "demo/account-a" } }] });
    expect(only(json, "aws_vpcs", "data")).toMatchObject({ filter: [{ name: "vpc-id", values: ["vpc-bbbbbbbb"] }] });
    expect(json.locals.peering_requesters["account-a"]).toEqual({
      setting: "accountA", account_id: "111111111111", region: "ap-northeast-1", cidr: "10.0.0.0/16",
      vpc_id: "vpc-aaaaaaaa", tag_key: "private-apigw:consumer", tag_value: "demo/account-a", accepter_tags: { Name: "demo-from-account-a" },
    });
    const matches = json.locals.peering_matches.replace(/\s+/g, " ");
    expect(matches).toContain("for id, r in data.aws_vpc_peering_connection.peering_request : id");
    expect(matches).toContain('r.owner_id == c.account_id && r.region == c.region && (c.vpc_id == "" || r.vpc_id == c.vpc_id) && (c.tag_key == "" || lookup(r.tags, c.tag_key, "") == c.tag_value)');
  });

  test("accepts and routes by consumer, not by peering id, so a replaced request updates the routes in place", () => {
    const json = synth({ routeTableIds: ["rtb-11111111", "rtb-22222222"] });
    const accepted = "${local.peering_accepted}";
    expect(only(json, "aws_vpc_peering_connection_accepter")).toMatchObject({
      for_each: accepted, vpc_peering_connection_id: "${each.value}", auto_accept: true, tags: "${local.peering_requesters[each.key].accepter_tags}",
    });
    expect(Object.values(json.resource.aws_route)).toEqual([
      expect.objectContaining({ for_each: accepted, route_table_id: "rtb-11111111", destination_cidr_block: "${local.peering_requesters[each.key].cidr}", vpc_peering_connection_id: "${each.value}", depends_on: ["aws_vpc_peering_connection_accepter.peering_accepter"] }),
      expect.objectContaining({ for_each: accepted, route_table_id: "rtb-22222222" }),
    ]);
  });

  test("accepts a consumer's one matching request, or the one active among several; never stops the plan", () => {
    const json = synth();
    const active = '[for id in ids : id if data.aws_vpc_peering_connection.peering_request[id].status == "active"]';
    expect(json.locals.peering_accepted).toBe(`\${{ for key, ids in local.peering_matches : key => length(ids) == 1 ? ids[0] : ${active}[0] if length(ids) == 1 || length(${active}) == 1 }}`);
    expect(only(json, "aws_vpc_peering_connection_accepter").lifecycle).toBeUndefined();
  });

  test("leaves a consumer it cannot tell from another request unaccepted, and a check names it, its requests and the fix", () => {
    const json = synth();
    expect(json.locals.peering_ambiguous).toBe("${{ for key, ids in local.peering_matches : key => ids if length(ids) > 1 && !contains(keys(local.peering_accepted), key) }}");
    const [assertion] = json.check.peering_unambiguous.assert;
    expect(assertion.condition).toBe("${try(length(local.peering_ambiguous) == 0, false)}");
    expect(assertion.error_message).toContain("${key} is not accepted: account ${local.peering_requesters[key].account_id} has ${length(ids)} peering requests into this VPC");
    expect(assertion.error_message).toContain("or set ${local.peering_requesters[key].setting}.existingVpc.vpcId, then deploy account-b");
  });

  test("a request B has not accepted yet is told apart from one accepted but not active yet: the first says deploy account-b", () => {
    // GIVEN the check that B found and accepted each consumer's request
    const json = synth();
    // THEN the requests still pending acceptance, as B's look-up read them, are known by consumer
    expect(json.locals.peering_pending).toBe('${{ for key, id in local.peering_accepted : key => id if try(data.aws_vpc_peering_connection.peering_request[id].status, "") == "pending-acceptance" }}');
    // AND the check's message names them as pending acceptance, with the fix, apart from the accepted but inactive ones
    const [, notActive] = json.check.peering_accepted.assert;
    expect(notActive.error_message).toContain("Pending acceptance: ${join(\", \", [for key, id in local.peering_accepted : \"${key} (${id})\"");
    expect(notActive.error_message).toContain("account B has not accepted the request yet; deploy account-b (within 7 days of the request, or it expires).");
    expect(notActive.error_message).toContain('if !contains(data.aws_vpc_peering_connections.peering_active.ids, id) && contains(keys(local.peering_pending), key)');
    expect(notActive.error_message).toContain("Accepted but not active yet: ");
    expect(notActive.error_message).toContain('if !contains(data.aws_vpc_peering_connections.peering_active.ids, id) && !contains(keys(local.peering_pending), key)');
  });
});
