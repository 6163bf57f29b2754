import { PolicyDocumentError } from "../../lib/policy/document";
import { PolicyRequest, RequestPrincipal, evaluatePolicy, evaluatePolicyOverRange } from "../../lib/policy/evaluate";
import { parseIpRange } from "../../lib/policy/ip-ranges";

const user = (arn: string): RequestPrincipal => ({ AWS: arn });
const ALICE = user("arn:aws:iam::111122223333:user/Alice");
const request = (action: string, resource: string, context: PolicyRequest["context"] = {}, principal: RequestPrincipal = ALICE): PolicyRequest => ({ principal, action, resource, context });

// IAM User Guide, "IAM JSON policy elements: NotResource": the HRPayroll policy, which "explicitly
// denies access to all Amazon S3 resources other than the listed resources" and allows nothing.
const HR_PAYROLL_DENY = {
  Sid: "DenyAllButPayroll",
  Effect: "Deny",
  Action: "s3:*",
  NotResource: ["arn:aws:s3:::HRBucket/Payroll", "arn:aws:s3:::HRBucket/Payroll/*"],
};
const ALLOW_S3 = { Sid: "AllowS3", Effect: "Allow", Action: "s3:*", Resource: "*" };

it("GIVEN a policy that allows nothing the request does THEN the decision is an implicit deny, decided by no statement", () => {
  // IAM User Guide, "Policy evaluation logic": by default, all requests are implicitly denied.
  const evaluation = evaluatePolicy({ Version: "2012-10-17", Statement: [HR_PAYROLL_DENY] }, request("s3:GetObject", "arn:aws:s3:::HRBucket/Payroll/jan.csv"));
  expect(evaluation).toMatchObject({ decision: "implicit-deny", statements: [] });
  expect(evaluation.reason).toBe("the policy allows no s3:GetObject on arn:aws:s3:::HRBucket/Payroll/jan.csv: it has no Allow statement");
});

it("GIVEN an Allow and a Deny that both apply THEN the explicit deny overrides the allow", () => {
  // "Policy evaluation logic": an explicit deny in any policy overrides any allows.
  const policy = { Version: "2012-10-17", Statement: [ALLOW_S3, HR_PAYROLL_DENY] };
  const elsewhere = evaluatePolicy(policy, request("s3:GetObject", "arn:aws:s3:::HRBucket/Marketing/plan.doc"));
  expect(elsewhere).toMatchObject({ decision: "explicit-deny", statements: ["DenyAllButPayroll"] });
  expect(elsewhere.reason).toBe("the policy's statement DenyAllButPayroll denies s3:GetObject on arn:aws:s3:::HRBucket/Marketing/plan.doc");
  const payroll = evaluatePolicy(policy, request("s3:GetObject", "arn:aws:s3:::HRBucket/Payroll/jan.csv"));
  expect(payroll).toMatchObject({ decision: "allow", statements: ["AllowS3"] });
  expect(payroll.outcomes.find((o) => o.id === "DenyAllButPayroll")?.reason).toBe("excludes arn:aws:s3:::HRBucket/Payroll/jan.csv (NotResource arn:aws:s3:::HRBucket/Payroll/*)");
});

it("GIVEN the NotAction example that allows every action but IAM's THEN S3 is allowed and IAM implicitly denied", () => {
  // "IAM JSON policy elements: NotAction", NotAction with Allow.
  const policy = { Version: "2012-10-17", Statement: { Sid: "AllButIam", Effect: "Allow", NotAction: "iam:*", Resource: "*" } };
  expect(evaluatePolicy(policy, request("s3:GetObject", "arn:aws:s3:::bucket/key")).decision).toBe("allow");
  const iam = evaluatePolicy(policy, request("iam:CreateUser", "arn:aws:iam::111122223333:user/Bob"));
  expect(iam.decision).toBe("implicit-deny");
  expect(iam.reason).toBe("the policy allows no iam:CreateUser on arn:aws:iam::111122223333:user/Bob: statement AllButIam excludes iam:CreateUser (NotAction iam:*)");
});

