import { ConditionClause, RequestContext, evaluateClause, evaluateConditions, parseConditionOperator } from "../../lib/policy/conditions";
import { parseIpRange } from "../../lib/policy/ip-ranges";

const clause = (operator: string, key: string, values: string | string[]): ConditionClause => ({
  operator: parseConditionOperator(operator),
  key,
  values: typeof values === "string" ? [values] : values,
});
const holds = (operator: string, key: string, values: string | string[], context: RequestContext) => evaluateClause(clause(operator, key, values), context).holds;

// Every operator of the IAM User Guide's "IAM JSON policy elements: Condition operators", with the
// guide's own keys and values where it gives an example: operator, key, policy values, a request
// value that satisfies it, one that does not.
const OPERATORS: [string, string, string[], string, string][] = [
  ["StringEquals", "aws:PrincipalTag/job-category", ["iamuser-admin"], "iamuser-admin", "iamuser-read"],
  ["StringNotEquals", "aws:SourceVpce", ["vpce-1a2b3c4d"], "vpce-0other", "vpce-1a2b3c4d"],
  // "IAM JSON policy elements: Condition": StringEqualsIgnoreCase matches "johndoe or JohnDoe".
  ["StringEqualsIgnoreCase", "aws:username", ["johndoe"], "JohnDoe", "janedoe"],
  ["StringNotEqualsIgnoreCase", "aws:username", ["johndoe"], "janedoe", "JohnDoe"],
  ["StringLike", "ec2:InstanceType", ["t1.*", "t2.*", "m3.*"], "t2.micro", "c5.large"],
  ["StringNotLike", "ec2:InstanceType", ["t1.*", "t2.*", "m3.*"], "c5.large", "m3.medium"],
  ["NumericEquals", "s3:max-keys", ["10"], "10", "11"],
  ["NumericNotEquals", "s3:max-keys", ["10"], "11", "10.0"],
  ["NumericLessThan", "s3:max-keys", ["10"], "9", "10"],
  ["NumericLessThanEquals", "s3:max-keys", ["10"], "10", "11"],
  ["NumericGreaterThan", "s3:max-keys", ["10"], "10.5", "10"],
  ["NumericGreaterThanEquals", "s3:max-keys", ["10"], "10", "-3"],
  ["DateEquals", "aws:CurrentTime", ["2020-01-01T00:00:00Z"], "1577836800", "2020-01-01T00:00:01Z"],
  ["DateNotEquals", "aws:CurrentTime", ["2020-01-01T00:00:00Z"], "2020-01-02", "2020-01-01T09:00:00+09:00"],
  ["DateLessThan", "aws:CurrentTime", ["2013-12-15T12:00:00Z"], "2013-12-15T11:59:59Z", "2013-12-15T12:00:00Z"],
  ["DateLessThanEquals", "aws:CurrentTime", ["2013-12-15T12:00:00Z"], "2013-12-15T12:00:00Z", "2013-12-15T12:00:01Z"],
  ["DateGreaterThan", "aws:TokenIssueTime", ["2020-01-01T00:00:01Z"], "2020-06-01T00:00:00Z", "2019-12-31T23:59:59Z"],
  ["DateGreaterThanEquals", "aws:EpochTime", ["1577836800"], "1577836800", "1577836799"],
  ["Bool", "aws:SecureTransport", ["false"], "false", "true"],
  ["BinaryEquals", "key", ["QmluYXJ5VmFsdWVJbkJhc2U2NA=="], "QmluYXJ5VmFsdWVJbkJhc2U2NA==", "QmluYXJ5"],
  ["IpAddress", "aws:SourceIp", ["203.0.113.0/24"], "203.0.113.7", "198.51.100.7"],
  ["NotIpAddress", "aws:VpcSourceIp", ["10.0.0.0/16", "172.31.0.0/16"], "10.9.0.5", "172.31.54.168"],
  ["ArnEquals", "aws:SourceArn", ["arn:aws:sns:REGION:123456789012:TOPIC-ID"], "arn:aws:sns:REGION:123456789012:TOPIC-ID", "arn:aws:sns:REGION:123456789012:OTHER"],
  ["ArnLike", "aws:SourceArn", ["arn:aws:sns:*:123456789012:*"], "arn:aws:sns:us-east-1:123456789012:alerts", "arn:aws:sns:us-east-1:999999999999:alerts"],
  ["ArnNotEquals", "aws:SourceArn", ["arn:aws:sns:*:123456789012:*"], "arn:aws:sns:us-east-1:999999999999:alerts", "arn:aws:sns:us-east-1:123456789012:alerts"],
  ["ArnNotLike", "aws:SourceArn", ["arn:aws:sns:*:123456789012:*"], "arn:aws:sqs:us-east-1:123456789012:queue", "arn:aws:sns:eu-west-1:123456789012:topic"],
  ["Null", "aws:TokenIssueTime", ["false"], "2020-01-01T00:00:01Z", "(absent)"],
];

