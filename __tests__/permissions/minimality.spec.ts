import { Need } from "../../lib/permissions/generate";
import { formatReport, judge, KindEvidence, operationsInOutput } from "../../lib/permissions/minimality";
import { PolicyDocument } from "../../lib/permissions/policy";

const policy = (...actions: string[]): PolicyDocument => ({ Version: "2012-10-17", Statement: [{ Sid: "S", Effect: "Allow", Action: actions, Resource: "*" }] });
const evidence = (performed: string[], requested: Record<string, [number, number]>): KindEvidence => ({
  performed: new Set(performed),
  requested: new Map(Object.entries(requested).map(([action, [allowed, denied]]) => [action, { allowed, denied }])),
});

// What the generator says of a consumer's plan: the VPC's read, and the canary's invocation.
const NEEDS: Record<string, Need[]> = {
  "ec2:DescribeVpcs": [{ source: "aws_vpc", operation: "read" }],
  "ec2:DescribeVpcAttribute": [{ source: "aws_vpc", operation: "read" }],
  "lambda:InvokeFunction": [{ source: "data.aws_lambda_invocation", operation: "read" }],
  "ec2:ReplaceRoute": [{ source: "aws_route", operation: "update" }],
  "iam:PassRole": [{ source: "aws_lambda_function", operation: "create", awsOnly: { why: "passed to Lambda", emulated: true } }],
  "ec2:DeleteNetworkInterface": [{ source: "aws_subnet", operation: "delete", awsOnly: { why: "lingering ENIs" } }],
};

describe("judge: is a policy exactly what its commands used?", () => {
  test("GIVEN every granted action requested and allowed THEN it passes", () => {
    const report = judge(policy("ec2:DescribeVpcs", "ec2:DescribeVpcAttribute"), NEEDS, evidence(["aws_vpc read"], { "ec2:DescribeVpcs": [3, 0], "ec2:DescribeVpcAttribute": [2, 0], "sts:GetCallerIdentity": [1, 0] }));
    expect(report).toEqual({ used: ["ec2:DescribeVpcAttribute", "ec2:DescribeVpcs"], missing: [], unused: [], notExercised: [], awsOnly: [], wildcards: [], ok: true });
  });

  test("GIVEN an action removed from the policy THEN its denied requests make it missing (a failure)", () => {
    const report = judge(policy("ec2:DescribeVpcs"), NEEDS, evidence(["aws_vpc read"], { "ec2:DescribeVpcs": [3, 0], "ec2:DescribeVpcAttribute": [0, 1] }));
    expect([report.ok, report.missing]).toEqual([false, [{ action: "ec2:DescribeVpcAttribute", denied: 1 }]]);
    expect(formatReport("account-a plan", report)).toEqual(["FAIL account-a plan: 1 used, 1 MISSING, 0 not exercised here, 0 checked by AWS only", "  missing (denied 1x): ec2:DescribeVpcAttribute"]);
  });

  test("GIVEN an action granted that nothing requested although what needs it ran THEN it is unused (a failure)", () => {
    const report = judge(policy("ec2:DescribeVpcs", "ec2:DescribeVpcAttribute"), NEEDS, evidence(["aws_vpc read"], { "ec2:DescribeVpcs": [3, 0] }));
    expect([report.ok, report.unused]).toEqual([false, [{ action: "ec2:DescribeVpcAttribute", needs: NEEDS["ec2:DescribeVpcAttribute"] }]]);
    expect(formatReport("account-a plan", report)[1]).toBe("  unused: ec2:DescribeVpcAttribute (needed by aws_vpc read, which ran)");
  });

  test("GIVEN an action no need explains (added by hand) THEN it is unused as soon as anything ran", () => {
    const report = judge(policy("ec2:DescribeVpcs", "ec2:DeleteFlowLogs"), NEEDS, evidence(["aws_vpc read"], { "ec2:DescribeVpcs": [1, 0] }));
    // No need at all: nothing could justify it, so it cannot be "not exercised".
    expect(report.unused.map((u) => u.action)).toEqual(["ec2:DeleteFlowLogs"]);
    expect(report.ok).toBe(false);
  });

  test("GIVEN an action only a path that did not run needs THEN it is listed as not exercised, not a failure", () => {
    const report = judge(policy("ec2:ReplaceRoute"), NEEDS, evidence(["aws_route create"], {}));
    expect([report.ok, report.notExercised.map((n) => n.action)]).toEqual([true, ["ec2:ReplaceRoute"]]);
  });

  test("an action AWS checks on top of another that the emulator also checks must be requested once its path ran", () => {
    expect(judge(policy("iam:PassRole"), NEEDS, evidence(["aws_lambda_function create"], {})).unused.map((u) => u.action)).toEqual(["iam:PassRole"]);
    expect(judge(policy("iam:PassRole"), NEEDS, evidence(["aws_lambda_function create"], { "iam:PassRole": [1, 0] })).used).toEqual(["iam:PassRole"]);
  });

  test("an action only AWS asks for (the emulator never sees it) is listed apart, not a failure", () => {
    const report = judge(policy("ec2:DeleteNetworkInterface"), NEEDS, evidence(["aws_subnet delete"], {}));
    expect([report.ok, report.awsOnly.map((a) => a.action)]).toEqual([true, ["ec2:DeleteNetworkInterface"]]);
  });

  test("a wildcard action fails: removing one action would not take it away", () => {
    const report = judge(policy("ec2:Describe*"), NEEDS, evidence(["aws_vpc read"], { "ec2:DescribeVpcs": [1, 0] }));
    expect([report.ok, report.wildcards]).toEqual([false, ["ec2:Describe*"]]);
  });
});

describe("operationsInOutput: what Terraform did, from what it printed", () => {
  test("an apply's human output: creates, imports and data sources, module prefixes left out", () => {
    const output = [
      "data.aws_vpcs.peering_own-vpc: Reading...",
      "aws_api_gateway_account.apigateway-cloudwatch_current: Preparing import... [id=api-gateway-account]",
      "aws_vpc.network_vpc: Creating...",
      "aws_vpc.network_vpc: Creation complete after 1s [id=vpc-1]",
      'aws_route.peering_route-1["account-a"]: Modifying... [id=r-1]',
      "module.canary_reaches-api[0].data.aws_lambda_invocation.canary: Reading...",
      "aws_subnet.network_private-1: Destroying... [id=subnet-1]",
    ].join("\n");
    expect([...operationsInOutput(output)].sort()).toEqual(["aws_api_gateway_account read", "aws_route update", "aws_subnet delete", "aws_vpc create", "data.aws_lambda_invocation read", "data.aws_vpcs read"]);
  });

  test("a plan's -json messages: refreshes of resources and data sources", () => {
    const output = [
      '{"@level":"info","@message":"aws_iam_role.canary_role: Refreshing state... [id=r]","type":"refresh_start"}',
      '{"@level":"info","@message":"module.canary_reaches-api[0].data.aws_lambda_invocation.canary: Refreshing...","type":"refresh_start"}',
      '{"@level":"info","@message":"aws_iam_role.canary_role: Refresh complete [id=r]","type":"refresh_complete"}',
    ].join("\n");
    expect([...operationsInOutput(output)].sort()).toEqual(["aws_iam_role read", "data.aws_lambda_invocation read"]);
  });
});
