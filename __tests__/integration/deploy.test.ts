/**
 * npm run deploy with a real terraform, offline: with no AWS credentials it stops before any synth
 * or init of the stacks, in the doctor's words. Run by `npm run test:terraform` (this needs
 * terraform; jest runs the rest, no terraform on PATH included). Nothing here can reach AWS or any
 * address: no credentials, no profile, the instance metadata service disabled, and every HTTP(S)
 * request sent to a closed port on 127.0.0.1.
 */
import assert from "node:assert/strict";
import { mkdirSync, mkdtempSync, readdirSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { describe, test } from "node:test";
import { startRollout } from "../../lib/deploy/run-rollout";

const EXAMPLE = path.join(__dirname, "../../config/example.json");

/** An environment in which no AWS credentials can be found, and nothing can leave the machine. */
function noCredentials(dir: string): NodeJS.ProcessEnv {
  const home = path.join(dir, "home");
  mkdirSync(home);
  for (const file of ["config", "credentials"]) writeFileSync(path.join(home, file), "");
  return {
    PATH: process.env.PATH,
    HOME: home,
    CONFIG_FILE: EXAMPLE,
    AWS_CONFIG_FILE: path.join(home, "config"),
    AWS_SHARED_CREDENTIALS_FILE: path.join(home, "credentials"),
    AWS_EC2_METADATA_DISABLED: "true",
    HTTPS_PROXY: "http://127.0.0.1:9",
    HTTP_PROXY: "http://127.0.0.1:9",
    CHECKPOINT_DISABLE: "1",
    // The Go runtime's garbage collector setting of the Terraform tests (lib/terraform/cli.ts
    // TEST_GOGC), kept: the probe's terraform and provider take a sixth less CPU with it.
    ...(process.env.GOGC ? { GOGC: process.env.GOGC } : {}),
  };
}

describe("npm run deploy, when it cannot start", () => {
  test("no AWS credentials: exit 2 before any synth or init of the stacks, one line per stack in the doctor's words", async () => {
    // GIVEN a project directory and an environment without credentials
    const root = mkdtempSync(path.join(tmpdir(), "deploy-it-"));
    // WHEN deploy starts
    const run = await startRollout("deploy", [], root, noCredentials(root));
    // THEN it ends there, naming each stack, its account and what to do
    assert.ok("code" in run, "deploy went on to cdktf");
    assert.equal(run.code, 2);
    assert.equal(run.stdout, "");
    assert.deepEqual(run.stderr.trim().split("\n"), [
      "account-b (account 222222222222): no usable AWS credentials for this account: set AWS_PROFILE or accountB.credentials, or log in, then run it again (terraform plan: No valid credential sources found).",
      "account-a (account 111111111111): no usable AWS credentials for this account: set AWS_PROFILE or accountA.credentials, or log in, then run it again (terraform plan: No valid credential sources found).",
    ]);
    // AND nothing was synthesized or initialized in the project
    assert.deepEqual(readdirSync(root).sort(), ["home"]);
  });
});