it.each(OPERATORS)("GIVEN %s on %s %j WHEN the request's value is the passing one THEN the clause holds", (operator, key, values, passing) => {
  expect(holds(operator, key, values, { [key]: passing })).toBe(true);
});

it.each(OPERATORS)("GIVEN %s on %s %j WHEN the request's value is the failing one THEN the clause fails", (operator, key, values, _passing, failing) => {
  expect(holds(operator, key, values, failing === "(absent)" ? {} : { [key]: failing })).toBe(false);
});

// "Condition operators", Important: an absent key fails the clause, except that a negated
// operator then holds; ...IfExists and Null test presence itself. "Creating a condition with
// multiple keys or values": an empty set makes ForAllValues true and ForAnyValue false.
it.each([
  ["StringEquals", false],
  ["StringNotEquals", true],
  ["StringEqualsIgnoreCase", false],
  ["StringNotEqualsIgnoreCase", true],
  ["StringLike", false],
  ["StringNotLike", true],
  ["NumericEquals", false],
  ["NumericNotEquals", true],
  ["DateEquals", false],
  ["DateNotEquals", true],
  ["Bool", false],
  ["BinaryEquals", false],
  ["IpAddress", false],
  ["NotIpAddress", true],
  ["ArnLike", false],
  ["ArnNotLike", true],
  ["ArnNotEquals", true],
  ["StringEqualsIfExists", true],
  ["IpAddressIfExists", true],
  ["NotIpAddressIfExists", true],
  ["BoolIfExists", true],
  ["ForAllValues:StringEquals", true],
  ["ForAnyValue:StringEquals", false],
])("GIVEN %s on a key absent from the request THEN the clause holds: %s", (operator, expected) => {
  const values = operator.includes("Ip") ? "10.0.0.0/16" : operator.includes("Numeric") ? "1" : operator.includes("Date") ? "1577836800" : operator.includes("Bool") ? "true" : operator.includes("Binary") ? "QQ==" : "arn:aws:sns:*:1:*";
  expect(holds(operator, "aws:SomeKey", values, { "aws:OtherKey": "x" })).toBe(expected);
});

it("GIVEN the guide's Null example (aws:TokenIssueTime true) THEN it holds for long-term keys and fails for temporary credentials", () => {
  // "Condition operators", Condition operator to check existence of condition keys.
  expect(holds("Null", "aws:TokenIssueTime", "true", {})).toBe(true);
  expect(holds("Null", "aws:TokenIssueTime", "true", { "aws:TokenIssueTime": "2020-01-01T00:00:01Z" })).toBe(false);
});

it("GIVEN several values for one key THEN they are ORed, and NORed for a negated operator", () => {
  const endpoints = ["vpce-1a2b3c4d", "vpce-5e6f7a8b"];
  expect(holds("StringEquals", "aws:SourceVpce", endpoints, { "aws:SourceVpce": "vpce-5e6f7a8b" })).toBe(true);
  expect(holds("StringNotEquals", "aws:SourceVpce", endpoints, { "aws:SourceVpce": "vpce-5e6f7a8b" })).toBe(false);
  expect(holds("StringNotEquals", "aws:SourceVpce", endpoints, { "aws:SourceVpce": "vpce-0other" })).toBe(true);
});

