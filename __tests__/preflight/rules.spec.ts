import { loadConfig } from "../../lib/config/load-config";
import { ProjectModel, stackFromPlan, stackFromSynth } from "../../lib/preflight/model";
import { runPreflight } from "../../lib/preflight/run-preflight";
import { Finding, Rule } from "../../lib/preflight/rule";
import { RULES } from "../../lib/preflight/rules";
import { config } from "../helpers/example";
import { planOf } from "../helpers/plan";
import { synthProject } from "../helpers/project";
import { TerraformJson } from "../helpers/terraform-json";

type Stacks = { a: TerraformJson; b: TerraformJson };

const example = synthProject(config());
const modelOf = ({ a, b }: Stacks): ProjectModel => ({ a: stackFromSynth("account-a", a), b: stackFromSynth("account-b", b) });
const rule = (id: string): Rule => RULES.find((r) => r.id === id)!;

/** The example stacks with one thing changed, as a reviewer's diff would show it. */
function changed(change: (stacks: Stacks) => void): ProjectModel {
  const stacks: Stacks = JSON.parse(JSON.stringify({ a: example.a, b: example.b }));
  change(stacks);
  return modelOf(stacks);
}

/** Changes the resource policy's statement `sid` as the stacks keep it (a local the policy resource sends). */
const changeStatement = (s: Stacks, sid: string, change: (statement: any) => void) => {
  change(s.b.locals!["rest-api_policy-document"].Statement.find((statement: any) => statement.Sid === sid));
};