it("GIVEN NotAction s3:DeleteBucket on arn:aws:s3:::* THEN other S3 actions on S3 resources are allowed, and nothing else", () => {
  // "NotAction": "This policy also does not allow actions in other services, because other service
  // actions are not applicable to the S3 resources."
  const policy = { Version: "2012-10-17", Statement: { Effect: "Allow", NotAction: "s3:DeleteBucket", Resource: "arn:aws:s3:::*" } };
  expect(evaluatePolicy(policy, request("s3:PutObject", "arn:aws:s3:::bucket/key")).decision).toBe("allow");
  expect(evaluatePolicy(policy, request("s3:DeleteBucket", "arn:aws:s3:::bucket")).decision).toBe("implicit-deny");
  expect(evaluatePolicy(policy, request("ec2:RunInstances", "arn:aws:ec2:us-east-1:111122223333:instance/i-1")).decision).toBe("implicit-deny");
});

it("GIVEN the DenyAllUsersNotUsingMFA example THEN non-IAM actions are denied without MFA, key absent included, and allowed with it", () => {
  // "NotAction", NotAction with Deny; BoolIfExists makes an absent aws:MultiFactorAuthPresent deny too.
  const policy = {
    Version: "2012-10-17",
    Statement: [
      { Sid: "AllowAll", Effect: "Allow", Action: "*", Resource: "*" },
      { Sid: "DenyAllUsersNotUsingMFA", Effect: "Deny", NotAction: "iam:*", Resource: "*", Condition: { BoolIfExists: { "aws:MultiFactorAuthPresent": "false" } } },
    ],
  };
  const run = (context: PolicyRequest["context"]) => evaluatePolicy(policy, request("ec2:RunInstances", "*", context));
  expect(run({ "aws:MultiFactorAuthPresent": "false" }).decision).toBe("explicit-deny");
  expect(run({}).reason).toBe("the policy's statement DenyAllUsersNotUsingMFA denies aws:MultiFactorAuthPresent (absent from the request)");
  expect(run({ "aws:MultiFactorAuthPresent": "true" }).decision).toBe("allow");
  expect(evaluatePolicy(policy, request("iam:ChangePassword", "*")).decision).toBe("allow");
});

it("GIVEN the guide's IfExists example THEN StringLike fails on a resource without ec2:InstanceType, and StringLikeIfExists does not", () => {
  // "Condition operators", ...IfExists: THISPOLICYDOESNOTWORK and its fix.
  const types = { "ec2:InstanceType": ["t1.*", "t2.*", "m3.*"] };
  const broken = { Version: "2012-10-17", Statement: { Sid: "THISPOLICYDOESNOTWORK", Effect: "Allow", Action: "ec2:RunInstances", Resource: "*", Condition: { StringLike: types } } };
  const fixed = { Version: "2012-10-17", Statement: { Sid: "RunInstance", Effect: "Allow", Action: "ec2:RunInstances", Resource: "*", Condition: { StringLikeIfExists: types } } };
  const image = request("ec2:RunInstances", "arn:aws:ec2:us-east-1::image/ami-1");
  const instance = (type: string) => request("ec2:RunInstances", "arn:aws:ec2:us-east-1:111122223333:instance/*", { "ec2:InstanceType": type });
  expect(evaluatePolicy(broken, image).reason).toBe(
    "the policy allows no ec2:RunInstances on arn:aws:ec2:us-east-1::image/ami-1: statement THISPOLICYDOESNOTWORK does not apply: ec2:InstanceType (absent from the request)",
  );
  expect(evaluatePolicy(fixed, image).decision).toBe("allow");
  expect(evaluatePolicy(fixed, instance("t2.micro")).decision).toBe("allow");
  expect(evaluatePolicy(fixed, instance("c5.large")).decision).toBe("implicit-deny");
});