it("GIVEN several keys and several operators THEN every clause must hold (AND)", () => {
  const clauses = [clause("StringEquals", "aws:SourceVpce", "vpce-1a2b3c4d"), clause("StringEquals", "aws:SourceVpc", "vpc-1a2b3c4d"), clause("IpAddress", "aws:VpcSourceIp", "10.0.0.0/16")];
  const context = { "aws:SourceVpce": "vpce-1a2b3c4d", "aws:SourceVpc": "vpc-1a2b3c4d", "aws:VpcSourceIp": "10.0.3.4" };
  expect(evaluateConditions(clauses, context).holds).toBe(true);
  const oneWrong = evaluateConditions(clauses, { ...context, "aws:SourceVpc": "vpc-0other" });
  expect(oneWrong.holds).toBe(false);
  expect(oneWrong.results.filter((r) => !r.holds).map((r) => r.reason)).toEqual(["aws:SourceVpc vpc-0other: not vpc-1a2b3c4d"]);
});

it("GIVEN a key written in another case than the request's THEN it is the same key, as the guide's aws:SourceIP and AWS:SourceIp are", () => {
  // "IAM JSON policy elements: Condition": condition key names are not case-sensitive.
  expect(holds("IpAddress", "aws:SourceIP", "203.0.113.0/24", { "AWS:SourceIp": "203.0.113.7" })).toBe(true);
});

it("GIVEN StringEquals aws:username johndoe THEN JohnDoe is refused: values are case-sensitive unless the operator ignores case", () => {
  expect(holds("StringEquals", "aws:username", "johndoe", { "aws:username": "JohnDoe" })).toBe(false);
  expect(holds("StringEqualsIgnoreCase", "aws:username", "johndoe", { "aws:username": "JohnDoe" })).toBe(true);
});

it("GIVEN IpAddress with the guide's IPv4 and IPv6 ranges THEN addresses of both families match, and a bare address is a /32", () => {
  const ranges = ["203.0.113.0/24", "2001:DB8:1234:5678::/64"];
  expect(holds("IpAddress", "aws:SourceIp", ranges, { "aws:SourceIp": "2001:db8:1234:5678::1" })).toBe(true);
  expect(holds("IpAddress", "aws:SourceIp", ranges, { "aws:SourceIp": "2001:db8:1234:5679::1" })).toBe(false);
  expect(holds("IpAddress", "aws:SourceIp", "203.0.113.7", { "aws:SourceIp": "203.0.113.7" })).toBe(true);
  expect(holds("IpAddress", "aws:SourceIp", "203.0.113.7", { "aws:SourceIp": "203.0.113.8" })).toBe(false);
});

it("GIVEN a request value that is not an address THEN IpAddress fails and NotIpAddress holds", () => {
  expect(evaluateClause(clause("IpAddress", "aws:VpcSourceIp", "10.0.0.0/16"), { "aws:VpcSourceIp": "10.0.0.0/16" })).toMatchObject({ holds: false, reason: "aws:VpcSourceIp 10.0.0.0/16: not an IP address" });
  expect(holds("NotIpAddress", "aws:VpcSourceIp", "10.0.0.0/16", { "aws:VpcSourceIp": "localhost" })).toBe(true);
});

