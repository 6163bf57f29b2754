/**
 * The doctor's network ACL reader with the real AWS SDK (v3.1169), against a server on 127.0.0.1
 * that answers as EC2 and STS do: the SDK honours AWS_ENDPOINT_URL (for EC2, and for STS when a
 * role is assumed), and acts with the credentials the stack's provider would use (the
 * environment's, a profile's, a role assumed with its external id). Run by `npm run
 * test:terraform` with node:test, in a process of its own: this file sets the process's AWS
 * variables, and jest constructs no SDK client. Nothing here reaches AWS.
 */
import assert from "node:assert/strict";
import { mkdtempSync, writeFileSync } from "node:fs";
import { createServer, IncomingMessage, Server } from "node:http";
import { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { after, before, describe, test } from "node:test";
import { credentialSourceOf } from "../../lib/aws/credential-source";
import { loadConfig } from "../../lib/config/load-config";
import { evaluateFlow } from "../../lib/network-acl/evaluate";
import { readNetworkAcls } from "../../lib/network-acl/reader";
import { sdkNetworkAclReader } from "../../lib/network-acl/sdk-reader";

interface Seen {
  readonly action: string;
  /** The access key the request was signed with, and the service and region of its scope. */
  readonly accessKey: string;
  readonly scope: string;
  readonly params: URLSearchParams;
}

const seen: Seen[] = [];
/** What the server answers DescribeNetworkAcls with: `ok`, `paged` (two pages) or `denied`. */
let mode: "ok" | "paged" | "denied" = "ok";

const ACL = (id: string, subnet: string) => `
    <item>
      <networkAclId>${id}</networkAclId>
      <vpcId>vpc-0a0a0a0a0a0a0a0a0</vpcId>
      <default>true</default>
      <entrySet>
        <item><ruleNumber>100</ruleNumber><protocol>-1</protocol><ruleAction>allow</ruleAction><egress>true</egress><cidrBlock>0.0.0.0/0</cidrBlock></item>
        <item><ruleNumber>32767</ruleNumber><protocol>-1</protocol><ruleAction>deny</ruleAction><egress>true</egress><cidrBlock>0.0.0.0/0</cidrBlock></item>
        <item><ruleNumber>90</ruleNumber><protocol>6</protocol><ruleAction>deny</ruleAction><egress>false</egress><cidrBlock>172.31.0.0/16</cidrBlock><portRange><from>1024</from><to>65535</to></portRange></item>
        <item><ruleNumber>100</ruleNumber><protocol>-1</protocol><ruleAction>allow</ruleAction><egress>false</egress><cidrBlock>0.0.0.0/0</cidrBlock></item>
        <item><ruleNumber>32767</ruleNumber><protocol>-1</protocol><ruleAction>deny</ruleAction><egress>false</egress><cidrBlock>0.0.0.0/0</cidrBlock></item>
      </entrySet>
      <associationSet>
        <item><networkAclAssociationId>aclassoc-0a0a0a0a0a0a0a0a0</networkAclAssociationId><networkAclId>${id}</networkAclId><subnetId>${subnet}</subnetId></item>
      </associationSet>
      <tagSet/>
      <ownerId>111111111111</ownerId>
    </item>`;

function answer(action: string, params: URLSearchParams): { status: number; body: string } {
  if (action === "AssumeRole") {
    return {
      status: 200,
      body: `<AssumeRoleResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><AssumeRoleResult>
  <Credentials><AccessKeyId>ASIAASSUMEDROLE00001</AccessKeyId><SecretAccessKey>assumed-secret</SecretAccessKey><SessionToken>assumed-token</SessionToken><Expiration>2099-01-01T00:00:00Z</Expiration></Credentials>
  <AssumedRoleUser><AssumedRoleId>AROAEXAMPLE:${params.get("RoleSessionName")}</AssumedRoleId><Arn>arn:aws:sts::111111111111:assumed-role/doctor/${params.get("RoleSessionName")}</Arn></AssumedRoleUser>
</AssumeRoleResult><ResponseMetadata><RequestId>req-1</RequestId></ResponseMetadata></AssumeRoleResponse>`,
    };
  }
  if (mode === "denied") {
    return { status: 403, body: `<?xml version="1.0" encoding="UTF-8"?><Response><Errors><Error><Code>UnauthorizedOperation</Code><Message>You are not authorized to perform this operation.</Message></Error></Errors><RequestID>req-2</RequestID></Response>` };
  }
  const subnets = [...params.entries()].filter(([k]) => /^Filter\.1\.Value\.\d+$/.test(k)).map(([, v]) => v);
  const page = mode === "paged" && !params.get("NextToken");
  const acls = mode === "paged" ? (page ? ACL("acl-0a0a0a0a0a0a0a0a1", subnets[0]) : ACL("acl-0a0a0a0a0a0a0a0a2", subnets[1])) : subnets.map((s, i) => ACL(`acl-0a0a0a0a0a0a0a0a${i + 1}`, s)).join("");
  return {
    status: 200,
    body: `<DescribeNetworkAclsResponse xmlns="http://ec2.amazonaws.com/doc/2016-11-15/"><requestId>req-3</requestId><networkAclSet>${acls}</networkAclSet>${page ? "<nextToken>page-2</nextToken>" : ""}</DescribeNetworkAclsResponse>`,
  };
}

function body(request: IncomingMessage): Promise<string> {
  return new Promise((resolve) => {
    let text = "";
    request.on("data", (chunk) => (text += chunk));
    request.on("end", () => resolve(text));
  });
}

let server: Server;
const home = mkdtempSync(path.join(tmpdir(), "nacl-reader-"));

before(async () => {
  server = createServer(async (request, response) => {
    const params = new URLSearchParams(await body(request));
    const action = params.get("Action") ?? "";
    const credential = /Credential=([^/]+)\/\d+\/([^/]+)\/([^/]+)\//.exec(String(request.headers.authorization));
    seen.push({ action, accessKey: credential?.[1] ?? "", scope: `${credential?.[3]}/${credential?.[2]}`, params });
    const { status, body: text } = answer(action, params);
    response.writeHead(status, { "content-type": "text/xml" }).end(text);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  // Only this file's process: every AWS setting the SDK reads, and nothing of the caller's.
  for (const key of Object.keys(process.env)) if (key.startsWith("AWS_") && key !== "AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED") delete process.env[key];
  writeFileSync(path.join(home, "config"), "[profile doctor-test]\nregion = eu-west-1\n");
  writeFileSync(path.join(home, "credentials"), "[doctor-test]\naws_access_key_id = AKIAPROFILEKEY000001\naws_secret_access_key = profile-secret\n");
  Object.assign(process.env, {
    AWS_ENDPOINT_URL: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    AWS_ACCESS_KEY_ID: "AKIAENVIRONMENTKEY01",
    AWS_SECRET_ACCESS_KEY: "environment-secret",
    AWS_CONFIG_FILE: path.join(home, "config"),
    AWS_SHARED_CREDENTIALS_FILE: path.join(home, "credentials"),
    AWS_EC2_METADATA_DISABLED: "true",
  });
});

after(() => server.close());

const PETS = { ...loadConfig(path.join(__dirname, "../../config/example.json")), name: "pets" };
const account = (credentials: Record<string, string>) => ({ accountId: "111111111111", region: "ap-northeast-1", credentials });
const SUBNETS = ["subnet-0a0a0a0a0a0a0a0a1", "subnet-0a0a0a0a0a0a0a0a2"];

describe("the network ACL reader on the AWS SDK", () => {
  test("the environment's credentials: DescribeNetworkAcls at AWS_ENDPOINT_URL, in the account's region, filtered by subnet; the answer evaluates", async () => {
    seen.length = 0;
    mode = "ok";
    const acls = await sdkNetworkAclReader(credentialSourceOf(PETS, "account-a", account({}))).networkAclsOf(SUBNETS);
    assert.deepEqual(seen.map((s) => [s.action, s.accessKey, s.scope]), [["DescribeNetworkAcls", "AKIAENVIRONMENTKEY01", "ec2/ap-northeast-1"]]);
    assert.deepEqual([seen[0].params.get("Filter.1.Name"), seen[0].params.get("Filter.1.Value.1"), seen[0].params.get("Filter.1.Value.2")], ["association.subnet-id", ...SUBNETS]);
    assert.deepEqual(acls.map((a) => [a.NetworkAclId, a.Associations?.[0]?.SubnetId]), [["acl-0a0a0a0a0a0a0a0a1", SUBNETS[0]], ["acl-0a0a0a0a0a0a0a0a2", SUBNETS[1]]]);
    // The SDK's shapes are what the evaluator reads: rule 90 denies the answers from B's VPC.
    const verdict = evaluateFlow(acls[0], { direction: "ingress", protocol: "tcp", ports: { from: 1024, to: 65535 }, peer: "172.31.0.0/16" });
    assert.equal(verdict.deniedBy?.ruleNumber, 90);
    assert.equal(evaluateFlow(acls[0], { direction: "egress", protocol: "tcp", ports: { from: 443, to: 443 }, peer: "172.31.0.0/16" }).allowed, true);
  });

  test("a role with an external id: AssumeRole at AWS_ENDPOINT_URL with the environment's key, then EC2 with the role's", async () => {
    seen.length = 0;
    mode = "ok";
    const source = credentialSourceOf(PETS, "account-a", account({ assumeRoleArn: "arn:aws:iam::111111111111:role/doctor", externalId: "ext-1" }));
    await sdkNetworkAclReader(source).networkAclsOf(SUBNETS);
    assert.deepEqual(seen.map((s) => [s.action, s.accessKey]), [["AssumeRole", "AKIAENVIRONMENTKEY01"], ["DescribeNetworkAcls", "ASIAASSUMEDROLE00001"]]);
    assert.deepEqual(["RoleArn", "ExternalId", "RoleSessionName"].map((k) => seen[0].params.get(k)), ["arn:aws:iam::111111111111:role/doctor", "ext-1", "pets-account-a"]);
  });

  test("a profile: its key from the shared files, the account's region rather than the profile's", async () => {
    seen.length = 0;
    mode = "ok";
    await sdkNetworkAclReader(credentialSourceOf(PETS, "account-a", account({ profile: "doctor-test" }))).networkAclsOf(SUBNETS);
    assert.deepEqual(seen.map((s) => [s.action, s.accessKey, s.scope]), [["DescribeNetworkAcls", "AKIAPROFILEKEY000001", "ec2/ap-northeast-1"]]);
  });

  test("an answer in pages: every page is read", async () => {
    seen.length = 0;
    mode = "paged";
    const acls = await sdkNetworkAclReader(credentialSourceOf(PETS, "account-a", account({}))).networkAclsOf(SUBNETS);
    assert.deepEqual(acls.map((a) => a.NetworkAclId), ["acl-0a0a0a0a0a0a0a0a1", "acl-0a0a0a0a0a0a0a0a2"]);
    assert.equal(seen[1].params.get("NextToken"), "page-2");
  });

  test("UnauthorizedOperation: the read says who may not read them, and does not throw", async () => {
    mode = "denied";
    const source = credentialSourceOf(PETS, "account-a", account({}));
    const reading = await readNetworkAcls(sdkNetworkAclReader(source), SUBNETS, source);
    assert.deepEqual(reading, { unreadable: "the environment's credentials may not read them: UnauthorizedOperation: You are not authorized to perform this operation." });
  });
});
