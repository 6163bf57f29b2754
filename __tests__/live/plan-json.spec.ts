import { canaryResults, checkBlockResults, describeDrift, driftOf, liveResources, proposedChanges } from "../../lib/live/plan-json";

const check = (name: string, status: string, messages: string[] = []) => ({
  address: { kind: "check", name, to_display: `check.${name}` },
  status,
  instances: [{ address: { to_display: `check.${name}` }, status, problems: messages.map((message) => ({ message })) }],
});

describe("reading terraform show -json", () => {
  test("check blocks only (not resources' conditions), with their status and problems", () => {
    const json = {
      checks: [
        check("peering_active", "fail", ["The peering request pcx-1 is expired: ..."]),
        check("endpoint_available", "pass"),
        check("canary_reaches_api", "unknown"),
        { address: { kind: "resource", name: "x", to_display: "aws_subnet.x" }, status: "fail", instances: [] },
        check("peering_accepted", "something-new"),
      ],
    };
    expect(checkBlockResults(json)).toEqual([
      { name: "peering_active", status: "fail", problems: ["The peering request pcx-1 is expired: ..."] },
      { name: "endpoint_available", status: "pass", problems: [] },
      { name: "canary_reaches_api", status: "unknown", problems: [] },
      { name: "peering_accepted", status: "unknown", problems: [] },
    ]);
    expect(checkBlockResults({})).toEqual([]);
  });

  test("the resources as last read: a plan's prior state, a state's values, child modules included", () => {
    const resource = { mode: "managed", type: "aws_vpc", name: "network_vpc", values: { id: "vpc-1" } };
    expect(liveResources({ prior_state: { values: { root_module: { resources: [resource] } } } })).toEqual([resource]);
    expect(liveResources({ values: { root_module: { child_modules: [{ resources: [resource] }] } } })).toEqual([resource]);
  });

  test("a plan's drift: deleted resources, changed attributes; not routes the stack's own aws_route resources account for, nor null read back as {}", () => {
    const plan = {
      prior_state: { values: { root_module: { resources: [
        { mode: "managed", type: "aws_route", name: "r", index: "account-a", values: { route_table_id: "rtb-1", destination_cidr_block: "10.0.0.0/16" } },
      ] } } },
      resource_drift: [
        { address: "aws_route_table.network_private", mode: "managed", type: "aws_route_table", change: { actions: ["update"], before: { id: "rtb-1", route: [], tags: { Name: "x" } }, after: { id: "rtb-1", route: [{ cidr_block: "10.0.0.0/16" }], tags: { Name: "x" } } } },
        { address: "aws_security_group.endpoint", mode: "managed", type: "aws_security_group", change: { actions: ["update"], before: { tags: { Name: "x" }, description: "d" }, after: { tags: { Name: "y" }, description: "d" } } },
        { address: "aws_api_gateway_method.m", mode: "managed", type: "aws_api_gateway_method", change: { actions: ["update"], before: { request_parameters: null }, after: { request_parameters: {} } } },
        { address: 'aws_route.r["account-a"]', mode: "managed", type: "aws_route", change: { actions: ["delete"], before: {}, after: null } },
      ],
    };
    const drift = driftOf(plan);
    expect(drift.map((d) => [d.address, d.change])).toEqual([["aws_security_group.endpoint", "changed"], ['aws_route.r["account-a"]', "deleted"]]);
    expect(describeDrift(drift[0])).toBe('aws_security_group.endpoint was changed outside Terraform: tags {"Name":"x"} -> {"Name":"y"}');
    expect(proposedChanges({ resource_changes: [{ address: "data.x.y", mode: "data", change: { actions: ["read"] } }, { address: "aws_vpc.v", mode: "managed", change: { actions: ["update"] } }] })).toEqual([{ address: "aws_vpc.v", actions: ["update"] }]);
  });

  test("the canary's results, from its check's data source; none when it has not run or answered something else", () => {
    const invocation = (result: unknown) => ({ values: { root_module: { resources: [{ mode: "data", type: "aws_lambda_invocation", name: "canary", values: { result } }] } } });
    expect(canaryResults(invocation('{"ok":true,"results":[{"method":"private-dns","url":"https://x","ok":true,"status":200,"ms":3}]}'))).toEqual([
      { method: "private-dns", url: "https://x", ok: true, status: 200, ms: 3 },
    ]);
    expect(canaryResults(invocation("not json"))).toBeUndefined();
    expect(canaryResults(invocation('{"errorMessage":"Task timed out"}'))).toBeUndefined();
    expect(canaryResults({})).toBeUndefined();
  });
});