/** Rule id, what changes, the change, and what the failure must say. */
const FAILING_CASES: [string, string, (s: Stacks) => void, string][] = [
  ["a-vpc-dns", "A's VPC without DNS host names", (s) => (s.a.resource.aws_vpc.network_vpc.enable_dns_hostnames = false), "enable_dns_hostnames = false"],
  ["a-route-to-b", "A's route dropped", (s) => delete s.a.resource.aws_route, "no route to 172.31.0.0/16"],
  ["a-route-to-b", "A's route to the wrong CIDR", (s) => (s.a.resource.aws_route["peering_route-1"].destination_cidr_block = "172.16.0.0/16"), "no route to 172.31.0.0/16"],
  ["cidrs-disjoint", "B's VPC moved into A's range", (s) => (s.b.resource.aws_vpc.network_vpc.cidr_block = "10.0.128.0/17"), "10.0.0.0/16 and 10.0.128.0/17 overlap"],
  ["peering-request-target", "a peering request to the wrong account", (s) => (s.a.resource.aws_vpc_peering_connection.peering_connection.peer_owner_id = "999999999999"), "peer_owner_id is 999999999999"],
  ["peering-request-target", "a peering request to another VPC", (s) => (s.a.resource.aws_vpc_peering_connection.peering_connection.peer_vpc_id = "vpc-0123456789abcdef0"), "peer_vpc_id is not B's VPC"],
  ["peering-request-target", "a peering request to another region", (s) => (s.a.resource.aws_vpc_peering_connection.peering_connection.peer_region = "us-east-1"), "peer_region is us-east-1"],
  ["peering-accepted", "B's look-up without the accepter-VPC filter", (s) => {
    const lookup = s.b.data.aws_vpc_peering_connections.peering_requests;
    lookup.filter = lookup.filter.filter((f: any) => f.name !== "accepter-vpc-info.vpc-id");
  }, "does not filter accepter-vpc-info.vpc-id"],
  ["peering-accepted", "B's look-up for another requester account", (s) => (s.b.data.aws_vpc_peering_connections.peering_requests.filter[0].values = ["999999999999"]), "not A's account 111111111111"],
  ["peering-accepted", "no accepter in B", (s) => delete s.b.resource.aws_vpc_peering_connection_accepter, "nothing will accept A's request"],
  ["peering-accepted", "B expecting account-a's request from another region", (s) => (s.b.locals!.peering_requesters["account-a"].region = "us-east-1"), "B expects account-a's request from account 111111111111 in us-east-1, but A is account 111111111111 in ap-northeast-1"],
  ["b-route-to-a", "B's route dropped", (s) => delete s.b.resource.aws_route, "no route to 10.0.0.0/16"],
  ["b-route-to-a", "B routing account-a's key to another CIDR", (s) => (s.b.locals!.peering_requesters["account-a"].cidr = "10.1.0.0/16"), "no route to 10.0.0.0/16"],
  ["phz-name", "the zone renamed", (s) => (s.a.resource.aws_route53_zone["api-dns_zone"].name = "api.example.internal"), 'is named "api.example.internal"'],
  ["phz-name", "the zone not associated with A's VPC", (s) => (s.a.resource.aws_route53_zone["api-dns_zone"].vpc = []), "not associated with A's VPC"],
  ["phz-alias", "the alias pointed at a zonal entry", (s) => (s.a.resource.aws_route53_record["api-dns_alias"].alias.name = "vpce-0123-abcd-apne1-az1.execute-api.ap-northeast-1.vpce.amazonaws.com"), "alias name is not the endpoint's regional DNS name"],
  ["phz-alias", "a CNAME instead of an A alias", (s) => (s.a.resource.aws_route53_record["api-dns_alias"].type = "CNAME"), "type is CNAME"],
  ["endpoint-private-dns", "private DNS turned off", (s) => (s.b.resource.aws_vpc_endpoint["execute-api_endpoint"].private_dns_enabled = false), "private DNS is off"],
  ["endpoint-https-from-a", "the security group narrowed to B's CIDR", (s) => (s.b.variable.allowed_source_cidrs.default = ["172.31.0.0/16"]), "admits 10.0.0.0/16, or any part of it, on TCP 443"],
  ["endpoint-https-from-a", "one subnet of A admitted, the canary's subnets not", (s) => (s.b.variable.allowed_source_cidrs.default = ["172.31.0.0/16", "10.0.5.0/24"]), "admits 10.0.5.0/24 of A's 10.0.0.0/16 on 443, and not the canary's subnets 10.0.0.0/20, 10.0.16.0/20"],
  ["policy-source-ip", "one subnet of A admitted, the canary's subnets not", (s) => (s.b.variable.allowed_source_cidrs.default = ["172.31.0.0/16", "10.0.5.0/24"]), "admits 10.0.5.0/24 of A's 10.0.0.0/16, and not the canary's subnets 10.0.0.0/20, 10.0.16.0/20"],
  ["endpoint-https-from-a", "the security group on port 80", (s) => {
    const rule = s.b.resource.aws_vpc_security_group_ingress_rule["execute-api_https-from-allowed-cidrs"];
    rule.from_port = 80;
    rule.to_port = 80;
  }, "admits 10.0.0.0/16, or any part of it, on TCP 443"],
  ["endpoint-https-from-a", "the security group open to the internet", (s) => (s.b.variable.allowed_source_cidrs.default = ["0.0.0.0/0"]), "admits 0.0.0.0/0"],
  ["endpoint-policy-allows-apis", "the endpoint's policy naming another API", (s) => (s.b.locals!["execute-api_policy-document"].Statement[0].Resource = "arn:aws:execute-api:ap-northeast-1:222222222222:other/*"), "does not list aws_api_gateway_rest_api.rest-api_api"],
  ["api-private-associated", "a regional API", (s) => (s.b.resource.aws_api_gateway_rest_api["rest-api_api"].endpoint_configuration.types = ["REGIONAL"]), "is not PRIVATE"],
  ["api-private-associated", "an API not associated with the endpoint", (s) => (s.b.resource.aws_api_gateway_rest_api["rest-api_api"].endpoint_configuration.vpc_endpoint_ids = []), "is not associated with"],
  ["policy-source-vpce", "the policy names another endpoint", (s) => changeStatement(s, "DenyOtherEndpoints", (st) => (st.Condition.StringNotEquals["aws:SourceVpce"] = "vpce-0aaaaaaaaaaaaaaaa")), "names another endpoint"],
  ["policy-source-vpce", "the policy without the endpoint condition", (s) => changeStatement(s, "DenyOtherEndpoints", (st) => (st.Condition = { StringNotEquals: { "aws:SourceVpc": "vpc-1" } })), "has no Deny on aws:SourceVpce"],
  ["policy-source-ip", "the policy omits A's CIDR", (s) => changeStatement(s, "DenyOtherSourceRanges", (st) => (st.Condition.NotIpAddress["aws:VpcSourceIp"] = ["172.31.0.0/16"])), 'aws:VpcSourceIp ["172.31.0.0/16"] leaves out A\'s 10.0.0.0/16'],
  ["redeploy-on-policy-change", "a deployment that ignores the policy", (s) => {
    const deployment = s.b.resource.aws_api_gateway_deployment["rest-api_deployment"];
    deployment.triggers.redeployment = deployment.triggers.redeployment.replace("local.rest-api_policy-document, ", "");
  }, "its triggers do not hash the policy (local.rest-api_policy-document)"],
  ["redeploy-on-policy-change", "a deployment destroyed before its replacement exists", (s) => delete s.b.resource.aws_api_gateway_deployment["rest-api_deployment"].lifecycle, "not create_before_destroy"],
];

