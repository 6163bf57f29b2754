import { doctorReport } from "../../lib/doctor/doctor-report";
import { stackFromSynth } from "../../lib/preflight/model";
import { synthProject } from "../helpers/project";

const project = synthProject();
const model = { a: stackFromSynth("account-a", project.a), b: stackFromSynth("account-b", project.b) };
const resource = (address: string, values: Record<string, unknown>, index?: string) => {
  const [type, name] = address.split(".");
  return { mode: "managed", type, name, index, values };
};
const state = (resources: unknown[], checks: unknown[] = []) => ({ values: { root_module: { resources } }, checks });
const check = (name: string, status: string, message?: string) => ({
  address: { kind: "check", name },
  status,
  instances: [{ status, problems: message ? [{ message }] : [] }],
});

describe("the doctor's report", () => {
  // GIVEN B as deployed: A's request accepted and routed, keyed by consumer
  const b = state(
    [
      resource("aws_vpc_peering_connection_accepter.peering_accepter", { id: "pcx-1", vpc_peering_connection_id: "pcx-1", accept_status: "active" }, "account-a"),
      resource("aws_route.peering_route-1", { destination_cidr_block: "10.0.0.0/16", vpc_peering_connection_id: "pcx-1", route_table_id: "rtb-b" }, "account-a"),
    ],
    [check("peering_accepted", "pass"), check("endpoint_available", "fail", "The execute-api endpoint vpce-1 is pending: ..."), check("no_expired_requests", "unknown")],
  );
  const a = state([], [check("peering_active", "pass"), check("canary_reaches_api", "error", "reading Lambda Invocation: AccessDeniedException")]);
  const rows = doctorReport(model, { stack: "account-a", json: a }, { stack: "account-b", json: b });
  const row = (id: string) => rows.find((r) => r.id === id)!;

  test("the acceptance and B's routes hold on the deployed stacks: no longer pending", () => {
    expect(row("peering-accepted")).toMatchObject({ status: "pass", message: expect.stringContaining('aws_vpc_peering_connection_accepter.peering_accepter["account-a"] accepts pcx-1') });
    expect(row("b-route-to-a")).toMatchObject({ status: "pass" });
  });

  test("each check block becomes a row of its hop, named by stack, with the fix when it fails", () => {
    expect(row("account-b:peering_accepted")).toMatchObject({ hop: "3 Peering", status: "pass", fix: "" });
    expect(row("account-b:endpoint_available")).toMatchObject({
      hop: "6 B: endpoint",
      status: "fail",
      message: "B's execute-api endpoint is available with private DNS on: The execute-api endpoint vpce-1 is pending: ...",
      fix: expect.stringContaining("Wait while it is pending"),
    });
    expect(row("account-b:no_expired_requests")).toMatchObject({ status: "pending", message: expect.stringContaining("not evaluated") });
    expect(row("account-a:canary_reaches_api")).toMatchObject({ status: "fail", message: expect.stringContaining("could not be read: reading Lambda Invocation: AccessDeniedException") });
  });

  test("rows come in the order of the path, preflight's hops first within a hop", () => {
    const hops = rows.map((r) => r.hop);
    expect(hops).toEqual([...hops].sort());
    expect(rows.findIndex((r) => r.id === "peering-accepted")).toBeLessThan(rows.findIndex((r) => r.id === "account-b:peering_accepted"));
  });

  test("without the consumer's instances, B's acceptance is still pending", () => {
    const undeployed = doctorReport(model, { stack: "account-a", json: state([]) }, { stack: "account-b", json: state([]) });
    expect(undeployed.find((r) => r.id === "peering-accepted")!.status).toBe("pending");
  });
});

