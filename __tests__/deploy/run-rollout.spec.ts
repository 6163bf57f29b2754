import { existsSync, mkdtempSync, readdirSync, writeFileSync } from "fs";
import { tmpdir } from "os";
import * as path from "path";
import { rollout } from "../../lib/deploy/run-rollout";
import { credentialsProbe } from "../../lib/live/credentials";
import { config } from "../helpers/example";
import { synthProject } from "../helpers/project";

const EXAMPLE = path.join(__dirname, "../../config/example.json");

/** Runs the rollout with stdout and stderr captured. */
async function run(action: "deploy" | "destroy", argv: string[], root: string, env: NodeJS.ProcessEnv = { CONFIG_FILE: EXAMPLE }) {
  const out: string[] = [];
  const err: string[] = [];
  const stdout = jest.spyOn(process.stdout, "write").mockImplementation((chunk) => (out.push(String(chunk)), true));
  const stderr = jest.spyOn(process.stderr, "write").mockImplementation((chunk) => (err.push(String(chunk)), true));
  try {
    return { code: await rollout(action, argv, root, env), stdout: out.join(""), stderr: err.join("") };
  } finally {
    stdout.mockRestore();
    stderr.mockRestore();
  }
}

describe("npm run deploy / destroy", () => {
  test("--help: the usage on stdout, exit 0", async () => {
    const { code, stdout } = await run("deploy", ["--help"], mkdtempSync(path.join(tmpdir(), "rollout-")));
    expect(code).toBe(0);
    expect(stdout).toMatch(/^usage: npm run deploy -- \[--auto-approve\]\n/);
  });

  test("destroy --help: destroy's own usage, which says what it destroys and in which order", async () => {
    const { code, stdout } = await run("destroy", ["--help"], mkdtempSync(path.join(tmpdir(), "rollout-")));
    expect(code).toBe(0);
    expect(stdout).toMatch(/^usage: npm run destroy -- \[--auto-approve\]\n/);
    expect(stdout).toContain("every consumer side by side, then account-b");
    expect(stdout).not.toContain("npm run deploy");
  });

  test("an unknown option: exit 2 with the command's own usage line, nothing run", async () => {
    expect(await run("destroy", ["--force"], mkdtempSync(path.join(tmpdir(), "rollout-")))).toMatchObject({ code: 2, stderr: 'destroy: unknown option "--force"; usage: npm run destroy -- [--auto-approve]\n' });
  });

  test("state where an earlier version kept it: refuses, and says how to move it", async () => {
    const root = mkdtempSync(path.join(tmpdir(), "rollout-"));
    writeFileSync(path.join(root, "terraform.account-b.tfstate"), "{}");
    const { code, stderr } = await run("deploy", [], root);
    expect(code).toBe(2);
    expect(stderr).toContain("mkdir -p state/private-apigw-222222222222-ap-northeast-1\n  mv terraform.account-b.tfstate state/private-apigw-222222222222-ap-northeast-1/account-b.tfstate\n");
  });

  test("destroy with nothing deployed: says so, exit 0, and leaves no state file behind", async () => {
    const root = mkdtempSync(path.join(tmpdir(), "rollout-"));
    const { code, stdout } = await run("destroy", ["--auto-approve"], root);
    expect(code).toBe(0);
    expect(stdout).toBe("destroy: nothing of this configuration is deployed (no resources in state/private-apigw-222222222222-ap-northeast-1): nothing to do.\n");
    expect(readdirSync(root)).toEqual([]);
    expect(existsSync(path.join(root, "state"))).toBe(false);
  });

  test("no terraform on PATH: exit 2 in the doctor's words, before any synth or init", async () => {
    const { code, stdout, stderr } = await run("deploy", [], mkdtempSync(path.join(tmpdir(), "rollout-")), { CONFIG_FILE: EXAMPLE, PATH: "/nonexistent" });
    expect({ code, stdout, stderr }).toEqual({ code: 2, stdout: "", stderr: "deploy: terraform is not on PATH: install Terraform >= 1.11 (https://developer.hashicorp.com/terraform/install), then run it again.\n" });
  });

  test("the credentials check plans, for each stack, the provider block the stack synthesizes (its default tags aside) and its caller identity", () => {
    // GIVEN a profile for A, and a role with an external id for B
    const cfg = config({ accountA: { credentials: { profile: "team-a" } }, accountB: { credentials: { assumeRoleArn: "arn:aws:iam::222222222222:role/deployer", externalId: "x-123" } } });
    const { stacks } = synthProject(cfg);
    // WHEN
    const probe = credentialsProbe(cfg).json;
    // THEN each provider is the stack's own, but its default tags, and nothing else is read than who the caller is
    expect(probe.provider.aws).toEqual(["account-b", "account-a"].map((stack) => {
      const { default_tags: _, ...settings } = stacks[stack].provider.aws[0];
      return settings;
    }));
    expect(probe.data.aws_caller_identity).toEqual({ account_b: { provider: "aws.account_b" }, account_a: { provider: "aws.account_a" } });
    expect(probe.terraform).toEqual({ required_providers: { aws: { source: "hashicorp/aws", version: "5.100.0" } } });
    expect(Object.keys(probe)).toEqual(["terraform", "provider", "data"]);
  });

  test("stacks whose providers find their credentials alike are checked once, and each is named when they fail", () => {
    const stacksOf = (probe: ReturnType<typeof credentialsProbe>) => Object.fromEntries(Object.entries(probe.targets).map(([alias, targets]) => [alias, targets.map((t) => t.stack)]));
    expect(stacksOf(credentialsProbe(config()))).toEqual({ account_b: ["account-b"], account_a: ["account-a"] });
    const billing = { name: "billing", accountId: "111111111111", region: "ap-northeast-1", vpcCidr: "10.1.0.0/16" };
    const one = credentialsProbe(config({ accountB: { accountId: "111111111111" }, consumers: [billing] }));
    expect(one.json.provider.aws.map((p) => p.alias)).toEqual(["account_b"]);
    expect(stacksOf(one)).toEqual({ account_b: ["account-b", "account-a", "consumer-billing"] });
  });
});