describe("each rule holds for the example stacks and fails when one thing changes", () => {
  test.each(FAILING_CASES)("%s: %s", (id, _, change, message) => {
    // GIVEN the example stacks, where the rule holds
    // (The PetStore is B's one API: a rule about the APIs finds once.)
    const one = (finding: Finding | Finding[]) => [finding].flat()[0];
    expect(one(rule(id).evaluate(modelOf(example))).status).not.toBe("fail");
    // WHEN one thing changes, THEN the rule fails and says what
    const finding = one(rule(id).evaluate(changed(change)));
    expect(finding.status).toBe("fail");
    expect(finding.message).toContain(message);
  });

  test("every rule has a failing case above", () => {
    expect(RULES.map((r) => r.id).filter((id) => !FAILING_CASES.some(([caseId]) => caseId === id))).toEqual([]);
  });
});

describe("the whole path", () => {
  test.each(["config/example.json", "examples/cross-region/config.json", "examples/existing-vpcs/config.json"])("%s: nothing fails; acceptance and B's routes wait for the second deploy", (file) => {
    const project = synthProject(loadConfig(file));
    const results = runPreflight(modelOf(project));
    expect(results.filter((r) => r.status === "fail")).toEqual([]);
    expect(results.filter((r) => r.status === "pending").map((r) => r.id)).toEqual(["peering-accepted", "b-route-to-a"]);
    expect(results.find((r) => r.id === "peering-accepted")!.message).toContain("after second deploy of account-b");
  });

  test("a narrower caller list that admits a part of A, the canary's subnets included, passes and says which part", () => {
    const narrower = synthProject(loadConfig("config/example.json"));
    narrower.b.variable!.allowed_source_cidrs.default = ["172.31.0.0/16", "10.0.0.0/20", "10.0.16.0/20"];
    const results = runPreflight(modelOf(narrower));
    for (const id of ["endpoint-https-from-a", "policy-source-ip"]) {
      expect(results.find((r) => r.id === id)).toMatchObject({ status: "pass", message: expect.stringContaining("10.0.0.0/20, 10.0.16.0/20 of A's 10.0.0.0/16") });
    }
  });

  test("two APIs (one from OpenAPI, one existing): every row that concerns an API names it; what only a plan reads of the existing one waits for it", () => {
    const project = synthProject(loadConfig("examples/existing-api/config.json"));
    const results = runPreflight(modelOf(project));
    expect(results.filter((r) => r.status === "fail")).toEqual([]);
    for (const id of ["phz-name", "phz-alias", "api-private-associated", "policy-source-vpce", "policy-source-ip", "redeploy-on-policy-change"]) {
      for (const api of ["orders", "ledger"]) {
        const row = results.find((r) => r.id === `${id}[${api}]`);
        expect(row?.message).toMatch(new RegExp(`^API ${api}: `));
      }
    }
    expect(results.filter((r) => r.status === "pending").map((r) => r.id).sort()).toEqual([
      // The existing endpoint's policy is its owner's: read at plan time, then checked for each API.
      "api-private-associated[ledger]", "b-route-to-a", "endpoint-policy-allows-apis", "peering-accepted",
      "policy-source-ip[ledger]", "policy-source-vpce[ledger]", "redeploy-on-policy-change[ledger]",
    ].sort());
    expect(results.find((r) => r.id === "policy-source-ip[ledger]")!.message).toContain("its owner's resource policy is read at plan time (npm run preflight -- --plan, or npm run doctor)");
  });

  test("rules are listed in path order, each with a fix", () => {
    expect(RULES.map((r) => r.hop)).toEqual([...RULES.map((r) => r.hop)].sort());
    for (const r of RULES) expect(r.fix.length).toBeGreaterThan(20);
  });
});

