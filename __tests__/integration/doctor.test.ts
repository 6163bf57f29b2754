/**
 * The doctor with a real terraform, offline: its reader on plan and state JSON that terraform
 * itself wrote, and its exit codes and messages when it cannot check. Run by
 * `npm run test:terraform` (these tests need terraform; jest runs the rest). Nothing here calls
 * AWS or any address but 127.0.0.1: the one AWS call, a Lambda invocation, goes to a server the
 * test runs on loopback, and the instance metadata service is disabled.
 */
import assert from "node:assert/strict";
import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { createServer, Server } from "node:http";
import { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { after, before, describe, test } from "node:test";
import { loadConfig } from "../../lib/config/load-config";
import { doctorReport } from "../../lib/doctor/doctor-report";
import { doctor } from "../../lib/doctor/run-doctor";
import { canaryResults, checkBlockResults, isDeployed } from "../../lib/doctor/terraform-json";
import { stackFromSynth } from "../../lib/preflight/model";
import { command, setUpTerraform } from "../../lib/terraform/cli";
import { synthesize } from "../../stacks/app";

const ROOT = path.join(__dirname, "../..");
const NO_CLOUD = { AWS_EC2_METADATA_DISABLED: "true", CHECKPOINT_DISABLE: "1" };

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
      assert.equal(isDeployed(state), true);
      assert.equal(isDeployed({}), false);
    });

    describe("a refresh-only plan whose check invokes the canary (a Lambda API on 127.0.0.1)", () => {
      let server: Server;
      let plan: any;
      const invoked: string[] = [];

      before(async () => {
        // GIVEN the Lambda API on loopback, answering as the canary does when one method fails
        server = createServer((request, response) => {
          invoked.push(`${request.method} ${request.url}`);
          request.resume();
          response.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify({
            ok: false,
            results: [
              { method: "private-dns", url: "https://a1b2c3d4e5.execute-api.ap-northeast-1.amazonaws.com/v1/pets", ok: false, ms: 12, error: "dns: ENOTFOUND getaddrinfo ENOTFOUND a1b2c3d4e5.execute-api.ap-northeast-1.amazonaws.com" },
              { method: "host-header", url: "https://vpce-0b1.execute-api.ap-northeast-1.vpce.amazonaws.com/v1/pets", ok: true, status: 200, ms: 41 },
            ],
          }));
        });
        await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
        const { port } = server.address() as AddressInfo;
        // and the check block as account-a's stack writes it, with the real hashicorp/aws provider
        const dir = directory({
          "main.tf": `
  terraform {
    required_providers {
      aws = { source = "hashicorp/aws", version = "5.100.0" }
    }
  }
  provider "aws" {
    region                      = "ap-northeast-1"
    access_key                  = "not-a-key"
    secret_key                  = "not-a-secret"
    skip_credentials_validation = true
    skip_requesting_account_id  = true
    skip_metadata_api_check     = true
    endpoints {
      lambda = "http://127.0.0.1:${port}"
    }
  }
  check "canary_reaches_api" {
    data "aws_lambda_invocation" "canary" {
      function_name = "private-apigw-account-a-canary"
      input         = "{}"
    }
    assert {
      condition     = jsondecode(data.aws_lambda_invocation.canary.result).ok
      error_message = "The canary private-apigw-account-a-canary cannot reach the API by: private-dns."
    }
  }
  `,
        });
        // WHEN terraform plans refresh-only and shows the plan (what the doctor reads)
        await tf(dir, "init", "-input=false");
        await tf(dir, "plan", "-refresh-only", "-input=false", "-out=live.tfplan");
        plan = JSON.parse(await tf(dir, "show", "-json", "live.tfplan"));
      });

      after(() => new Promise<void>((resolve) => server.close(() => resolve())));

      test("the provider invoked the canary function, once, on loopback", () => {
        assert.deepEqual(invoked, ["POST /2015-03-31/functions/private-apigw-account-a-canary/invocations?Qualifier=%24LATEST"]);
      });

      test("the canary's check failed, with its message", () => {
        assert.deepEqual(checkBlockResults(plan), [{ name: "canary_reaches_api", status: "fail", problems: ["The canary private-apigw-account-a-canary cannot reach the API by: private-dns."] }]);
      });

      test("each method's result is read from the check's data source, and shown with the hop to look at", () => {
        assert.deepEqual(canaryResults(plan)?.map((r) => [r.method, r.ok]), [["private-dns", false], ["host-header", true]]);
        const example = loadConfig(path.join(ROOT, "config/example.json"));
        const outdir = path.join(mkdtempSync(path.join(tmpdir(), "doctor-synth-")), "cdktf.out");
        synthesize(example, outdir);
        const read = (stack: string) => stackFromSynth(stack as never, require(path.join(outdir, "stacks", stack, "cdk.tf.json")));
        const rows = doctorReport({ a: read("account-a"), b: read("account-b") }, { stack: "account-a", json: plan }, { stack: "account-b", json: {} });
        const canary = rows.filter((row) => row.id.startsWith("account-a:canary"));
        assert.deepEqual(canary.map((row) => [row.id, row.hop, row.status]), [
          ["account-a:canary_reaches_api", "8 End to end", "fail"],
          ["account-a:canary:private-dns", "8 End to end", "fail"],
          ["account-a:canary:host-header", "8 End to end", "pass"],
        ]);
        assert.match(canary[1].fix, /^Look at 5 A: private DNS/);
        assert.match(canary[2].message, /answered 200 in 41 ms$/);
      });
    });
  });

  describe("npm run doctor, when it cannot check", () => {
    /** A project directory with its own output and state, and an environment with no AWS credentials at all. */
    function noCredentials(states: Record<string, boolean>): NodeJS.ProcessEnv {
      const dir = mkdtempSync(path.join(tmpdir(), "doctor-cli-"));
      const home = path.join(dir, "home");
      mkdirSync(home);
      // The local backend's state sits beside cdktf.out, as in a checkout (../../../terraform.<stack>.tfstate).
      for (const [stack, deployed] of Object.entries(states)) {
        if (!deployed) continue;
        const alias = stack.replace("-", "_");
        writeFileSync(path.join(dir, `terraform.${stack}.tfstate`), JSON.stringify({
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
      assert.match(lines[0], /^account-b \(account 222222222222\): no usable AWS credentials for this account: set AWS_PROFILE or accountB\.credentials, or log in, then run the doctor again \(terraform plan -refresh-only: No valid credential sources found/);
      assert.equal(lines[1], "account-a (account 111111111111): not deployed (no resources in its state in the local backend): run npm run deploy first.");
      assert.doesNotMatch(run.stderr, /\n\s+at /, "no stack trace");
    });

    test("no terraform on PATH: exit 2 and what to install", async () => {
      const run = await doctor([], { ...noCredentials({}), PATH: "/nonexistent" });
      assert.equal(run.code, 2);
      assert.equal(run.stderr, "doctor: terraform is not on PATH: install Terraform >= 1.11 (https://developer.hashicorp.com/terraform/install), then run the doctor again.\n");
    });

    test("an unknown option: exit 2 and the usage", async () => {
      const run = await doctor(["--verbose"], noCredentials({}));
      assert.deepEqual([run.code, run.stderr], [2, 'doctor: unexpected argument "--verbose"; usage: npm run doctor -- [--json]\n']);
    });
  });
});