it.each([
  // "Creating a condition with multiple keys or values": the DynamoDB examples, ForAllValues:StringLike.
  ["ForAllValues:StringLike", ["PostDateTime", "Message", "Tags"], ["PostDateTime", "Message"], true],
  ["ForAllValues:StringLike", ["PostDateTime", "Message", "Tags"], ["PostDateTime", "UserName"], false],
  ["ForAllValues:StringLike", ["PostDateTime", "Message", "Tags"], [], true],
  ["ForAllValues:StringLike", ["PostDateTime", "Message", "Tags"], "", true],
  // ... and ForAnyValue:StringLike in a Deny.
  ["ForAnyValue:StringLike", ["ID", "PostDateTime"], ["UserName", "Message", "PostDateTime"], true],
  ["ForAnyValue:StringLike", ["ID", "PostDateTime"], ["UserName"], false],
  ["ForAnyValue:StringLike", ["ID", "PostDateTime"], [], false],
  // A negated operator is applied to each request value.
  ["ForAnyValue:StringNotEquals", ["DataClass", "Owner"], ["Dept", "DataClass"], true],
  ["ForAnyValue:StringNotEquals", ["DataClass", "Owner"], ["DataClass", "Owner"], false],
  ["ForAllValues:StringNotEquals", ["DataClass", "Owner"], ["Dept", "SIC"], true],
  ["ForAllValues:StringNotEquals", ["DataClass", "Owner"], ["Dept", "DataClass"], false],
])("GIVEN %s %j WHEN the request holds %j THEN the clause holds: %s", (operator, values, requested, expected) => {
  expect(holds(operator, "dynamodb:requestedAttributes", values, { "dynamodb:requestedAttributes": requested })).toBe(expected);
});

it("GIVEN a key with several values in the request and an operator without a set qualifier THEN evaluation refuses, naming the key", () => {
  expect(() => holds("StringEquals", "aws:TagKeys", "Owner", { "aws:TagKeys": ["Owner", "Dept"] })).toThrow(
    "aws:TagKeys has 2 values in the request (Owner, Dept); StringEquals compares one value, and a multivalued key needs ForAnyValue: or ForAllValues:",
  );
  expect(holds("StringEquals", "aws:TagKeys", "Owner", { "aws:TagKeys": ["Owner"] })).toBe(true);
});

it.each([
  ["NotIpAddress", "aws:VpcSourceIp", ["10.0.0.0/16", "172.31.0.0/16"], "10.9.0.5", true, "aws:VpcSourceIp 10.9.0.5: not in 10.0.0.0/16, 172.31.0.0/16"],
  ["NotIpAddress", "aws:VpcSourceIp", ["10.0.0.0/16", "172.31.0.0/16"], "172.31.54.168", false, "aws:VpcSourceIp 172.31.54.168: in 172.31.0.0/16"],
  ["StringNotEquals", "aws:SourceVpce", ["vpce-1a2b3c4d"], "vpce-0other", true, "aws:SourceVpce vpce-0other: not vpce-1a2b3c4d"],
  ["StringEquals", "aws:SourceVpce", ["vpce-1a2b3c4d", "vpce-5e6f7a8b"], "vpce-0other", false, "aws:SourceVpce vpce-0other: not any of vpce-1a2b3c4d, vpce-5e6f7a8b"],
  ["StringEqualsIgnoreCase", "aws:username", ["johndoe"], "JohnDoe", true, "aws:username JohnDoe: equals johndoe (ignoring case)"],
  ["StringLike", "ec2:InstanceType", ["t1.*", "t2.*"], "c5.large", false, "ec2:InstanceType c5.large: matches none of t1.*, t2.*"],
  ["NumericLessThanEquals", "s3:max-keys", ["10"], "20", false, "s3:max-keys 20: not at most 10"],
  ["DateGreaterThan", "aws:TokenIssueTime", ["2020-01-01T00:00:01Z"], "2019-12-31T23:59:59Z", false, "aws:TokenIssueTime 2019-12-31T23:59:59Z: not after 2020-01-01T00:00:01Z"],
  ["Bool", "aws:SecureTransport", ["false"], "true", false, "aws:SecureTransport true: is not false"],
  ["StringNotEquals", "aws:SourceVpce", ["vpce-1a2b3c4d"], undefined, true, "aws:SourceVpce (absent from the request)"],
  ["Null", "aws:TokenIssueTime", ["true"], "2020-01-01T00:00:01Z", false, "aws:TokenIssueTime 2020-01-01T00:00:01Z: present"],
])("GIVEN %s on %s %j WHEN the request has %j THEN the reason says what of the request decided", (operator, key, values, value, expected, reason) => {
  expect(evaluateClause(clause(operator, key, values), value === undefined ? {} : { [key]: value })).toMatchObject({ holds: expected, reason });
});

