import { canaryRoleName, derivedNames, tooLongNames } from "../../lib/config/names";

const stack = (stackId: string, key = "name", region = "ap-northeast-1") => ({ stackId, key, region });

describe("derived names", () => {
  test("every name derived from the longest valid `name` fits AWS's limits", () => {
    expect(tooLongNames({ name: "a".repeat(32), stacks: [stack("account-a"), stack("account-b")] })).toEqual([]);
  });

  test("a name too long for one of them is reported with the name, its length and the limit", () => {
    // GIVEN a consumer with a long name
    const long = tooLongNames({ name: "demo", stacks: [stack(`consumer-${"x".repeat(41)}`, "consumers.0.name")] });
    // THEN its canary's role name (which also names the region) is the one that does not fit, reported at the consumer's name
    expect(long).toEqual([{ key: "consumers.0.name", what: "canary's IAM role name", value: `demo-consumer-${"x".repeat(41)}-canary-apne1`, limit: 64 }]);
  });

  test("the canary's IAM role names the region: IAM names are account-wide, and one configuration may be deployed in two regions of an account", () => {
    expect(canaryRoleName("demo", "account-a", "ap-northeast-1")).toBe("demo-account-a-canary-apne1");
    expect(canaryRoleName("demo", "account-a", "us-gov-west-1")).toBe("demo-account-a-canary-usgw1");
    expect(canaryRoleName("demo", "account-a", "eu-west-1")).not.toBe(canaryRoleName("demo", "account-a", "eu-west-2"));
  });

  test("lists each derived name once per stack where it is per stack", () => {
    expect(derivedNames({ name: "demo", stacks: [stack("account-a"), stack("account-b")] }).map((n) => n.value)).toEqual([
      "demo-apigateway-cloudwatch-role",
      "/demo/apigateway-cloudwatch/",
      "demo-account-a",
      "demo-account-b",
      "demo-account-a-canary",
      "demo-account-a-canary-apne1",
    ]);
  });
});
