import { mkdirSync, mkdtempSync, writeFileSync } from "fs";
import { tmpdir } from "os";
import * as path from "path";
import { preflight } from "../../lib/preflight/run-preflight-command";
import { loadConfig } from "../../lib/config/load-config";
import { planOf } from "../helpers/plan";
import { synthProject } from "../helpers/project";

/** A directory laid out like cdktf.out holding the example stacks, changed by `change`. */
function stacksDir(change: (b: any) => void = () => undefined): string {
  const { a, b } = synthProject();
  change(b);
  const dir = mkdtempSync(path.join(tmpdir(), "preflight-"));
  for (const [name, json] of [["account-a", a], ["account-b", b]] as const) {
    mkdirSync(path.join(dir, "stacks", name), { recursive: true });
    writeFileSync(path.join(dir, "stacks", name, "cdk.tf.json"), JSON.stringify(json));
  }
  return dir;
}

describe("npm run preflight", () => {
  test("--stacks --json: every check as {id, hop, status, message, fix}; exit 0 when none fails", () => {
    const run = preflight(["--stacks", stacksDir(), "--json"]);
    expect(run.code).toBe(0);
    const { checks } = JSON.parse(run.stdout);
    expect(checks).toHaveLength(15);
    for (const check of checks) {
      expect(Object.keys(check)).toEqual(["id", "hop", "status", "message", "fix"]);
      expect(["pass", "pending"]).toContain(check.status);
    }
  });

  test("a failing check exits 1 and the table says what to change", () => {
    const run = preflight(["--stacks", stacksDir((b) => (b.resource.aws_vpc_endpoint["execute-api_endpoint"].private_dns_enabled = false))]);
    expect(run.code).toBe(1);
    expect(run.stdout).toContain("| 6 B: endpoint | `endpoint-private-dns` | FAIL |");
    expect(run.stdout).toContain("Fix: Give B an aws_vpc_endpoint for com.amazonaws.<accountB.region>.execute-api");
    expect(run.stdout).toContain("12 passed, 1 failed, 2 pending");
  });

  test.each([
    [["--plan", "account-a=a.json"], "--plan needs account-b=<file> and at least one consumer's, such as account-a=<file>"],
    [["--stacks"], "--stacks needs a directory laid out like cdktf.out"],
    [["--plan"], "--plan needs <stack>=<file>, such as account-b=b.json"],
    [["--verbose"], 'unknown option "--verbose"'],
  ])("bad usage %j exits 2 with one line", (argv, message) => {
    const run = preflight(argv);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain(message);
    expect(run.stderr.trim().split("\n")).toHaveLength(1);
  });

  test.each<[string, unknown, string]>([
    ["an empty object", {}, "an empty JSON object"],
    ["the JSON of a state", { format_version: "1.0", terraform_version: "1.11.4", values: { root_module: { resources: [] } } }, "the JSON of a state (terraform show -json without a plan file)"],
    ["a state file", { version: 4, terraform_version: "1.11.4", serial: 3, lineage: "0f0e", outputs: {}, resources: [] }, "a state file (terraform.tfstate)"],
    ["a synthesized stack", { "//": { metadata: {} }, terraform: {}, provider: { aws: [{}] }, resource: {} }, "a synthesized stack (cdk.tf.json): check synthesized stacks with --stacks <dir>"],
    ["a list", [], "a JSON list"],
  ])("--plan with %s: exit 2, naming the file and what it is instead of a plan", (_, content, what) => {
    // GIVEN B's plan, and for A a file that is not a plan
    const dir = mkdtempSync(path.join(tmpdir(), "not-a-plan-"));
    const b = path.join(dir, "b.json");
    writeFileSync(b, JSON.stringify(planOf(synthProject().b)));
    const a = path.join(dir, "a.json");
    writeFileSync(a, JSON.stringify(content));
    // WHEN
    const run = preflight(["--plan", `account-a=${a}`, "--plan", `account-b=${b}`]);
    // THEN no check ran: one line says which file, what it is, and what is expected
    expect(run).toEqual({
      code: 2,
      stdout: "",
      stderr: `preflight: --plan account-a=${a}: ${a} is ${what}, not a plan; expected the JSON of a plan file: terraform plan -out=<plan file>, then terraform show -json <plan file>\n`,
    });
  });

  test("--plan with a file that is not JSON, or no file: exit 2, naming it", () => {
    const dir = mkdtempSync(path.join(tmpdir(), "not-a-plan-"));
    writeFileSync(path.join(dir, "a.txt"), "Terraform will perform the following actions:");
    const text = preflight(["--plan", `account-a=${path.join(dir, "a.json")}`, "--plan", `account-b=${path.join(dir, "a.txt")}`]);
    expect(text.code).toBe(2);
    expect(text.stderr).toMatch(/^preflight: --plan account-b=.*a\.txt: .*a\.txt is not JSON \(.*\): is it terraform show output without -json\?/);
    const missing = preflight(["--plan", `account-a=${path.join(dir, "a.json")}`, "--plan", `account-b=${path.join(dir, "no.json")}`]);
    expect(missing.stderr).toBe(`preflight: --plan account-b=${path.join(dir, "no.json")}: no such file ${path.join(dir, "no.json")}\n`);
  });

  test("--help and -h: the usage on stdout, exit 0", () => {
    for (const flag of ["--help", "-h"]) {
      const run = preflight([flag]);
      expect(run).toMatchObject({ code: 0, stderr: "" });
      expect(run.stdout).toMatch(/^usage: npm run -s preflight -- \[--json\]/);
    }
  });

  test("a bad configuration: exit 2 (could not check), not 1; with --json, JSON on stdout", () => {
    const file = path.join(mkdtempSync(path.join(tmpdir(), "preflight-bad-")), "bad.json");
    writeFileSync(file, JSON.stringify({ accountA: {} }));
    const run = preflight(["--json"], { CONFIG_FILE: file });
    expect(run.code).toBe(2);
    const json = JSON.parse(run.stdout);
    expect(json.checks).toEqual([]);
    expect(json.problems[0]).toMatch(/^preflight: invalid configuration .*bad\.json: \d+ problems/);
  });

  test("several consumers: one hop table per consumer's path, ids prefixed with the consumer in --json", () => {
    // GIVEN the stacks of examples/many-consumers, laid out like cdktf.out
    const dir = mkdtempSync(path.join(tmpdir(), "preflight-many-"));
    const { stacks } = synthProject(loadConfig("examples/many-consumers/config.json"));
    for (const [name, json] of Object.entries(stacks)) {
      mkdirSync(path.join(dir, "stacks", name), { recursive: true });
      writeFileSync(path.join(dir, "stacks", name, "cdk.tf.json"), JSON.stringify(json));
    }
    // WHEN
    const table = preflight(["--stacks", dir]);
    const json = preflight(["--stacks", dir, "--json"]);
    // THEN
    expect(table.code).toBe(0);
    expect(table.stdout.match(/^### .*$/gm)).toEqual(["### account-a -> account-b", "### consumer-billing -> account-b", "### consumer-orders -> account-b", "### consumer-payments -> account-b"]);
    expect(table.stdout).toContain("| 3 Peering | `peering-request-target` | pass | A requests the peering from its VPC to B's VPC, account and region: aws_vpc_peering_connection.peering_connection targets B's VPC in 222222222222 / ap-northeast-1 |");
    const ids: string[] = JSON.parse(json.stdout).checks.map((c: { id: string }) => c.id);
    expect(ids).toHaveLength(4 * 15);
    expect(ids).toContain("consumer-payments/peering-accepted");
    expect(ids).toContain("account-a/b-route-to-a");
  });

  test("relative --stacks and --plan paths are taken from where the user ran npm (INIT_CWD), and named as resolved", () => {
    const dir = stacksDir();
    expect(preflight(["--stacks", path.basename(dir)], { INIT_CWD: path.dirname(dir) }).code).toBe(0);
    const run = preflight(["--plan", "account-a=a.json", "--plan", "account-b=b.json"], { INIT_CWD: dir });
    expect(run.stderr).toBe(`preflight: --plan account-b=${path.join(dir, "b.json")}: no such file ${path.join(dir, "b.json")}\n`);
  });

  test("a directory without stacks exits 2 and says so", () => {
    const run = preflight(["--stacks", mkdtempSync(path.join(tmpdir(), "empty-"))]);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/^preflight: cannot read the stacks \(ENOENT/);
  });
});