it("GIVEN a whole address block in the context THEN IP operators answer for every address of it, or depends when it straddles a range", () => {
  const deny = clause("NotIpAddress", "aws:VpcSourceIp", ["10.0.0.0/16", "172.31.0.0/16"]);
  const block = (cidr: string) => ({ "aws:VpcSourceIp": parseIpRange(cidr)! });
  expect(evaluateClause(deny, block("10.9.0.0/16"))).toMatchObject({ holds: true, reason: "aws:VpcSourceIp 10.9.0.0/16: not in 10.0.0.0/16, 172.31.0.0/16" });
  expect(evaluateClause(deny, block("10.0.128.0/17"))).toMatchObject({ holds: false, reason: "aws:VpcSourceIp 10.0.128.0/17: in 10.0.0.0/16" });
  expect(evaluateClause(deny, block("10.0.0.0/8"))).toMatchObject({ holds: "depends", reason: "aws:VpcSourceIp 10.0.0.0/8: partly in 10.0.0.0/16, 172.31.0.0/16" });
  expect(evaluateClause(clause("IpAddress", "aws:VpcSourceIp", ["10.0.0.0/17", "10.0.128.0/17"]), block("10.0.0.0/16")).holds).toBe(true);
  expect(() => evaluateClause(clause("StringEquals", "aws:VpcSourceIp", "10.0.0.1"), block("10.0.0.0/16"))).toThrow(
    "aws:VpcSourceIp stands for the range 10.0.0.0/16 here, and StringEquals cannot be decided over a range; only IpAddress, NotIpAddress and Null can",
  );
});

it.each([
  ["stringequals", "StringEquals"],
  ["forallvalues:stringlikeifexists", "ForAllValues:StringLikeIfExists"],
  ["NotIpAddressIfExists", "NotIpAddressIfExists"],
])("GIVEN the operator %s THEN it is read case-insensitively as %s", (name, canonical) => {
  expect(parseConditionOperator(name).name).toBe(canonical);
});

it.each([
  ["StringEqual", 'unknown operator "StringEqual"; the IAM User Guide\'s "Condition operators" lists the valid ones'],
  ["ForSomeValues:StringEquals", 'operator "ForSomeValues:StringEquals" has the unknown qualifier "ForSomeValues"; expected ForAnyValue or ForAllValues'],
  ["NullIfExists", 'operator "NullIfExists": IfExists cannot be added to Null, which already tests whether the key exists'],
  ["ForAllValues:Null", 'operator "ForAllValues:Null": Null takes no ForAnyValue:/ForAllValues: qualifier'],
  ["ForAnyValue:StringEqualsIfExists", 'operator "ForAnyValue:StringEqualsIfExists": ForAnyValue with IfExists has no documented meaning, so this evaluator does not decide it; write ForAnyValue:StringEquals'],
])("GIVEN the operator %s THEN it is refused with its own message", (name, message) => {
  expect(() => parseConditionOperator(name)).toThrow(message);
});

it("GIVEN an empty list for a key in the request THEN the key counts as absent", () => {
  expect(holds("StringEquals", "aws:SourceVpce", "vpce-1a2b3c4d", { "aws:SourceVpce": [] })).toBe(false);
  expect(holds("StringNotEquals", "aws:SourceVpce", "vpce-1a2b3c4d", { "aws:SourceVpce": [] })).toBe(true);
  expect(holds("Null", "aws:SourceVpce", "true", { "aws:SourceVpce": [] })).toBe(true);
});

it("GIVEN a key named like an object property (constructor) THEN it is looked up in the request only", () => {
  expect(holds("Null", "constructor", "true", {})).toBe(true);
  expect(holds("StringNotEquals", "toString", "x", {})).toBe(true);
});
