import { readNetworkAcls, whyUnreadable } from "../../lib/network-acl/reader";

const source = { region: "ap-northeast-1", accountId: "222222222222", profile: "ops" };
/** An error as the AWS SDK throws it: a name, a message, and for service errors the HTTP status. */
const sdkError = (name: string, message: string, httpStatusCode?: number) => Object.assign(new Error(message), { name, ...(httpStatusCode ? { $metadata: { httpStatusCode } } : {}) });

describe("readNetworkAcls: a read that never throws", () => {
  test("gives the reader's ACLs, and asks it nothing when there are no subnets", async () => {
    const asked: string[][] = [];
    const reader = { networkAclsOf: async (ids: string[]) => (asked.push(ids), [{ NetworkAclId: "acl-1" }]) };
    expect(await readNetworkAcls(reader, ["subnet-1"], source)).toEqual({ acls: [{ NetworkAclId: "acl-1" }] });
    expect(await readNetworkAcls(reader, [], source)).toEqual({ acls: [] });
    expect(asked).toEqual([["subnet-1"]]);
  });

  test("a failure becomes the reason, in words naming the identity", async () => {
    const reader = { networkAclsOf: async () => { throw sdkError("UnauthorizedOperation", "You are not authorized to perform this operation. User: arn:aws:sts::222222222222:assumed-role/ro/x is not authorized to perform: ec2:DescribeNetworkAcls", 403); } };
    expect(await readNetworkAcls(reader, ["subnet-1"], source)).toEqual({
      unreadable: 'profile "ops" may not read them: UnauthorizedOperation: You are not authorized to perform this operation. User: arn:aws:sts::222222222222:assumed-role/ro/x is not authorized to perform: ec2:DescribeNetworkAcls',
    });
  });
});

describe("whyUnreadable", () => {
  test.each([
    ["no credentials at all", sdkError("CredentialsProviderError", "Could not load credentials from any providers"), "no usable AWS credentials (the environment's credentials): CredentialsProviderError: Could not load credentials from any providers"],
    ["AssumeRole refused", sdkError("AccessDenied", "User: arn:aws:iam::1:user/me is not authorized to perform: sts:AssumeRole", 403), "the environment's credentials may not read them: AccessDenied: User: arn:aws:iam::1:user/me is not authorized to perform: sts:AssumeRole"],
    ["expired credentials", sdkError("RequestExpired", "Request has expired.", 400), "the credentials (the environment's credentials) are expired or invalid: RequestExpired: Request has expired."],
    ["anything else, as the SDK said it", sdkError("TimeoutError", "connect ETIMEDOUT 198.51.100.1:443\n    at ..."), "TimeoutError: connect ETIMEDOUT 198.51.100.1:443"],
  ])("%s", (_, error, reason) => {
    expect(whyUnreadable(error, { region: "ap-northeast-1", accountId: "111111111111" })).toBe(reason);
  });
});