describe("the doctor's report of what changed outside Terraform", () => {
  const project = synthProject();
  const model = { a: stackFromSynth("account-a", project.a), b: stackFromSynth("account-b", project.b) };
  const routeDeleted = {
    values: { root_module: { resources: [] } },
    resource_drift: [{ address: 'aws_route.peering_route-1["account-a"]', mode: "managed", type: "aws_route", change: { actions: ["delete"], before: { destination_cidr_block: "10.0.0.0/16" }, after: null } }],
    configuration: { root_module: { resources: [{ address: "aws_route.peering_route-1", expressions: { destination_cidr_block: {} } }] } },
  };

  test("a route deleted outside Terraform fails its hop, named, with the fix; its rule is not shown as pending", () => {
    // GIVEN B's refresh-only plan: the accepted peering's route to A is gone
    const rows = doctorReport(model, { stack: "account-a", json: { values: { root_module: { resources: [] } } } }, { stack: "account-b", json: routeDeleted });
    // THEN
    expect(rows.find((r) => r.id === 'account-b:drift:aws_route.peering_route-1["account-a"]')).toEqual({
      id: 'account-b:drift:aws_route.peering_route-1["account-a"]',
      hop: "4 B: routes",
      status: "fail",
      message: 'aws_route.peering_route-1["account-a"] was deleted outside Terraform (a refresh-only plan of account-b shows it)',
      fix: "Deploy account-b to put it back as configured (npm run deploy deploys every stack); if the change was meant, make it in the configuration instead.",
    });
    expect(rows.filter((r) => r.hop === "4 B: routes" && r.status === "pending")).toEqual([]);
  });

  test("B's drift of another consumer's route is not shown in this consumer's report", () => {
    const other = { ...routeDeleted, resource_drift: [{ ...routeDeleted.resource_drift[0], address: 'aws_route.peering_route-1["consumer-x"]' }] };
    const rows = doctorReport(model, { stack: "account-a", json: {} }, { stack: "account-b", json: other });
    expect(rows.filter((r) => r.id.includes(":drift:"))).toEqual([]);
  });

  test("B's endpoint rule for A's CIDR revoked by hand: its drift row in A's report, and the rule that reads it says deploy first", () => {
    // GIVEN B's refresh-only plan: the ingress rule keyed by A's CIDR is gone
    const revoked = {
      values: {
        root_module: {
          resources: [
            resource("aws_vpc_endpoint.execute-api_endpoint", { id: "vpce-1", security_group_ids: ["sg-1"], private_dns_enabled: true }),
            resource("aws_vpc_security_group_ingress_rule.execute-api_https-from-allowed-cidrs", { security_group_id: "sg-1", cidr_ipv4: "172.31.0.0/16", ip_protocol: "tcp", from_port: 443, to_port: 443 }, "172.31.0.0/16"),
          ],
        },
      },
      resource_drift: [{ address: 'aws_vpc_security_group_ingress_rule.execute-api_https-from-allowed-cidrs["10.0.0.0/16"]', mode: "managed", type: "aws_vpc_security_group_ingress_rule", change: { actions: ["delete"], before: { cidr_ipv4: "10.0.0.0/16" }, after: null } }],
    };
    // WHEN
    const rows = doctorReport(model, { stack: "account-a", json: {} }, { stack: "account-b", json: revoked });
    // THEN the deletion is shown, with the deploy that undoes it
    expect(rows.find((r) => r.id.startsWith("account-b:drift:aws_vpc_security_group_ingress_rule."))).toMatchObject({ hop: "6 B: endpoint", status: "fail", fix: expect.stringMatching(/^Deploy account-b /) });
    // AND the rule that finds no rule admitting A points at that deploy before any configuration change
    expect(rows.find((r) => r.id === "endpoint-https-from-a")).toMatchObject({
      status: "fail",
      fix: expect.stringMatching(/^Deploy account-b first: aws_vpc_security_group_ingress_rule\.execute-api_https-from-allowed-cidrs\["10\.0\.0\.0\/16"\] changed outside Terraform on this hop \(see its row\), which this check may be failing for\. If it still fails after the deploy: Add A's CIDR/),
    });
  });

  test("B's endpoint rule for another consumer's CIDR revoked by hand is not on this consumer's path: not in its report; a range that covers its CIDR is", () => {
    // GIVEN B's refresh-only plan: the rules for another consumer's 10.9.0.0/16, for 10.0.0.0/8 (A's 10.0.0.0/16 within it) and for 10.0.3.0/24 (within A's) are gone
    const gone = (cidr: string) => ({ address: `aws_vpc_security_group_ingress_rule.execute-api_https-from-allowed-cidrs["${cidr}"]`, mode: "managed", type: "aws_vpc_security_group_ingress_rule", change: { actions: ["delete"], before: { cidr_ipv4: cidr }, after: null } });
    const b = { values: { root_module: { resources: [] } }, resource_drift: [gone("10.9.0.0/16"), gone("10.0.0.0/8"), gone("10.0.3.0/24")] };
    // WHEN account-a's report is made
    const rows = doctorReport(model, { stack: "account-a", json: {} }, { stack: "account-b", json: b });
    // THEN only the ranges that share addresses with A's VPC show: the one around it, and the one of its subnets
    expect(rows.filter((r) => r.id.includes(":drift:")).map((r) => r.id)).toEqual([
      'account-b:drift:aws_vpc_security_group_ingress_rule.execute-api_https-from-allowed-cidrs["10.0.0.0/8"]',
      'account-b:drift:aws_vpc_security_group_ingress_rule.execute-api_https-from-allowed-cidrs["10.0.3.0/24"]',
    ]);
  });

  test("a consumer B left unaccepted among several requests fails acceptance and B's route, naming the requests", () => {
    const b = { values: { root_module: { resources: [] }, outputs: { ambiguous_peering_requests: { value: { "account-a": ["pcx-1", "pcx-2"] } } } } };
    const rows = doctorReport(model, { stack: "account-a", json: {} }, { stack: "account-b", json: b });
    for (const id of ["peering-accepted", "b-route-to-a"]) {
      expect(rows.find((r) => r.id === id)).toMatchObject({ status: "fail", message: expect.stringContaining("(pcx-1, pcx-2), so it accepts none of them"), fix: expect.stringContaining("existingVpc.vpcId") });
    }
  });

  test("a failing account-b check about another consumer passes in this consumer's report", () => {
    const b = { values: { root_module: { resources: [] } }, checks: [check("peering_unambiguous", "fail", "consumer-x is not accepted: account 4 has 2 peering requests ...")] };
    const rows = doctorReport(model, { stack: "account-a", json: {} }, { stack: "account-b", json: b });
    expect(rows.find((r) => r.id === "account-b:peering_unambiguous")).toMatchObject({ status: "pass", message: expect.stringContaining("holds for account-a (it fails for another consumer)") });
  });

  test("a workspace that turned the canary's check off (canary_check = false) is told so, not passed", () => {
    const off = { ...state([]), variables: { canary_check: { value: false } } };
    const report = doctorReport(model, { stack: "account-a", json: off }, { stack: "account-b", json: state([]) });
    expect(report.find((r) => r.id === "account-a:canary_check")).toMatchObject({ hop: "8 End to end", status: "pending", message: expect.stringContaining("canary_check = false") });
  });
});