describe("existing VPCs: the route table each configured subnet really uses, as a plan reads it", () => {
  const fixture = loadConfig("examples/existing-vpcs/config.json");
  const project = synthProject(fixture);
  /** Plans of both stacks, each stack's subnet look-ups answering `tables` (look-up address → ids), A's request accepted by B. */
  const plans = (aTables: Record<string, string[]>, bTables: Record<string, string[]>): ProjectModel => {
    const known = (tables: Record<string, string[]>, cidr: string) => ({
      "data.aws_vpc.network_existing-vpc": { cidr_block: cidr },
      ...Object.fromEntries(Object.entries(tables).map(([address, ids]) => [address, { ids }])),
    });
    const accepted = {
      "aws_vpc_peering_connection_accepter.peering_accepter": [{ key: "account-a", vpc_peering_connection_id: "pcx-1" }],
      ...Object.fromEntries(fixture.accountB.existingVpc!.routeTableIds.map((_, i) => [`aws_route.peering_route-${i + 1}`, [{ key: "account-a", vpc_peering_connection_id: "pcx-1", destination_cidr_block: "10.0.0.0/16" }]])),
    };
    return {
      a: stackFromPlan("account-a", planOf(project.a, known(aTables, fixture.accountA.vpcCidr))),
      b: stackFromPlan("account-b", planOf(project.b, known(bTables, fixture.accountB.vpcCidr), accepted)),
    };
  };
  const lookup = (n: number) => `data.aws_route_tables.network_existing-subnet-${n}-route-table`;
  const main = "data.aws_route_tables.network_existing-vpc-main-route-table";

  test("synthesized: the rule says each subnet's table is checked when planning", () => {
    expect(rule("a-route-to-b").evaluate(modelOf(project))).toMatchObject({ status: "pass", message: expect.stringContaining("the table each client subnet uses is checked when planning") });
  });

  test("subnets on listed tables (one through the VPC's main table): both routes pass and name each subnet's table", () => {
    const model = plans(
      { [lookup(1)]: ["rtb-0a0a0a0a0a0a0a0a1"], [lookup(2)]: [], [main]: ["rtb-0a0a0a0a0a0a0a0a2"] },
      { [lookup(1)]: ["rtb-0b0b0b0b0b0b0b0b1"], [lookup(2)]: ["rtb-0b0b0b0b0b0b0b0b2"] },
    );
    expect(rule("a-route-to-b").evaluate(model)).toEqual({
      status: "pass",
      message: "2 route table(s) route 172.31.0.0/16 through aws_vpc_peering_connection.peering_connection; the client subnets use rtb-0a0a0a0a0a0a0a0a1 (subnet-0a0a0a0a0a0a0a0a1), rtb-0a0a0a0a0a0a0a0a2 (main) (subnet-0a0a0a0a0a0a0a0a2)",
    });
    expect(rule("b-route-to-a").evaluate(model)).toEqual({
      status: "pass",
      message: "2 route table(s) route 10.0.0.0/16 through the peering; the endpoint subnets use rtb-0b0b0b0b0b0b0b0b1 (subnet-0b0b0b0b0b0b0b0b1), rtb-0b0b0b0b0b0b0b0b2 (subnet-0b0b0b0b0b0b0b0b2)",
    });
  });

  test("a client subnet on the VPC's main table, which is not listed, fails a-route-to-b naming the subnet and its table", () => {
    const model = plans({ [lookup(1)]: ["rtb-0a0a0a0a0a0a0a0a1"], [lookup(2)]: [], [main]: ["rtb-0a0a0a0a0a0a0a0a9"] }, {});
    expect(rule("a-route-to-b").evaluate(model)).toEqual({
      status: "fail",
      message: "client subnets use route tables without the route to 172.31.0.0/16: subnet-0a0a0a0a0a0a0a0a2 uses rtb-0a0a0a0a0a0a0a0a9 (the VPC's main route table).",
    });
  });

  test("an endpoint subnet associated with another table fails b-route-to-a naming the subnet and its table", () => {
    const model = plans({}, { [lookup(1)]: ["rtb-0b0b0b0b0b0b0b0b8"], [lookup(2)]: ["rtb-0b0b0b0b0b0b0b0b2"] });
    expect(rule("b-route-to-a").evaluate(model)).toEqual({
      status: "fail",
      message: "endpoint subnets use route tables that get no route to 10.0.0.0/16: subnet-0b0b0b0b0b0b0b0b1 uses rtb-0b0b0b0b0b0b0b0b8.",
    });
  });
});
