import { Policy, PolicyDocumentError, parsePolicy } from "../../lib/policy/document";

const API = "arn:aws:execute-api:ap-northeast-1:222222222222:a1b2c3d4e5";
const allow = { Effect: "Allow", Principal: "*", Action: "execute-api:Invoke", Resource: `${API}/*` };
const doc = (...statements: unknown[]) => ({ Version: "2012-10-17", Statement: statements });

/** The message `parsePolicy` refuses `input` with (and that it is a PolicyDocumentError). */
function refusal(input: unknown): string {
  try {
    parsePolicy(input);
  } catch (error) {
    expect(error).toBeInstanceOf(PolicyDocumentError);
    return (error as Error).message;
  }
  throw new Error("the policy was accepted");
}

it("GIVEN Statement, Action, Resource and Principal as single values or as lists THEN both read the same", () => {
  const single = parsePolicy({ Version: "2012-10-17", Statement: { ...allow, Principal: { AWS: "111122223333" } } });
  const lists = parsePolicy(doc({ ...allow, Principal: { AWS: ["111122223333"] }, Action: ["execute-api:Invoke"], Resource: [`${API}/*`] }));
  expect(single.statements).toEqual(lists.statements);
  expect(single.statements[0]).toMatchObject({ id: "Statement[0]", effect: "Allow", principal: { AWS: ["111122223333"] }, action: { not: false, patterns: ["execute-api:Invoke"] } });
});

it("GIVEN statements with and without Sid THEN results name them by Sid, else by their index", () => {
  const policy = parsePolicy(doc({ ...allow, Sid: "AllowInvoke" }, { ...allow, Effect: "Deny" }));
  expect(policy.statements.map((s) => s.id)).toEqual(["AllowInvoke", "Statement[1]"]);
});