it("GIVEN the guide's SQS example (Principal account 123456789012, ArnEquals aws:SourceArn) THEN only the named topic's messages are allowed", () => {
  // "Condition operators", ARN condition operators; "SQS:SendMessage" also shows action names are case-insensitive.
  const policy = {
    Version: "2012-10-17",
    Statement: {
      Effect: "Allow",
      Principal: { AWS: "123456789012" },
      Action: "SQS:SendMessage",
      Resource: "arn:aws:sqs:REGION:123456789012:QUEUE-ID",
      Condition: { ArnEquals: { "aws:SourceArn": "arn:aws:sns:REGION:123456789012:TOPIC-ID" } },
    },
  };
  const send = (sourceArn?: string) =>
    evaluatePolicy(policy, request("sqs:SendMessage", "arn:aws:sqs:REGION:123456789012:QUEUE-ID", sourceArn ? { "aws:SourceArn": sourceArn } : {}, user("arn:aws:iam::123456789012:role/sns-delivery")));
  expect(send("arn:aws:sns:REGION:123456789012:TOPIC-ID").decision).toBe("allow");
  expect(send("arn:aws:sns:REGION:123456789012:OTHER").reason).toBe(
    "the policy allows no sqs:SendMessage on arn:aws:sqs:REGION:123456789012:QUEUE-ID: statement Statement[0] does not apply: aws:SourceArn arn:aws:sns:REGION:123456789012:OTHER: does not match arn:aws:sns:REGION:123456789012:TOPIC-ID",
  );
  expect(send().decision).toBe("implicit-deny");
});

it("GIVEN the API Gateway guide's cross-account example THEN Alice and her account's principals may GET /pets, no one else, nothing else", () => {
  // "API Gateway resource policy examples": Allow users in another AWS account to use an API
  // (account-id-2 is 111122223333 here).
  const policy = {
    Version: "2012-10-17",
    Statement: [
      {
        Effect: "Allow",
        Principal: { AWS: ["arn:aws:iam::111122223333:user/Alice", "111122223333"] },
        Action: "execute-api:Invoke",
        Resource: ["arn:aws:execute-api:us-east-1:444455556666:a1b2c3d4e5/stage/GET/pets"],
      },
    ],
  };
  const pets = "arn:aws:execute-api:us-east-1:444455556666:a1b2c3d4e5/stage/GET/pets";
  expect(evaluatePolicy(policy, request("execute-api:Invoke", pets)).decision).toBe("allow");
  expect(evaluatePolicy(policy, request("execute-api:Invoke", pets, {}, user("arn:aws:iam::111122223333:role/Admin"))).decision).toBe("allow");
  expect(evaluatePolicy(policy, request("execute-api:Invoke", pets, {}, user("arn:aws:iam::999999999999:user/Alice"))).decision).toBe("implicit-deny");
  const anonymous = evaluatePolicy(policy, request("execute-api:Invoke", pets, {}, "anonymous"));
  expect(anonymous.reason).toBe(`the policy allows no execute-api:Invoke on ${pets}: statement Statement[0] is for arn:aws:iam::111122223333:user/Alice, 111122223333, not an anonymous caller`);
  const post = evaluatePolicy(policy, request("execute-api:Invoke", pets.replace("GET", "POST")));
  expect(post.reason).toBe(`the policy allows no execute-api:Invoke on ${pets.replace("GET", "POST")}: statement Statement[0] covers ${pets}, not ${pets.replace("GET", "POST")}`);
});

it("GIVEN Principal * or {AWS: *} THEN both match an anonymous caller and a signed one", () => {
  for (const principal of ["*", { AWS: "*" }, { AWS: ["*"] }]) {
    const policy = { Statement: { Effect: "Allow", Principal: principal, Action: "execute-api:Invoke", Resource: "*" } };
    expect(evaluatePolicy(policy, request("execute-api:Invoke", "arn:aws:execute-api:us-east-1:1:a/v1/GET/", {}, "anonymous")).decision).toBe("allow");
    expect(evaluatePolicy(policy, request("execute-api:Invoke", "arn:aws:execute-api:us-east-1:1:a/v1/GET/")).decision).toBe("allow");
  }
});

