import type { NetworkAcl } from "@aws-sdk/client-ec2";
import { CredentialSource } from "../../lib/aws/credential-source";
import { doctorReport } from "../../lib/doctor/doctor-report";
import { clientSubnetIds, endpointSubnetIds, networkAclHop } from "../../lib/doctor/network-acl-hop";
import { NetworkAclReader } from "../../lib/network-acl/reader";
import { stackFromSynth } from "../../lib/preflight/model";
import { config } from "../helpers/example";
import { synthProject } from "../helpers/project";
import recorded from "../network-acl/describe-network-acls.json";

const cfg = config({
  accountA: { credentials: { assumeRoleArn: "arn:aws:iam::111111111111:role/doctor", externalId: "ext-1" } },
  accountB: { credentials: { profile: "account-b" } },
});
const resource = (type: string, name: string, values: Record<string, unknown>) => ({ mode: "managed", type, name, values });
const state = (...resources: unknown[]) => ({ values: { root_module: { resources } } });
// What the doctor's refresh-only plans read of the deployed stacks: the subnets each created, the canary's and the endpoint's.
const LIVE: Record<string, unknown> = {
  "account-a": state(
    resource("aws_subnet", "network_private-1", { id: "subnet-0a0a0a0a0a0a0a0a1" }),
    resource("aws_subnet", "network_private-2", { id: "subnet-0a0a0a0a0a0a0a0a2" }),
    resource("aws_lambda_function", "canary_function", { vpc_config: [{ subnet_ids: ["subnet-0a0a0a0a0a0a0a0a1", "subnet-0a0a0a0a0a0a0a0a2"] }] }),
  ),
  "account-b": state(
    resource("aws_subnet", "network_private-1", { id: "subnet-0b0b0b0b0b0b0b0b1" }),
    resource("aws_vpc_endpoint", "execute-api_endpoint", { subnet_ids: ["subnet-0b0b0b0b0b0b0b0b1"] }),
  ),
};

/** An ACL of the recorded kind `kind`, associated with `subnets`. */
function aclFor(kind: "default" | "https-only" | "deny-https-first", id: string, subnets: string[]): NetworkAcl {
  const acl = structuredClone((recorded as any)[kind].NetworkAcls[0]) as NetworkAcl;
  return { ...acl, NetworkAclId: id, Associations: subnets.map((SubnetId) => ({ SubnetId, NetworkAclId: id })) };
}

/** Readers answering from `acls` by account, recording with which credentials they were made and what they were asked. */
function readers(acls: Record<string, NetworkAcl[] | Error>) {
  const calls: { source: CredentialSource; subnetIds: string[] }[] = [];
  const readerOf = (source: CredentialSource): NetworkAclReader => ({
    async networkAclsOf(subnetIds) {
      calls.push({ source, subnetIds });
      const answer = acls[source.accountId];
      if (answer instanceof Error) throw answer;
      return answer.filter((acl) => acl.Associations!.some((a) => subnetIds.includes(a.SubnetId!)));
    },
  });
  return { calls, readerOf };
}

const A_DEFAULT = aclFor("default", "acl-0a0a0a0a0a0a0a0a0", ["subnet-0a0a0a0a0a0a0a0a1", "subnet-0a0a0a0a0a0a0a0a2"]);
const B_DEFAULT = aclFor("default", "acl-0b0b0b0b0b0b0b0b0", ["subnet-0b0b0b0b0b0b0b0b1"]);

