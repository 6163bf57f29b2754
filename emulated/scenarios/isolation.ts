import assert from "node:assert/strict";
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from "fs";
import { createServer } from "http";
import { AddressInfo } from "net";
import * as path from "path";
import { EMULATOR_CREDENTIALS } from "../aws";
import { accessKeysSeen } from "../emulator/emulator";
import { configFile } from "../rollout";
import { Scenario, ScenarioContext } from "../scenario";
import { emulatedEnvironment } from "../workspace";

const ROOT = path.join(__dirname, "../..");
const CALLER_KEY = "AKIACALLERSOWNKEY001";

/** State files in the project's own directory: an emulated run must never add to them. */
function projectStateFiles(): string[] {
  const found: string[] = [];
  const walk = (dir: string, depth: number) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      if (entry.name === "node_modules" || entry.name === ".git") continue;
      const full = path.join(dir, entry.name);
      if (entry.isDirectory() && depth < 4) walk(full, depth + 1);
      else if (/\.tfstate(\.|$)/.test(entry.name)) found.push(path.relative(ROOT, full));
    }
  };
  walk(ROOT, 0);
  return found.sort();
}

/**
 * The suite never uses the caller's AWS credentials, profile, metadata service or state: from a
 * caller environment that holds all of them, a plan of account-b (a provider configured, every
 * resource and data source read) reaches the emulator with the suite's key only, never runs the
 * profile's credential process, never calls the metadata service; the state goes to the
 * scenario's directory, and the project's directory gets no state file.
 */
export const isolationScenario: Scenario = {
  name: "isolation",
  title: "no caller credentials, profile, metadata service or state reach an emulated run",
  seconds: 30,
  async run(context) {
    const home = path.join(context.workspace("-caller").dir, "home");
    mkdirSync(path.join(home, ".aws"), { recursive: true });
    const marker = path.join(home, "credential-process-ran");
    writeFileSync(path.join(home, ".aws/config"), `[profile caller]\ncredential_process = sh -c 'touch ${marker}; echo {}'\n[default]\ncredential_process = sh -c 'touch ${marker}; echo {}'\n`);
    const metadataRequests: string[] = [];
    const metadata = createServer((request, response) => {
      metadataRequests.push(`${request.method} ${request.url}`);
      response.writeHead(404).end();
    });
    await new Promise<void>((resolve) => metadata.listen(0, "127.0.0.1", resolve));
    const caller = {
      ...process.env,
      HOME: home,
      AWS_PROFILE: "caller",
      AWS_DEFAULT_PROFILE: "caller",
      AWS_ACCESS_KEY_ID: CALLER_KEY,
      AWS_SECRET_ACCESS_KEY: "caller-secret",
      AWS_SESSION_TOKEN: "caller-session",
      AWS_REGION: "eu-west-1",
      AWS_CONFIG_FILE: path.join(home, ".aws/config"),
      AWS_EC2_METADATA_SERVICE_ENDPOINT: `http://127.0.0.1:${(metadata.address() as AddressInfo).port}`,
      AWS_EC2_METADATA_DISABLED: "false",
    };
    const env = emulatedEnvironment(caller, path.join(home, "suite"), context.env);
    const before = projectStateFiles();
    try {
      const isolated = new ScenarioContext(context.scenario, context.emulator, env, context.moto);
      const workspace = isolated.workspace("-run");
      context.workspaces.push(workspace);
      await workspace.synthesize(configFile("config/example.json"));
      await context.step("a plan of account-b from the caller's environment", () => workspace.planChanges("account-b"));
      await context.step("only the suite's key reached the emulator; no profile, metadata service or project state was used", async () => {
        const keys = await accessKeysSeen(context.emulator);
        assert.ok(!keys.includes(CALLER_KEY), `the caller's key reached the emulator: ${keys}`);
        assert.ok(keys.includes(EMULATOR_CREDENTIALS.accessKeyId), `the suite's key was used: ${keys}`);
        assert.ok(!existsSync(marker), "the caller's profile (its credential process) was never used");
        assert.deepEqual(metadataRequests, [], "the metadata service was never called");
        assert.ok(!Object.keys(env).some((k) => /^AWS_(PROFILE|DEFAULT_PROFILE|SESSION_TOKEN|REGION|DEFAULT_REGION|EC2_METADATA_SERVICE_ENDPOINT|ROLE_ARN|WEB_IDENTITY_TOKEN_FILE)$/.test(k)), "the emulated environment names none of the caller's AWS settings");
        const state = path.resolve(workspace.stackDir("account-b"), workspace.synthesized("account-b").terraform.backend.local.path);
        assert.ok(state.startsWith(workspace.dir + path.sep), `the state goes to the scenario's directory: ${state}`);
        assert.deepEqual(projectStateFiles(), before, "no state file appeared in the project's directory");
      });
      await context.step("the stack's provider process, which every command of the stack reattaches to, started with the suite's environment only", async () => {
        const pid = await workspace.providerPid("account-b");
        assert.ok(pid, "account-b's commands ran with a provider process of their own");
        const started = Object.fromEntries(readFileSync(`/proc/${pid}/environ`, "utf8").split("\0").filter(Boolean).map((entry) => [entry.slice(0, entry.indexOf("=")), entry.slice(entry.indexOf("=") + 1)]));
        assert.equal(started.AWS_ACCESS_KEY_ID, EMULATOR_CREDENTIALS.accessKeyId, "the provider holds the suite's key");
        assert.equal(started.AWS_ENDPOINT_URL, context.emulator.url, "the provider sends every request to the emulator");
        assert.equal(started.HTTPS_PROXY, "http://127.0.0.1:9", "any other request goes to a closed loopback port");
        const leaked = Object.keys(started).filter((k) => /^AWS_(PROFILE|DEFAULT_PROFILE|SESSION_TOKEN|REGION|DEFAULT_REGION|EC2_METADATA_SERVICE_ENDPOINT|ROLE_ARN|WEB_IDENTITY_TOKEN_FILE|CA_BUNDLE)$/.test(k) || started[k] === CALLER_KEY);
        assert.deepEqual(leaked, [], "none of the caller's AWS settings reached the provider process");
      });
      await context.step("a shared provider process keeps no configuration between commands: a stack pinned to another account fails there as with a fresh process", async () => {
        const pid = await workspace.providerPid("account-b");
        const override = path.join(workspace.stackDir("account-b"), "emulator_override.tf.json");
        const good = readFileSync(override, "utf8");
        writeFileSync(override, good.replace(/arn:aws:iam::\d{12}:role/, "arn:aws:iam::111111111111:role"));
        try {
          const refused = await workspace.planChanges("account-b").then(() => undefined, (error: Error) => error.message);
          assert.match(refused ?? "the plan succeeded", /allowed|forbidden account|account ID/i, "the plan acting in account 111111111111 is refused by allowed_account_ids");
          assert.equal(await workspace.providerPid("account-b"), pid, "the same provider process ran it");
        } finally {
          writeFileSync(override, good);
        }
        await workspace.planChanges("account-b");
      });
    } finally {
      metadata.close();
    }
  },
};
