import { actionMatches, arnComponents, arnLike, globMatch, resourceMatches } from "../../lib/policy/patterns";

const API = "arn:aws:execute-api:ap-northeast-1:222222222222:a1b2c3d4e5";

it.each([
  ["t2.*", "t2.micro", true],
  ["t2.*", "m3.large", false],
  ["vpce-????", "vpce-1a2b", true],
  ["vpce-????", "vpce-1a2b3", false],
  ["*", "", true],
  ["", "", true],
  ["a*b*c", "aXXbYYc", true],
  ["a*b*c", "aXXbYY", false],
  ["home/*", "Home/x", false],
])("GIVEN the pattern %j WHEN matched against %j THEN it matches: %s", (pattern, value, expected) => {
  expect(globMatch(pattern, value)).toBe(expected);
});

it("GIVEN a long value that nearly matches many stars THEN matching still ends at once (no backtracking blow-up)", () => {
  expect(globMatch("*a*a*a*a*a*a*a*b", "a".repeat(5000))).toBe(false);
});

it.each([
  ["execute-api:Invoke", "execute-api:Invoke", true],
  // "IAM JSON policy elements: Action": action names are not case-sensitive.
  ["execute-api:invoke", "execute-api:Invoke", true],
  ["EXECUTE-API:*", "execute-api:ManageConnections", true],
  ["iam:*AccessKey*", "iam:CreateAccessKey", true],
  ["execute-api:Invok?", "execute-api:Invoke", true],
  ["execute-api:Invok?", "execute-api:Invoked", false],
  ["s3:*", "execute-api:Invoke", false],
  ["*", "execute-api:Invoke", true],
])("GIVEN the Action %j WHEN the request's action is %j THEN it matches: %s", (pattern, action, expected) => {
  expect(actionMatches(pattern, action)).toBe(expected);
});

it.each([
  [`${API}/*`, `${API}/v1/GET/pets`, true],
  [`${API}/v1/GET/*`, `${API}/v1/GET/pets/1`, true],
  [`${API}/v1/GET/*`, `${API}/v1/POST/pets`, false],
  [`${API}/*/GET/pets`, `${API}/v1/GET/pets`, true],
  // Resource matching is case-sensitive ("In the Resource element, the IAM user name is case sensitive").
  [`${API}/v1/GET/Pets`, `${API}/v1/GET/pets`, false],
  ["arn:aws:execute-api:*:222222222222:a1b2c3d4e5/*", `${API}/v1/GET/pets`, true],
  // "If the * wildcard is the last character of a resource ARN segment, it can expand to match beyond the colon boundaries."
  ["arn:aws:execute-api:*", `${API}/v1/GET/pets`, true],
  [`${API}/*`, `${API}/v1/GET/a:b`, true],
  // An inner * and ? stay within their segment.
  ["arn:aws:execute-api:ap-*-1:222222222222:*", `${API}/v1/GET/pets`, true],
  ["arn:aws:execute-api:ap-*1:222222222222:a1b2c3d4e5/*", "arn:aws:execute-api:ap-x:y-1:222222222222:a1b2c3d4e5/v1", false],
  ["arn:aws:execute-api:ap-northeast-?:222222222222:a1b2c3d4e5/*", `${API}/v1/GET/pets`, true],
  ["arn:aws:iam::111122223333:user/accounting/*", "arn:aws:iam::111122223333:user/accounting/bob", true],
  ["*", `${API}/v1/GET/pets`, true],
  [`${API}/v1/GET/pets`, "arn:aws:execute-api:ap-northeast-1:222222222222:a1b2c3d4e5/v1/GET/pets.", false],
  ["arn:aws:s3:::bucket.name/*", "arn:aws:s3:::bucketXname/key", false],
])("GIVEN the Resource %s WHEN the request's resource is %s THEN it matches: %s", (pattern, resource, expected) => {
  expect(resourceMatches(pattern, resource)).toBe(expected);
});

it("GIVEN the IAM User Guide's ArnLike example THEN the first * matches one component only, where StringLike's matches across colons", () => {
  // "Condition operators", ARN condition operators: the pattern and request value are the guide's own.
  const pattern = "arn:aws:someservice:*:111122223333:finance/*";
  const value = "arn:aws:someservice:us-east-2:999999999999:store/abc:111122223333:finance/document.txt";
  expect(globMatch(pattern, value)).toBe(true);
  expect(arnLike(pattern, value)).toBe(false);
  expect(arnLike(pattern, "arn:aws:someservice:us-east-2:111122223333:finance/document.txt")).toBe(true);
});

it("GIVEN a value that is not an ARN THEN ArnLike does not match it, nor does a pattern that is not one", () => {
  expect(arnLike("arn:aws:sns:*:123456789012:*", "my-topic")).toBe(false);
  expect(arnLike("*", "arn:aws:sns:us-east-1:123456789012:topic")).toBe(false);
  expect(arnComponents("arn:aws:sns:us-east-1:123456789012:a:b")).toEqual(["arn", "aws", "sns", "us-east-1", "123456789012", "a:b"]);
});
