import { mkdtempSync, writeFileSync } from "fs";
import { tmpdir } from "os";
import * as path from "path";
import { modelsFromPlans, runPreflight } from "../../lib/preflight/run-preflight";
import { planOf } from "../helpers/plan";
import { config } from "../helpers/example";
import { synthProject } from "../helpers/project";

// What account-b's first apply created, as its later plans know it.
const B_IDS = {
  "aws_vpc.network_vpc": { id: "vpc-0bbbbbbbbbbbbbbbb" },
  "aws_vpc_endpoint.execute-api_endpoint": {
    id: "vpce-0b1c2d3e4f5a6b7c8",
    dns_entry: [{ dns_name: "vpce-0b1c2d3e4f5a6b7c8-x1.execute-api.ap-northeast-1.vpce.amazonaws.com", hosted_zone_id: "Z2E726K9Y6RL4W" }],
  },
  "aws_api_gateway_rest_api.rest-api_api": { id: "a1b2c3d4e5", execution_arn: "arn:aws:execute-api:ap-northeast-1:222222222222:a1b2c3d4e5" },
  "aws_security_group.execute-api_security-group": { id: "sg-0b0b0b0b0b0b0b0b0" },
};

function writePlans(accepted: boolean): { a: string; b: string } {
  const project = synthProject(config());
  const b = planOf(project.b, B_IDS, accepted
    ? {
        // Keyed by consumer, as B plans them.
        "aws_vpc_peering_connection_accepter.peering_accepter": [{ key: "account-a", vpc_peering_connection_id: "pcx-0a1b2c3d4e5f6a7b8" }],
        "aws_route.peering_route-1": [{ key: "account-a", vpc_peering_connection_id: "pcx-0a1b2c3d4e5f6a7b8", destination_cidr_block: "10.0.0.0/16" }],
      }
    : {});
  // A reads B's outputs from B's state: known values in A's plan.
  const remote = Object.fromEntries(Object.entries<any>(b.planned_values.outputs).map(([k, v]) => [k, v.value]));
  const a = planOf(project.a, { "data.terraform_remote_state.cross-stack-reference-input-account-b": { outputs: remote } });
  const dir = mkdtempSync(path.join(tmpdir(), "plans-"));
  writeFileSync(path.join(dir, "a.json"), JSON.stringify(a));
  writeFileSync(path.join(dir, "b.json"), JSON.stringify(b));
  return { a: path.join(dir, "a.json"), b: path.join(dir, "b.json") };
}

describe("preflight on plan JSON (terraform show -json)", () => {
  test("A's plan after B's first deploy: the path is right, acceptance and B's routes are pending", () => {
    const files = writePlans(false);
    const results = runPreflight(modelsFromPlans({ "account-a": files.a, "account-b": files.b })[0]);
    expect(results.filter((r) => r.status === "fail")).toEqual([]);
    expect(results.filter((r) => r.status === "pending").map((r) => r.id)).toEqual(["peering-accepted", "b-route-to-a"]);
  });

  test("B's second plan accepts A's request: every check passes", () => {
    const files = writePlans(true);
    const results = runPreflight(modelsFromPlans({ "account-a": files.a, "account-b": files.b })[0]);
    expect(results.map((r) => [r.id, r.status]).filter(([, status]) => status !== "pass")).toEqual([]);
    expect(results.find((r) => r.id === "peering-accepted")!.message).toContain("pcx-0a1b2c3d4e5f6a7b8");
  });
});
