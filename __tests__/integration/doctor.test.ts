/**
 * The doctor with a real terraform, offline: its reader on state JSON that terraform itself wrote
 * (what it reads with a cloud backend), and its exit codes and messages when it cannot check.
 * Run by `npm run test:terraform` (these tests need terraform; jest runs the rest). Nothing here
 * calls AWS or any address: the instance metadata service is disabled. The doctor on real plans
 * of a deployment, the canary's answer included, is `npm run test:emulated`'s.
 */
import assert from "node:assert/strict";
import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { describe, test } from "node:test";
import { doctor } from "../../lib/doctor/run-doctor";
import { loadConfig } from "../../lib/config/load-config";
import { checkBlockResults } from "../../lib/live/plan-json";
import { localStatePath } from "../../lib/stack/backend";
import { command, setUpTerraform } from "../../lib/terraform/cli";

const example = loadConfig(path.join(__dirname, "../../config/example.json"));
// The Terraform tests' garbage collector setting (lib/terraform/cli.ts TEST_GOGC) goes with it into
// `noCredentials`' environments, which are otherwise built from nothing: terraform takes a sixth less CPU.
const NO_CLOUD = { AWS_EC2_METADATA_DISABLED: "true", CHECKPOINT_DISABLE: "1", ...(process.env.GOGC ? { GOGC: process.env.GOGC } : {}) };

/** A new directory holding `files`. */
function directory(files: Record<string, string>): string {
  const dir = mkdtempSync(path.join(tmpdir(), "doctor-it-"));
  for (const [name, text] of Object.entries(files)) writeFileSync(path.join(dir, name), text);
  return dir;
}

/** Runs terraform in `dir`, failing the test with its output when it fails. */
async function tf(dir: string, ...args: string[]): Promise<string> {
  const run = await command("terraform", [...args, "-no-color"], dir, setUpTerraform({ ...process.env, ...NO_CLOUD }).env);
  assert.equal(run.code, 0, `terraform ${args.join(" ")} failed:\n${run.output}`);
  return run.stdout;
}

// The two groups wait on terraform and the provider, not on each other: let them overlap.
describe("npm run doctor", { concurrency: true }, () => {
  describe("the doctor's reader, on JSON written by terraform", () => {
    test("a state's stored check results: each check's status and message", async () => {
      // GIVEN a configuration whose check blocks are named like the stacks' and fail as they would
      const dir = directory({
        "main.tf": `
  variable "peering_status" { type = string }
  # A managed resource (built into terraform), so that apply writes a state and the check results with it.
  resource "terraform_data" "deployed" {}
  check "peering_active" {
    assert {
      condition     = var.peering_status == "active"
      error_message = "The peering request pcx-1 to account B is \${var.peering_status}: deploy this stack (a new request), then account-b within 7 days."
    }
  }
  check "endpoint_available" {
    assert {
      condition     = var.peering_status != ""
      error_message = "unused"
    }
  }
  `,
      });
      // WHEN terraform applies it and shows the state (what the doctor reads where plan -out is not allowed)
      await tf(dir, "init", "-input=false");
      await tf(dir, "apply", "-auto-approve", "-input=false", "-var", "peering_status=expired");
      const state = JSON.parse(await tf(dir, "show", "-json"));
      // THEN
      assert.deepEqual(checkBlockResults(state), [
        { name: "endpoint_available", status: "pass", problems: [] },
        { name: "peering_active", status: "fail", problems: ["The peering request pcx-1 to account B is expired: deploy this stack (a new request), then account-b within 7 days."] },
      ]);
    });

  });

  describe("npm run doctor, when it cannot check", () => {
    /** A project directory with its own output and state, and an environment with no AWS credentials at all. */
    function noCredentials(states: Record<string, boolean>): NodeJS.ProcessEnv {
      const dir = mkdtempSync(path.join(tmpdir(), "doctor-cli-"));
      const home = path.join(dir, "home");
      mkdirSync(home);
      // The local backend's state sits beside cdktf.out, as in a checkout (../../../state/<deployment>/<stack>.tfstate).
      for (const [stack, deployed] of Object.entries(states)) {
        if (!deployed) continue;
        const alias = stack.replace("-", "_");
        const file = path.join(dir, localStatePath(example, stack));
        mkdirSync(path.dirname(file), { recursive: true });
        writeFileSync(file, JSON.stringify({
          version: 4, terraform_version: "1.11.4", serial: 1, lineage: `doctor-${stack}`, outputs: {},
          resources: [{ mode: "managed", type: "aws_vpc", name: "network_vpc", provider: `provider["registry.terraform.io/hashicorp/aws"].${alias}`,
            instances: [{ schema_version: 1, attributes: { id: "vpc-0bbbbbbbbbbbbbbbb", cidr_block: "172.31.0.0/16" }, sensitive_attributes: [] }] }],
        }));
      }
      // Only what terraform needs to run: no AWS variable, no profile (the HOME is empty).
    return { PATH: process.env.PATH, HOME: home, CDKTF_OUTDIR: path.join(dir, "cdktf.out"), ...NO_CLOUD };
    }

    test("a deployed stack with no credentials, a stack not deployed: exit 2, one line each naming the stack, the account and what to do", async () => {
      const run = await doctor([], noCredentials({ "account-b": true, "account-a": false }));
      assert.equal(run.code, 2);
      assert.equal(run.stdout, "");
      const lines = run.stderr.trim().split("\n");
      assert.equal(lines.length, 2, run.stderr);
      assert.match(lines[0], /^account-b \(account 222222222222\): no usable AWS credentials for this account: set AWS_PROFILE or accountB\.credentials, or log in, then run it again \(terraform plan -refresh-only: No valid credential sources found/);
      assert.equal(lines[1], "account-a (account 111111111111): not deployed (no resources in its state in the local backend): run npm run deploy first.");
      assert.doesNotMatch(run.stderr, /\n\s+at /, "no stack trace");
    });

    test("no terraform on PATH: exit 2 and what to install", async () => {
      const run = await doctor([], { ...noCredentials({}), PATH: "/nonexistent" });
      assert.equal(run.code, 2);
      assert.equal(run.stderr, "doctor: terraform is not on PATH: install Terraform >= 1.11 (https://developer.hashicorp.com/terraform/install), then run it again.\n");
    });

    test("an unknown option: exit 2 and the usage", async () => {
      const run = await doctor(["--verbose"], noCredentials({}));
      assert.deepEqual([run.code, run.stderr], [2, 'doctor: unknown option "--verbose"; usage: npm run -s doctor -- [--json]\n']);
    });
  });
});