describe("the doctor's network ACL hop", () => {
  test("the subnets: those the stacks created, the canary's and the endpoint's, and the configured ones", () => {
    expect(clientSubnetIds(LIVE["account-a"], ["subnet-0a0a0a0a0a0a0a0a9"])).toEqual(["subnet-0a0a0a0a0a0a0a0a1", "subnet-0a0a0a0a0a0a0a0a2", "subnet-0a0a0a0a0a0a0a0a9"]);
    expect(endpointSubnetIds(LIVE["account-b"])).toEqual(["subnet-0b0b0b0b0b0b0b0b1"]);
    // An existing endpoint (accountB.existingEndpoint), as B's look-up of it read it.
    const existing = state({ mode: "data", type: "aws_vpc_endpoint", name: "execute-api_existing", values: { subnet_ids: ["subnet-0b0b0b0b0b0b0b0b7"] } });
    expect(endpointSubnetIds(existing, ["subnet-0b0b0b0b0b0b0b0b1"])).toEqual(["subnet-0b0b0b0b0b0b0b0b1", "subnet-0b0b0b0b0b0b0b0b7"]);
  });

  test("each account is read once, with its stack's provider credentials, for its own subnets", async () => {
    const { calls, readerOf } = readers({ "111111111111": [A_DEFAULT], "222222222222": [B_DEFAULT] });
    await networkAclHop(cfg, (stack) => LIVE[stack], readerOf);
    expect(calls).toEqual(expect.arrayContaining([
      { source: { region: "ap-northeast-1", accountId: "222222222222", profile: "account-b" }, subnetIds: ["subnet-0b0b0b0b0b0b0b0b1"] },
      {
        source: { region: "ap-northeast-1", accountId: "111111111111", assumeRole: { roleArn: "arn:aws:iam::111111111111:role/doctor", externalId: "ext-1", sessionName: "private-apigw-account-a" } },
        subnetIds: ["subnet-0a0a0a0a0a0a0a0a1", "subnet-0a0a0a0a0a0a0a0a2"],
      },
    ]));
    expect(calls).toHaveLength(2);
  });

  test("default ACLs (allow all) pass on both sides, naming the ACL, its subnets and the deciding rule", async () => {
    const { readerOf } = readers({ "111111111111": [A_DEFAULT], "222222222222": [B_DEFAULT] });
    const rows = (await networkAclHop(cfg, (stack) => LIVE[stack], readerOf))["account-a"];
    expect(rows).toEqual([
      {
        id: "account-a:network-acl:acl-0a0a0a0a0a0a0a0a0",
        hop: "2a A: network ACLs",
        status: "pass",
        message: "the network ACLs of the consumer's client subnets let TCP 443 out to B's VPC and the answers (TCP 1024-65535) back in: acl-0a0a0a0a0a0a0a0a0 (the VPC's default network ACL) of subnet-0a0a0a0a0a0a0a0a1, subnet-0a0a0a0a0a0a0a0a2: outbound TCP 443 to 172.31.0.0/16 allowed by rule 100; inbound TCP 1024-65535 from 172.31.0.0/16 allowed by rule 100",
        fix: "",
      },
      {
        id: "account-b:network-acl:acl-0b0b0b0b0b0b0b0b0",
        hop: "4a B: network ACLs",
        status: "pass",
        message: "the network ACLs of B's endpoint subnets let TCP 443 in from the consumer's VPC and the answers (TCP 1024-65535) back out: acl-0b0b0b0b0b0b0b0b0 (the VPC's default network ACL) of subnet-0b0b0b0b0b0b0b0b1: inbound TCP 443 from 10.0.0.0/16 allowed by rule 100; outbound TCP 1024-65535 to 10.0.0.0/16 allowed by rule 100",
        fix: "",
      },
    ]);
  });

  test("B's endpoint subnets denying 443 from the consumer before the allow: 4a fails naming the rule, with the command that allows it ahead of it", async () => {
    const { readerOf } = readers({ "111111111111": [A_DEFAULT], "222222222222": [aclFor("deny-https-first", "acl-0b0b0b0b0b0b0b0b9", ["subnet-0b0b0b0b0b0b0b0b1"])] });
    const row = (await networkAclHop(cfg, (stack) => LIVE[stack], readerOf))["account-a"].find((r) => r.hop === "4a B: network ACLs")!;
    expect(row).toMatchObject({ id: "account-b:network-acl:acl-0b0b0b0b0b0b0b0b9", status: "fail" });
    expect(row.message).toContain("acl-0b0b0b0b0b0b0b0b9 of subnet-0b0b0b0b0b0b0b0b1: inbound TCP 443 from 10.0.0.0/16 denied by rule 90; outbound TCP 1024-65535 to 10.0.0.0/16 allowed by rule 100");
    expect(row.fix).toBe("In account 222222222222: aws ec2 create-network-acl-entry --region ap-northeast-1 --network-acl-id acl-0b0b0b0b0b0b0b0b9 --ingress --rule-number 89 --protocol tcp --port-range From=443,To=443 --cidr-block 10.0.0.0/16 --rule-action allow");
  });

  test("client subnets whose ACL lets 443 out but no answers back: 2a fails naming the * rule, with the command", async () => {
    const { readerOf } = readers({ "111111111111": [aclFor("https-only", "acl-0a0a0a0a0a0a0a0a7", ["subnet-0a0a0a0a0a0a0a0a1", "subnet-0a0a0a0a0a0a0a0a2"])], "222222222222": [B_DEFAULT] });
    const row = (await networkAclHop(cfg, (stack) => LIVE[stack], readerOf))["account-a"][0];
    expect(row).toMatchObject({ hop: "2a A: network ACLs", status: "fail" });
    expect(row.message).toContain("outbound TCP 443 to 172.31.0.0/16 allowed by rule 100; inbound TCP 1024-65535 from 172.31.0.0/16 denied by rule * (no rule allows it)");
    expect(row.fix).toBe("In account 111111111111: aws ec2 create-network-acl-entry --region ap-northeast-1 --network-acl-id acl-0a0a0a0a0a0a0a0a7 --ingress --rule-number 110 --protocol tcp --port-range From=1024,To=65535 --cidr-block 172.31.0.0/16 --rule-action allow");
  });

  test("ACLs that cannot be read: one pending row for that side, saying why and which permission, and the other side still checked", async () => {
    const denied = Object.assign(new Error("You are not authorized to perform this operation."), { name: "UnauthorizedOperation", $metadata: { httpStatusCode: 403 } });
    const { readerOf } = readers({ "111111111111": denied, "222222222222": [B_DEFAULT] });
    const rows = (await networkAclHop(cfg, (stack) => LIVE[stack], readerOf))["account-a"];
    expect(rows.map((r) => [r.id, r.status])).toEqual([["account-a:network-acls", "pending"], ["account-b:network-acl:acl-0b0b0b0b0b0b0b0b0", "pass"]]);
    expect(rows[0].message).toContain(
      "could not be read: role arn:aws:iam::111111111111:role/doctor assumed from the environment's credentials may not read them: UnauthorizedOperation: You are not authorized to perform this operation. Reading them needs ec2:DescribeNetworkAcls in account 111111111111 (ap-northeast-1)",
    );
  });

  test("a subnet no ACL of the account is associated with (deleted, or credentials for another account): pending, naming it", async () => {
    const { readerOf } = readers({ "111111111111": [aclFor("default", "acl-0a0a0a0a0a0a0a0a0", ["subnet-0a0a0a0a0a0a0a0a1"])], "222222222222": [B_DEFAULT] });
    const rows = (await networkAclHop(cfg, (stack) => LIVE[stack], readerOf))["account-a"];
    expect(rows.map((r) => [r.id, r.status])).toContainEqual(["account-a:network-acls", "pending"]);
    expect(rows.find((r) => r.id === "account-a:network-acls")!.message).toContain("no network ACL is associated with subnet-0a0a0a0a0a0a0a0a2 in account 111111111111");
  });

  test("an existing VPC without client subnets (the canary off): pending, naming the setting", async () => {
    const noSubnets = config({ accountA: { canary: false, existingVpc: { vpcId: "vpc-0a0a0a0a0a0a0a0a0", routeTableIds: ["rtb-0a0a0a0a0a0a0a0a1"] } } });
    const { readerOf } = readers({ "111111111111": [], "222222222222": [B_DEFAULT] });
    const rows = (await networkAclHop(noSubnets, (stack) => (stack === "account-b" ? LIVE[stack] : state()), readerOf))["account-a"];
    expect(rows[0]).toMatchObject({ id: "account-a:network-acls", status: "pending", message: expect.stringContaining("not checked: accountA.existingVpc names no subnetIds") });
  });

  test("in the report, each side's rows come after that side's routes, along the path", async () => {
    const project = synthProject();
    const model = { a: stackFromSynth("account-a", project.a), b: stackFromSynth("account-b", project.b) };
    const { readerOf } = readers({ "111111111111": [A_DEFAULT], "222222222222": [B_DEFAULT] });
    const more = (await networkAclHop(cfg, (stack) => LIVE[stack], readerOf))["account-a"];
    const rows = doctorReport(model, { stack: "account-a", json: state() }, { stack: "account-b", json: state() }, more);
    const ids = rows.map((r) => r.id);
    expect(ids.indexOf("account-a:network-acl:acl-0a0a0a0a0a0a0a0a0")).toBe(ids.indexOf("a-route-to-b") + 1);
    expect(ids.indexOf("account-b:network-acl:acl-0b0b0b0b0b0b0b0b0")).toBe(ids.indexOf("b-route-to-a") + 1);
    expect(rows.map((r) => r.hop)).toEqual([...rows.map((r) => r.hop)].sort());
  });
});
