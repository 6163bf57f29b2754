import { derivedNames, tooLongNames } from "../../lib/config/names";

describe("derived names", () => {
  test("every name derived from the longest valid `name` fits AWS's limits", () => {
    expect(tooLongNames({ name: "a".repeat(32), stackIds: ["account-a", "account-b"] })).toEqual([]);
  });

  test("a name too long for one of them is reported with the name, its length and the limit", () => {
    // GIVEN a stack id far longer than any the configuration allows today
    const long = tooLongNames({ name: "demo", stackIds: ["consumer-" + "x".repeat(60)] });
    // THEN the session name of that stack's provider and its canary's name are the ones that do not fit
    expect(long).toEqual([
      { key: "name", what: "STS role session name", value: `demo-consumer-${"x".repeat(60)}`, limit: 64 },
      { key: "name", what: "canary's Lambda function and IAM role name", value: `demo-consumer-${"x".repeat(60)}-canary`, limit: 64 },
    ]);
  });

  test("lists each derived name once per stack where it is per stack", () => {
    expect(derivedNames({ name: "demo", stackIds: ["account-a", "account-b"] }).map((n) => n.value)).toEqual([
      "demo-apigateway-cloudwatch-role",
      "/demo/apigateway-cloudwatch/",
      "demo-account-a",
      "demo-account-b",
      "demo-account-a-canary",
    ]);
  });
});