it("GIVEN a role principal THEN its assumed-role sessions match, another role's do not, and neither does a service principal", () => {
  const policy = {
    Statement: [
      { Sid: "Developer", Effect: "Allow", Principal: { AWS: "arn:aws:iam::111122223333:role/team/developer" }, Action: "execute-api:Invoke", Resource: "*" },
      { Sid: "Sns", Effect: "Allow", Principal: { Service: "sns.amazonaws.com" }, Action: "sqs:SendMessage", Resource: "*" },
    ],
  };
  const invoke = (principal: RequestPrincipal) => evaluatePolicy(policy, request("execute-api:Invoke", "arn:aws:execute-api:us-east-1:1:a/v1/GET/", {}, principal)).decision;
  expect(invoke(user("arn:aws:sts::111122223333:assumed-role/developer/alice-session"))).toBe("allow");
  expect(invoke(user("arn:aws:sts::111122223333:assumed-role/Admin/alice-session"))).toBe("implicit-deny");
  expect(invoke({ Service: "sns.amazonaws.com" })).toBe("implicit-deny");
  expect(evaluatePolicy(policy, request("sqs:SendMessage", "arn:aws:sqs:us-east-1:1:q", {}, { Service: "sns.amazonaws.com" })).statements).toEqual(["Sns"]);
});

it("GIVEN a statement without Principal (an identity-based policy) THEN it applies to whoever makes the request", () => {
  const policy = { Version: "2012-10-17", Statement: { Effect: "Allow", Action: "execute-api:Invoke", Resource: "*" } };
  expect(evaluatePolicy(policy, request("execute-api:Invoke", "arn:aws:execute-api:us-east-1:1:a/v1/GET/", {}, "anonymous")).decision).toBe("allow");
});

it("GIVEN two denying statements THEN both are named, in document order", () => {
  const deny = (Sid: string, key: string, value: string) => ({ Sid, Effect: "Deny", Principal: "*", Action: "*", Resource: "*", Condition: { StringNotEquals: { [key]: value } } });
  const policy = { Statement: [ALLOW_S3, deny("DenyOtherEndpoints", "aws:SourceVpce", "vpce-1a2b3c4d"), deny("DenyOtherVpcs", "aws:SourceVpc", "vpc-1a2b3c4d")] };
  const evaluation = evaluatePolicy(policy, request("s3:GetObject", "arn:aws:s3:::b/k", { "aws:SourceVpce": "vpce-0other", "aws:SourceVpc": "vpc-0other" }));
  expect(evaluation.statements).toEqual(["DenyOtherEndpoints", "DenyOtherVpcs"]);
  expect(evaluation.reason).toBe(
    "the policy's statement DenyOtherEndpoints denies aws:SourceVpce vpce-0other: not vpce-1a2b3c4d, and its statement DenyOtherVpcs denies aws:SourceVpc vpc-0other: not vpc-1a2b3c4d",
  );
});

it("GIVEN an address block that a range splits THEN evaluatePolicy refuses it, and the range form answers depends", () => {
  const policy = { Statement: [ALLOW_S3, { Sid: "DenyOthers", Effect: "Deny", Action: "*", Resource: "*", Condition: { NotIpAddress: { "aws:VpcSourceIp": "10.0.0.0/16" } } }] };
  const wide = request("s3:GetObject", "arn:aws:s3:::b/k", { "aws:VpcSourceIp": parseIpRange("10.0.0.0/8")! });
  expect(evaluatePolicyOverRange(policy, wide)).toMatchObject({ decision: "depends", statements: ["DenyOthers"] });
  expect(() => evaluatePolicy(policy, wide)).toThrow(
    "the policy's decision depends on the address: statement DenyOthers on aws:VpcSourceIp 10.0.0.0/8: partly in 10.0.0.0/16; evaluatePolicy needs one address, and admits() answers for a range",
  );
});

it("GIVEN a malformed policy THEN evaluation refuses it with the document error", () => {
  expect(() => evaluatePolicy({ Statement: { Effect: "Permit", Action: "*", Resource: "*" } }, request("s3:GetObject", "*"))).toThrow(
    new PolicyDocumentError('Statement[0].Effect "Permit" is not "Allow" or "Deny"'),
  );
});
