import { existsSync, mkdtempSync, readdirSync, writeFileSync } from "fs";
import { tmpdir } from "os";
import * as path from "path";
import { rollout } from "../../lib/deploy/run-rollout";

const EXAMPLE = path.join(__dirname, "../../config/example.json");

/** Runs the rollout with stdout and stderr captured. */
function run(action: "deploy" | "destroy", argv: string[], root: string, env: NodeJS.ProcessEnv = { CONFIG_FILE: EXAMPLE }) {
  const out: string[] = [];
  const err: string[] = [];
  const stdout = jest.spyOn(process.stdout, "write").mockImplementation((chunk) => (out.push(String(chunk)), true));
  const stderr = jest.spyOn(process.stderr, "write").mockImplementation((chunk) => (err.push(String(chunk)), true));
  try {
    return { code: rollout(action, argv, root, env), stdout: out.join(""), stderr: err.join("") };
  } finally {
    stdout.mockRestore();
    stderr.mockRestore();
  }
}

describe("npm run deploy / destroy", () => {
  test("--help: the usage on stdout, exit 0", () => {
    const { code, stdout } = run("deploy", ["--help"], mkdtempSync(path.join(tmpdir(), "rollout-")));
    expect(code).toBe(0);
    expect(stdout).toMatch(/^usage: npm run deploy -- \[--auto-approve\]\n/);
  });

  test("destroy --help: destroy's own usage, which says what it destroys and in which order", () => {
    const { code, stdout } = run("destroy", ["--help"], mkdtempSync(path.join(tmpdir(), "rollout-")));
    expect(code).toBe(0);
    expect(stdout).toMatch(/^usage: npm run destroy -- \[--auto-approve\]\n/);
    expect(stdout).toContain("every consumer side by side, then account-b");
    expect(stdout).not.toContain("npm run deploy");
  });

  test("an unknown option: exit 2 with the command's own usage line, nothing run", () => {
    expect(run("destroy", ["--force"], mkdtempSync(path.join(tmpdir(), "rollout-")))).toMatchObject({ code: 2, stderr: 'destroy: unknown option "--force"; usage: npm run destroy -- [--auto-approve]\n' });
  });

  test("state where an earlier version kept it: refuses, and says how to move it", () => {
    const root = mkdtempSync(path.join(tmpdir(), "rollout-"));
    writeFileSync(path.join(root, "terraform.account-b.tfstate"), "{}");
    const { code, stderr } = run("deploy", [], root);
    expect(code).toBe(2);
    expect(stderr).toContain("mkdir -p state/private-apigw-222222222222-ap-northeast-1\n  mv terraform.account-b.tfstate state/private-apigw-222222222222-ap-northeast-1/account-b.tfstate\n");
  });

  test("destroy with nothing deployed: says so, exit 0, and leaves no state file behind", () => {
    const root = mkdtempSync(path.join(tmpdir(), "rollout-"));
    const { code, stdout } = run("destroy", ["--auto-approve"], root);
    expect(code).toBe(0);
    expect(stdout).toBe("destroy: nothing of this configuration is deployed (no resources in state/private-apigw-222222222222-ap-northeast-1): nothing to do.\n");
    expect(readdirSync(root)).toEqual([]);
    expect(existsSync(path.join(root, "state"))).toBe(false);
  });
});
