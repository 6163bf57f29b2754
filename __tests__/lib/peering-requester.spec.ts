import { consumersOf } from "../../lib/config/consumers";
import { Config } from "../../lib/config/schema";
import { peeringRequester } from "../../lib/peering-requester";
import { config } from "../helpers/example";

/** How B recognizes account A's request under `cfg`. */
const accountA = (cfg: Config) => peeringRequester(cfg, consumersOf(cfg)[0]);

describe("peeringRequester: how B recognizes a consumer's request", () => {
  test("across accounts: by account and region; each side tags its own view of the connection", () => {
    expect(accountA(config())).toEqual({
      key: "account-a",
      setting: "accountA",
      accountId: "111111111111",
      region: "ap-northeast-1",
      cidr: "10.0.0.0/16",
      vpcId: undefined,
      requestTag: undefined,
      accepterTags: { Name: "private-apigw-from-account-a", Side: "accepter" },
    });
  });

  test("by the consumer's VPC when the configuration names it", () => {
    const existing = config({ accountA: { existingVpc: { vpcId: "vpc-0aaaaaaaaaaaaaaaa", subnetIds: ["subnet-0a0a0a0a"], routeTableIds: ["rtb-0a0a0a0a"] } } });
    expect(accountA(existing).vpcId).toBe("vpc-0aaaaaaaaaaaaaaaa");
  });

  test("in B's own account and region: also by the tag the request carries, and the accepter asks for the requester's tags", () => {
    const shared = config({ accountB: { accountId: "111111111111" } });
    const requester = accountA(shared);
    expect(requester.requestTag).toEqual({ key: "private-apigw:consumer", value: "private-apigw/account-a" });
    expect(requester.accepterTags).toEqual({ Project: "private-apigw", Stack: "account-a", ManagedBy: "cdktf", Name: "private-apigw-to-account-b", Side: "requester", "private-apigw:consumer": "private-apigw/account-a" });
  });

  test("in B's account but another region: not by tags (B does not count on seeing them there), still mirroring them", () => {
    const twoRegions = config({ accountB: { accountId: "111111111111", region: "eu-west-1", availabilityZoneIds: ["euw1-az1", "euw1-az2"] } });
    const requester = accountA(twoRegions);
    expect(requester.requestTag).toBeUndefined();
    expect(requester.accepterTags.Stack).toBe("account-a");
  });
});
