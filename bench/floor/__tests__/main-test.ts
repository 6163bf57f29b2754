import "cdktf/lib/testing/adapters/jest";
import { Testing } from "cdktf";
import { Vpc } from "@cdktf/provider-aws/lib/vpc";

describe("floor", () => {
  it("has a VPC", () => {
    expect(Testing.synthScope((scope) => new Vpc(scope, "vpc", { cidrBlock: "10.0.0.0/16" }))).toHaveResource(Vpc);
  });
});
