import { mkdtempSync, writeFileSync } from "fs";
import { tmpdir } from "os";
import * as path from "path";
import { drift, driftReport, StackDrift, stackDrift } from "../../lib/drift/run-drift";
import { describeDrift } from "../../lib/live/plan-json";

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

  describe("what changed outside Terraform on resources whose rules and routes other resources own", () => {
    // GIVEN B's endpoint security group and its route table, deployed by the stacks, with their
    // own rule and route resources, as a refresh-only plan reads them after someone added a rule
    // opening 443 to the internet and a route to an internet gateway by hand
    const ownRule = { address: 'aws_vpc_security_group_ingress_rule.execute-api_https-from-allowed-cidrs["10.0.0.0/16"]', mode: "managed", type: "aws_vpc_security_group_ingress_rule", name: "execute-api_https-from-allowed-cidrs", index: "10.0.0.0/16", values: { security_group_id: "sg-1", cidr_ipv4: "10.0.0.0/16", ip_protocol: "tcp", from_port: 443, to_port: 443 } };
    const ownRoute = { address: 'aws_route.peering_route-1["account-a"]', mode: "managed", type: "aws_route", name: "peering_route-1", index: "account-a", values: { route_table_id: "rtb-1", destination_cidr_block: "10.0.0.0/16", vpc_peering_connection_id: "pcx-1" } };
    const ingress = (cidr: string) => ({ cidr_blocks: [cidr], description: "", from_port: 443, to_port: 443, protocol: "tcp", ipv6_cidr_blocks: [], prefix_list_ids: [], security_groups: [], self: false });
    const route = (cidr: string, target: Record<string, string>) => ({ cidr_block: cidr, gateway_id: "", vpc_peering_connection_id: "", nat_gateway_id: "", ...target });
    const plan = (extraIngress: unknown[], extraRoutes: unknown[]) => ({
      prior_state: { values: { root_module: { resources: [
        ownRule,
        ownRoute,
        { address: "aws_security_group.execute-api_security-group", mode: "managed", type: "aws_security_group", name: "execute-api_security-group", values: { id: "sg-1", ingress: [ingress("10.0.0.0/16"), ...extraIngress], egress: [] } },
        { address: "aws_route_table.network_private", mode: "managed", type: "aws_route_table", name: "network_private", values: { id: "rtb-1", route: [route("10.0.0.0/16", { vpc_peering_connection_id: "pcx-1" }), ...extraRoutes] } },
      ] } } },
      resource_drift: [
        { address: "aws_security_group.execute-api_security-group", mode: "managed", type: "aws_security_group", change: { actions: ["update"], before: { id: "sg-1", ingress: [], egress: [] }, after: { id: "sg-1", ingress: [ingress("10.0.0.0/16"), ...extraIngress], egress: [] } } },
        { address: "aws_route_table.network_private", mode: "managed", type: "aws_route_table", change: { actions: ["update"], before: { id: "rtb-1", route: [] }, after: { id: "rtb-1", route: [route("10.0.0.0/16", { vpc_peering_connection_id: "pcx-1" }), ...extraRoutes] } } },
      ],
      configuration: { root_module: { resources: [
        { address: "aws_security_group.execute-api_security-group", expressions: { description: {}, vpc_id: {} } },
        { address: "aws_route_table.network_private", expressions: { vpc_id: {} } },
      ] } },
    });

    test("a rule and a route that the stacks' own rule and route resources account for are not drift", () => {
      expect(stackDrift("account-b", plan([], []))).toMatchObject({ status: "no-changes", drift: [] });
    });

    test("a rule opening 443 to 0.0.0.0/0 and a route to an internet gateway added by hand are drift, named, with how to remove them", () => {
      const drifted = stackDrift("account-b", plan([ingress("0.0.0.0/0")], [route("0.0.0.0/0", { gateway_id: "igw-1" })]));
      expect(drifted.status).toBe("drifted");
      expect(drifted.drift.map(describeDrift)).toEqual([
        "aws_security_group.execute-api_security-group was changed outside Terraform: ingress rule added: tcp 443 from 0.0.0.0/0 (remove it: aws ec2 revoke-security-group-ingress --group-id sg-1 --protocol tcp --port 443 --cidr 0.0.0.0/0; a deploy does not remove rules this stack does not own)",
        "aws_route_table.network_private was changed outside Terraform: route added: 0.0.0.0/0 -> igw-1 (remove it: aws ec2 delete-route --route-table-id rtb-1 --destination-cidr-block 0.0.0.0/0; a deploy does not remove routes this stack does not own)",
      ]);
    });

    test("every other attribute changed outside Terraform is drift, set by the configuration or not; known noise is named and skipped", () => {
      const base = plan([], []);
      const drifted = stackDrift("account-b", {
        ...base,
        resource_drift: [
          ...base.resource_drift,
          // Not set by the configuration: a tag added by hand (the deploy removes it).
          { address: "aws_vpc.network_vpc", mode: "managed", type: "aws_vpc", change: { actions: ["update"], before: { tags_all: { Name: "b" } }, after: { tags_all: { Name: "b", Owner: "someone" } } } },
          // Known noise: a request's status once B accepts it.
          { address: "aws_vpc_peering_connection.peering_connection", mode: "managed", type: "aws_vpc_peering_connection", change: { actions: ["update"], before: { accept_status: "pending-acceptance" }, after: { accept_status: "active" } } },
        ],
      });
      expect(drifted.drift.map(describeDrift)).toEqual(['aws_vpc.network_vpc was changed outside Terraform: tags_all {"Name":"b"} -> {"Name":"b","Owner":"someone"}']);
    });
  });

  test("a role's inline policy of the stack's own aws_iam_role_policy is not drift; one added by hand is, with how to remove it", () => {
    const role = (inline: unknown[]) => ({
      prior_state: { values: { root_module: { resources: [
        { mode: "managed", type: "aws_iam_role_policy", name: "canary_permissions", values: { role: "canary-role", name: "network-interfaces-and-own-logs", policy: "{}" } },
      ] } } },
      resource_drift: [{ address: "aws_iam_role.canary_role", mode: "managed", type: "aws_iam_role", change: { actions: ["update"], before: { id: "canary-role", inline_policy: [] }, after: { id: "canary-role", inline_policy: inline } } }],
    });
    expect(stackDrift("account-a", role([{ name: "network-interfaces-and-own-logs", policy: "{}" }]))).toMatchObject({ status: "no-changes" });
    expect(stackDrift("account-a", role([{ name: "network-interfaces-and-own-logs", policy: "{}" }, { name: "admin", policy: "{}" }])).drift.map(describeDrift)).toEqual([
      "aws_iam_role.canary_role was changed outside Terraform: inline policy added: admin (remove it: aws iam delete-role-policy --role-name canary-role --policy-name admin; a deploy does not remove inline policies this stack does not own)",
    ]);
  });
});
