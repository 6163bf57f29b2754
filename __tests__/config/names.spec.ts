import { derivedNames, tooLongNames } from "../../lib/config/names";

describe("derived names", () => {
  test("every name derived from the longest valid `name` fits AWS's limits", () => {
    expect(tooLongNames({ name: "a".repeat(32), stacks: [{ stackId: "account-a", key: "name" }, { stackId: "account-b", key: "name" }] })).toEqual([]);
  });

  test("a name too long for one of them is reported with the name, its length and the limit", () => {
    // GIVEN a consumer with a long name
    const long = tooLongNames({ name: "demo", stacks: [{ stackId: `consumer-${"x".repeat(45)}`, key: "consumers.0.name" }] });
    // THEN its canary's name is the one that does not fit, reported at the consumer's name
    expect(long).toEqual([{ key: "consumers.0.name", what: "canary's Lambda function and IAM role name", value: `demo-consumer-${"x".repeat(45)}-canary`, limit: 64 }]);
  });

  test("lists each derived name once per stack where it is per stack", () => {
    expect(derivedNames({ name: "demo", stacks: [{ stackId: "account-a", key: "name" }, { stackId: "account-b", key: "name" }] }).map((n) => n.value)).toEqual([
      "demo-apigateway-cloudwatch-role",
      "/demo/apigateway-cloudwatch/",
      "demo-account-a",
      "demo-account-b",
      "demo-account-a-canary",
    ]);
  });
});
