import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from "fs";
import { tmpdir } from "os";
import * as path from "path";
import { canaryCheckModule } from "../../lib/constructs/api-canary";
import { stackPermissions } from "../../lib/permissions/generate";
import { permissionsCommand, PERMISSIONS_DIR, policyFileText } from "../../lib/permissions/run-permissions";
import { config } from "../helpers/example";
import { synthProject } from "../helpers/project";

const ROOT = path.join(__dirname, "../..");

/** A directory laid out like cdktf.out holding the example's stacks, with the canary's check module where each stack calls it. */
function exampleOutdir(): string {
  const dir = mkdtempSync(path.join(tmpdir(), "permissions-cmd-"));
  const checkModule = readFileSync(path.join(canaryCheckModule().built, "main.tf.json"), "utf8");
  for (const [id, json] of Object.entries(synthProject(config()).stacks)) {
    mkdirSync(path.join(dir, "stacks", id), { recursive: true });
    writeFileSync(path.join(dir, "stacks", id, "cdk.tf.json"), JSON.stringify(json));
    for (const call of Object.values<any>((json as any).module ?? {})) {
      mkdirSync(path.join(dir, "stacks", id, call.source), { recursive: true });
      writeFileSync(path.join(dir, "stacks", id, call.source, "main.tf.json"), checkModule);
    }
  }
  writeFileSync(path.join(dir, "manifest.json"), JSON.stringify({ stacks: { "account-b": {}, "account-a": {} } }));
  return dir;
}

test("the committed permissions/ are what `npm run permissions` writes for config/example.json (run it after a change)", () => {
  const checkModule = JSON.parse(readFileSync(path.join(canaryCheckModule().built, "main.tf.json"), "utf8"));
  const expected: Record<string, string> = {};
  for (const [id, json] of Object.entries(synthProject(config()).stacks)) {
    const modules = Object.fromEntries(Object.values<any>((json as any).module ?? {}).map((call) => [call.source, checkModule]));
    for (const [kind, policy] of Object.entries(stackPermissions({ id, json, modules }).policies)) expected[`${id}/${kind}.json`] = policyFileText(policy);
  }
  const dir = path.join(ROOT, PERMISSIONS_DIR);
  const committed = Object.fromEntries(readdirSync(dir).flatMap((stack) => readdirSync(path.join(dir, stack)).map((file) => [`${stack}/${file}`, readFileSync(path.join(dir, stack, file), "utf8")])));
  expect(committed).toEqual(expected);
});

describe("npm run permissions", () => {
  const outdir = exampleOutdir();

  test("--json: every stack's policies on stdout, nothing written", () => {
    const run = permissionsCommand(["--json", "--stacks", outdir], {});
    expect(run.code).toBe(0);
    const printed = JSON.parse(run.stdout);
    expect(printed.stacks.map((s: any) => [s.stack, Object.keys(s.policies)])).toEqual([["account-b", ["plan", "deploy", "destroy"]], ["account-a", ["plan", "deploy", "destroy"]]]);
  });

  test("<stack>: that stack only", () => {
    const run = permissionsCommand(["--json", "--stacks", outdir, "account-a"], {});
    expect(JSON.parse(run.stdout).stacks.map((s: any) => s.stack)).toEqual(["account-a"]);
  });

  test("--out: writes <out>/<stack>/<kind>.json, one line each, and removes what else was there", () => {
    const out = mkdtempSync(path.join(tmpdir(), "permissions-out-"));
    writeFileSync(path.join(out, "stale.json"), "{}");
    const run = permissionsCommand(["--stacks", outdir, "--out", out], { INIT_CWD: out });
    expect(run.code).toBe(0);
    expect(run.stdout.split("\n")[0]).toBe("Wrote 6 policies (what each grants and why: docs/permissions.md):");
    expect(run.stdout).toMatch(/^ {2}account-a\/plan\.json: 22 actions, \d+ characters$/m);
    expect(existsSync(path.join(out, "stale.json"))).toBe(false);
    expect(JSON.parse(readFileSync(path.join(out, "account-a", "plan.json"), "utf8")).Version).toBe("2012-10-17");
  });

  test.each([
    [["nosuch", "--stacks"], "permissions: --stacks needs a directory laid out like cdktf.out; usage: npm run -s permissions -- [--json] [--stacks <dir>] [--out <dir>] [<stack>]"],
    [["account-a", "account-b"], "permissions: one stack at most, got account-a, account-b; usage: npm run -s permissions -- [--json] [--stacks <dir>] [--out <dir>] [<stack>]"],
    [["--json", "--out", "x"], "permissions: --json writes nothing: leave out --out; usage: npm run -s permissions -- [--json] [--stacks <dir>] [--out <dir>] [<stack>]"],
  ])("usage error %j: one line, exit 2", (argv, message) => {
    expect(permissionsCommand(argv as string[], {})).toEqual({ code: 2, stdout: "", stderr: `${message}\n` });
  });

  test("a stack the configuration does not have: exit 2 naming the ones it has", () => {
    expect(permissionsCommand(["--stacks", outdir, "consumer-x"], {})).toEqual({ code: 2, stdout: "", stderr: "permissions: no stack consumer-x; expected one of account-b, account-a\n" });
  });

  test("--stacks without stacks/ in it: exit 2 saying what was expected", () => {
    const empty = mkdtempSync(path.join(tmpdir(), "permissions-empty-"));
    expect(permissionsCommand(["--stacks", empty], {}).stderr).toBe(`permissions: --stacks ${empty} holds no stacks/ directory; expected a synth output such as cdktf.out\n`);
  });

  test("an invalid configuration: exit 2 with the configuration's message", () => {
    const bad = path.join(mkdtempSync(path.join(tmpdir(), "permissions-config-")), "bad.json");
    writeFileSync(bad, "{}");
    const run = permissionsCommand(["--json"], { CONFIG_FILE: bad });
    expect([run.code, run.stderr.split("\n")[0]]).toEqual([2, expect.stringMatching(/^permissions: invalid configuration /)]);
  });
});