it("GIVEN the policy as JSON text, double-encoded, or backslash-escaped as GetRestApi returns it THEN each reads as the document", () => {
  const expected = parsePolicy(doc(allow));
  const text = JSON.stringify(doc(allow));
  expect(parsePolicy(text)).toEqual(expected);
  expect(parsePolicy(JSON.stringify(text))).toEqual(expected);
  // GetRestApi's `policy`: quotes escaped, and slashes too (`\/`), with no enclosing quotes.
  const escaped = JSON.stringify(text).slice(1, -1).replace(/\//g, "\\/");
  expect(escaped.startsWith('{\\"Version\\":\\"2012-10-17\\"')).toBe(true);
  expect(parsePolicy(escaped)).toEqual(expected);
});

it("GIVEN a parsed policy THEN parsing it again returns it as it is", () => {
  const policy = parsePolicy(doc(allow));
  expect(parsePolicy(policy)).toBe(policy);
  expect(policy).toBeInstanceOf(Policy);
});

it("GIVEN the API Gateway guide's endpoint policy example 1, which has no Version THEN it parses", () => {
  // "Use VPC endpoint policies for private APIs in API Gateway", Example 1.
  const policy = parsePolicy({
    Statement: [{ Principal: "*", Action: ["execute-api:Invoke"], Effect: "Allow", Resource: ["arn:aws:execute-api:us-east-1:123412341234:a1b2c3d4e5/*", "arn:aws:execute-api:us-east-1:123412341234:aaaaa11111/*"] }],
  });
  expect(policy.version).toBeUndefined();
  expect(policy.statements[0].resource.patterns).toHaveLength(2);
});

it("GIVEN condition values written as JSON numbers and booleans THEN they are read as their text", () => {
  const policy = parsePolicy(doc({ ...allow, Condition: { Bool: { "aws:SecureTransport": false }, NumericLessThanEquals: { "s3:max-keys": [10] } } }));
  expect(policy.statements[0].conditions.map((c) => c.values)).toEqual([["false"], ["10"]]);
});

it("GIVEN API Gateway's short resource execute-api:/* THEN it is a valid Resource (API Gateway expands it on save)", () => {
  expect(parsePolicy(doc({ ...allow, Resource: ["execute-api:/*"] })).statements[0].resource.patterns).toEqual(["execute-api:/*"]);
});

it("GIVEN a 2012-10-17 policy with a policy variable THEN it is refused, and read as text when asked to or in a 2008-10-17 policy", () => {
  // "Condition operators": the guide's home-directory example, s3:prefix "home/${aws:username}/".
  const home = { Effect: "Allow", Action: "s3:ListBucket", Resource: "arn:aws:s3:::BUCKET-NAME", Condition: { StringLike: { "s3:prefix": ["", "home/", "home/${aws:username}/"] } } };
  expect(refusal(doc(home))).toBe('Statement[0].Condition.StringLike.s3:prefix: "home/${aws:username}/" uses the policy variable ${aws:username}, which this evaluator does not substitute');
  expect(parsePolicy(doc(home), { policyVariables: "literal" }).statements[0].conditions[0].values).toEqual(["", "home/", "home/${aws:username}/"]);
  expect(parsePolicy({ Version: "2008-10-17", Statement: home }).statements[0].conditions[0].values).toContain("home/${aws:username}/");
});

const statement = (fields: Record<string, unknown>) => doc({ ...allow, ...fields });
const without = (field: string) => {
  const copy: Record<string, unknown> = { ...allow };
  delete copy[field];
  return doc(copy);
};

it.each<[string, unknown, string]>([
  ["text that is not JSON", "Version: 2012-10-17", "the policy text is not JSON (nor the backslash-escaped JSON that GetRestApi returns): Version: 2012-10-17"],
  ["long text that is not JSON", `{"Statement": [${"x".repeat(100)}`, `the policy text is not JSON (nor the backslash-escaped JSON that GetRestApi returns): {"Statement": [${"x".repeat(45)}…`],
  ["a list", [allow], "a policy must be a JSON object with a Statement, got a list"],
  ["null", null, "a policy must be a JSON object with a Statement, got null"],
  ["an unknown top-level element", { ...doc(allow), Statements: [] }, 'the policy has an unknown element "Statements"; expected Version, Id, Statement'],
  ["another Version", { ...doc(allow), Version: "2012-10-18" }, 'Version "2012-10-18" is not "2012-10-17" or "2008-10-17"'],
  ["a Version that is a number", { ...doc(allow), Version: 2012 }, "Version must be a string, got 2012"],
  ["an Id that is a number", { ...doc(allow), Id: 7 }, "Id must be a string, got 7"],
  ["no Statement", { Version: "2012-10-17" }, "the policy has no Statement"],
  ["an empty Statement list", doc(), "Statement is an empty list: a policy needs at least one statement"],
  ["a Statement that is a string", { Statement: "allow all" }, 'Statement must be an object or a list of objects, got the string "allow all"'],
  ["a statement that is a list", doc(allow, [allow]), "Statement[1] must be an object, got a list"],
  ["an unknown statement element", statement({ Conditions: {} }), 'Statement[0] has an unknown element "Conditions"; expected Sid, Effect, Principal, NotPrincipal, Action, NotAction, Resource, NotResource, Condition'],
  ["a Sid that is a number", statement({ Sid: 1 }), "Statement[0].Sid must be a string, got 1"],
  ["a Sid used twice", doc({ ...allow, Sid: "AllowInvoke" }, { ...allow, Sid: "Other" }, { ...allow, Sid: "AllowInvoke" }), 'Statement[2].Sid "AllowInvoke" is also the Sid of Statement[0]; Sids must be unique in a policy'],
  ["no Effect", without("Effect"), 'Statement[0] has no Effect; expected "Allow" or "Deny"'],
  ["an Effect in lower case", statement({ Effect: "allow" }), 'Statement[0].Effect "allow" is not "Allow" or "Deny"'],
  ["Principal and NotPrincipal", statement({ NotPrincipal: { AWS: "111122223333" } }), "Statement[0] has both Principal and NotPrincipal; keep one"],
  ["NotPrincipal", doc({ Effect: "Deny", NotPrincipal: { AWS: "111122223333" }, Action: "*", Resource: "*" }), 'Statement[0].NotPrincipal is not supported by this evaluator; name the principals in Principal, or use "*" with a condition on aws:PrincipalArn'],
  ["a Principal string other than *", statement({ Principal: "arn:aws:iam::111122223333:root" }), 'Statement[0].Principal "arn:aws:iam::111122223333:root" must be "*" or an object such as {"AWS": "arn:aws:iam::111122223333:root"}'],
  ["a Principal list", statement({ Principal: ["*"] }), 'Statement[0].Principal must be "*" or an object such as {"AWS": "arn:aws:iam::111122223333:root"}, got a list'],
  ["an unknown principal type", statement({ Principal: { aws: "*" } }), 'Statement[0].Principal has the unknown principal type "aws"; expected AWS, Service, Federated, CanonicalUser'],
  ["a partial wildcard in a principal", statement({ Principal: { AWS: "arn:aws:iam::*:root" } }), 'Statement[0].Principal.AWS "arn:aws:iam::*:root": a wildcard in a principal only works as "*" on its own'],
  ["a principal that is a number", statement({ Principal: { AWS: 111122223333 } }), "Statement[0].Principal.AWS must be a string or a list of strings, got 111122223333"],
  ["Action and NotAction", statement({ NotAction: "iam:*" }), "Statement[0] has both Action and NotAction; keep one"],
  ["neither Action nor NotAction", without("Action"), "Statement[0] has neither Action nor NotAction"],
  ["an Action that is an object", statement({ Action: { Invoke: true } }), 'Statement[0].Action must be a string or a list of strings, got {"Invoke":true}'],
  ["an empty Action list", statement({ Action: [] }), "Statement[0].Action is an empty list"],
  ["an Action without its service", statement({ Action: "Invoke" }), 'Statement[0].Action "Invoke" is not "*" or "<service>:<action>" (such as "execute-api:Invoke")'],
  ["Resource and NotResource", statement({ NotResource: "*" }), "Statement[0] has both Resource and NotResource; keep one"],
  ["neither Resource nor NotResource", without("Resource"), "Statement[0] has neither Resource nor NotResource"],
  ["a Resource that is not an ARN", statement({ Resource: "a1b2c3d4e5/*" }), 'Statement[0].Resource "a1b2c3d4e5/*" is not "*", an ARN (arn:<partition>:<service>:<region>:<account>:<resource>) or API Gateway\'s execute-api:/<stage>/<method>/<path>'],
  ["a policy variable in a Resource", statement({ Resource: "arn:aws:s3:::BUCKET-NAME/home/${aws:username}/*" }), 'Statement[0].Resource "arn:aws:s3:::BUCKET-NAME/home/${aws:username}/*" uses the policy variable ${aws:username}, which this evaluator does not substitute'],
  ["a Condition that is a list", statement({ Condition: [] }), "Statement[0].Condition must be an object of {operator: {key: value}}, got a list"],
  ["an unknown condition operator", statement({ Condition: { StringEqual: { "aws:SourceVpce": "vpce-1a2b3c4d" } } }), 'Statement[0].Condition: unknown operator "StringEqual"; the IAM User Guide\'s "Condition operators" lists the valid ones'],
  ["IfExists on Null", statement({ Condition: { NullIfExists: { "aws:TokenIssueTime": "true" } } }), 'Statement[0].Condition: operator "NullIfExists": IfExists cannot be added to Null, which already tests whether the key exists'],
  ["an operator whose body is a string", statement({ Condition: { StringEquals: "vpce-1a2b3c4d" } }), 'Statement[0].Condition.StringEquals must be an object of {key: value}, got the string "vpce-1a2b3c4d"'],
  ["an operator without a key", statement({ Condition: { StringEquals: {} } }), "Statement[0].Condition.StringEquals has no condition key"],
  ["a condition value that is an object", statement({ Condition: { StringEquals: { "aws:SourceVpce": { id: "vpce-1" } } } }), 'Statement[0].Condition.StringEquals.aws:SourceVpce must be a string or a list of strings, got {"id":"vpce-1"}'],
  ["an empty list of condition values", statement({ Condition: { StringEquals: { "aws:SourceVpce": [] } } }), "Statement[0].Condition.StringEquals.aws:SourceVpce is an empty list"],
  ["a CIDR with a /33", statement({ Condition: { NotIpAddress: { "aws:VpcSourceIp": ["10.0.0.0/16", "10.0.0.0/33"] } } }), 'Statement[0].Condition.NotIpAddress.aws:VpcSourceIp: "10.0.0.0/33" is not an IP address or CIDR'],
  ["a number that is a word", statement({ Condition: { NumericLessThanEquals: { "s3:max-keys": "ten" } } }), 'Statement[0].Condition.NumericLessThanEquals.s3:max-keys: "ten" is not a number'],
  ["a date that is a word", statement({ Condition: { DateGreaterThan: { "aws:TokenIssueTime": "yesterday" } } }), 'Statement[0].Condition.DateGreaterThan.aws:TokenIssueTime: "yesterday" is not an ISO 8601 date (such as 2020-01-01T00:00:01Z) or epoch seconds'],
  ["a Bool that is yes", statement({ Condition: { Bool: { "aws:SecureTransport": "yes" } } }), 'Statement[0].Condition.Bool.aws:SecureTransport: "yes" is not "true" or "false"'],
  ["a Null that is 1", statement({ Condition: { Null: { "aws:TokenIssueTime": 1 } } }), 'Statement[0].Condition.Null.aws:TokenIssueTime: "1" is not "true" or "false"'],
  ["a binary value that is not base64", statement({ Condition: { BinaryEquals: { key: "not base64!" } } }), 'Statement[0].Condition.BinaryEquals.key: "not base64!" is not base64'],
])("GIVEN a policy with %s THEN it is refused with a message that names it", (_what, input, message) => {
  expect(refusal(input)).toBe(message);
});
