import { mkdtempSync, writeFileSync } from "fs";
import { tmpdir } from "os";
import * as path from "path";
import { drift, driftReport, StackDrift, stackDrift } from "../../lib/drift/run-drift";

const badConfig = () => {
  const file = path.join(mkdtempSync(path.join(tmpdir(), "drift-")), "bad.json");
  writeFileSync(file, JSON.stringify({ accountA: { accountId: "1" } }));
  return file;
};

describe("npm run drift", () => {
  test("--help: the usage on stdout, exit 0", async () => {
    const run = await drift(["--help"], {});
    expect(run).toMatchObject({ code: 0, stderr: "" });
    expect(run.stdout).toMatch(/^usage: npm run -s drift -- \[--json\] \[<stack> \.\.\.\]/);
  });

  test("--help names every status a stack can have, unreadable included", async () => {
    const { stdout } = await drift(["--help"], {});
    expect(stdout).toContain("status: no-changes | changes | drifted (something changed outside Terraform) | not-deployed | unreadable");
  });

  test("one line per stack, always: a stack that could not be read is a line beside the others, and the exit code is 2", () => {
    // GIVEN account-b read with no change, and account-a unreadable (no credentials for its account)
    const stacks: StackDrift[] = [
      stackDrift("account-b", {}),
      { stack: "account-a", status: "unreadable", changes: [], drift: [], problem: "account-a (account 111111111111): no usable AWS credentials for this account: set AWS_PROFILE or accountA.credentials, or log in, then run it again (terraform plan: No valid credential sources found)." },
    ];
    // WHEN the report is printed for people
    const run = driftReport(stacks, false);
    // THEN
    expect(run).toEqual({
      code: 2,
      stdout: "account-b: no changes\naccount-a: unreadable (account 111111111111): no usable AWS credentials for this account: set AWS_PROFILE or accountA.credentials, or log in, then run it again (terraform plan: No valid credential sources found).\n",
      stderr: "drift: could not read 1 of 2 stacks (account-a): exit 2, could not check\n",
    });
    // AND --json holds the same stacks, and the problem
    const json = JSON.parse(driftReport(stacks, true).stdout);
    expect(json.stacks.map((s: StackDrift) => s.status)).toEqual(["no-changes", "unreadable"]);
    expect(json.problems).toEqual([stacks[1].problem]);
  });

  test("nothing deployed: a line per stack, and exit 2 with what to do", () => {
    const stacks: StackDrift[] = ["account-b", "account-a"].map((stack) => ({ stack, status: "not-deployed", changes: [], drift: [], problem: `${stack}: not deployed` }));
    expect(driftReport(stacks, false)).toEqual({
      code: 2,
      stdout: "account-b: not deployed: deploying creates it\naccount-a: not deployed: deploying creates it\n",
      stderr: "drift: no stack of this configuration is deployed (wrong credentials or backend?): run npm run deploy first.\n",
    });
  });

  test("an unknown option: exit 2 and the usage line", async () => {
    const run = await drift(["--everything"], {});
    expect(run).toEqual({ code: 2, stdout: "", stderr: 'drift: unknown option "--everything"; usage: npm run -s drift -- [--json] [<stack> ...]\n' });
  });

  test("a bad configuration with --json: exit 2, and still one JSON document on stdout", async () => {
    const run = await drift(["--json"], { CONFIG_FILE: badConfig() });
    expect(run.code).toBe(2);
    const json = JSON.parse(run.stdout);
    expect(json.stacks).toEqual([]);
    expect(json.problems[0]).toMatch(/^drift: invalid configuration .*bad\.json: \d+ problems/);
  });

  test("a stack the configuration does not have: exit 2, naming the ones it has", async () => {
    const run = await drift(["account-c"], {});
    expect(run).toMatchObject({ code: 2, stderr: "drift: no stack account-c in this configuration; expected account-b, account-a\n" });
  });

  test("a plan with only the check blocks' reads is no change; a route deleted outside Terraform is drift", () => {
    const plan = {
      resource_changes: [
        { address: "data.aws_lambda_invocation.canary", mode: "data", change: { actions: ["read"] }, action_reason: "read_because_check_nested" },
        { address: "aws_vpc.network_vpc", mode: "managed", change: { actions: ["no-op"] } },
      ],
      configuration: { root_module: { resources: [{ address: "aws_route.peering_route-1", expressions: { destination_cidr_block: {} } }] } },
    };
    expect(stackDrift("account-b", plan)).toEqual({ stack: "account-b", status: "no-changes", changes: [], drift: [] });
    const drifted = stackDrift("account-b", { ...plan, resource_drift: [{ address: 'aws_route.peering_route-1["account-a"]', mode: "managed", type: "aws_route", change: { actions: ["delete"], before: {}, after: null } }] });
    expect(drifted).toMatchObject({ status: "drifted", drift: [{ address: 'aws_route.peering_route-1["account-a"]', change: "deleted" }] });
  });
});
