import { mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from "fs";
import { homedir, tmpdir } from "os";
import * as path from "path";
import { loadConfig } from "../../lib/config/load-config";
import { synthesize as synthesizeStacks } from "../../stacks/app";
import { synthProject } from "../helpers/project";

const ROOT = path.join(__dirname, "../..");
// The module object itself (an `import *` namespace is a frozen copy, which jest cannot spy on).
// eslint-disable-next-line @typescript-eslint/no-require-imports
const childProcess: typeof import("child_process") = require("child_process");

/** Every file under `dir`, by path relative to it: its bytes, base64 (the canary's zip is binary). */
function files(dir: string): Record<string, string> {
  const found: Record<string, string> = {};
  const walk = (sub: string) => {
    for (const name of readdirSync(path.join(dir, sub))) {
      const rel = path.join(sub, name);
      if (statSync(path.join(dir, rel)).isDirectory()) walk(rel);
      else found[rel] = readFileSync(path.join(dir, rel)).toString("base64");
    }
  };
  walk("");
  return found;
}

/** Whether jest runs with -u (--updateSnapshot): then the reviewed files are written. */
function updatingSnapshots(): boolean {
  return (expect.getState() as { snapshotState?: { _updateSnapshot?: string } }).snapshotState?._updateSnapshot === "all";
}

const newOutdir = () => path.join(mkdtempSync(path.join(tmpdir(), "synth-")), "cdktf.out");

/** Synthesizes the example as main.ts does, into a new directory. (`npm run test:terraform` runs the app command itself.) */
function synthesize(): { outdir: string; output: Record<string, string> } {
  const outdir = newOutdir();
  const configFile = path.join(ROOT, "config/example.json");
  synthesizeStacks(loadConfig(configFile), { outdir, configFile });
  return { outdir, output: files(outdir) };
}

describe("the synthesized output reviewers read", () => {
  test("is byte for byte the same from two synths into different directories, canary archive included, and carries no absolute path", () => {
    // WHEN the app synthesizes twice, into two different directories
    const first = synthesize();
    const second = synthesize();
    // THEN
    expect(Object.keys(first.output).sort()).toEqual([
      "built-from.json",
      "manifest.json",
      expect.stringMatching(/^stacks\/account-a\/assets\/canary_check-module\/[0-9a-f]{16}\/main\.tf\.json$/),
      expect.stringMatching(/^stacks\/account-a\/assets\/canary_package\/[0-9a-f]{16}\/canary\.zip$/),
      "stacks/account-a/cdk.tf.json",
      "stacks/account-b/cdk.tf.json",
    ]);
    expect(second.output).toEqual(first.output);
    for (const [name, base64] of Object.entries(first.output)) {
      const text = Buffer.from(base64, "base64").toString("utf8");
      for (const local of [ROOT, first.outdir, second.outdir, tmpdir(), homedir()]) expect([name, text.includes(local)]).toEqual([name, false]);
    }
  });

  test("records the configuration it was built from, relative to the project, for npm run synth-diff", () => {
    const { output } = synthesize();
    expect(JSON.parse(Buffer.from(output["built-from.json"], "base64").toString("utf8"))).toEqual({ configFile: "config/example.json" });
  });

  test("starts no program, so it synthesizes where Terraform is not installed (a reviewer's laptop)", () => {
    // GIVEN every way to start a program watched (cdktf's importFrom() ran `terraform version`)
    const started = (["execSync", "execFileSync", "spawnSync", "spawn", "exec", "execFile"] as const).map((name) => jest.spyOn(childProcess, name));
    try {
      // WHEN the app synthesizes
      synthesize();
      // THEN nothing was started
      for (const spy of started) expect([spy.getMockName(), spy.mock.calls]).toEqual([spy.getMockName(), []]);
    } finally {
      for (const spy of started) spy.mockRestore();
    }
  });

  test("matches the reviewed output of both stacks, __tests__/stacks/reviewed/*.json (update with `npm run test:jest -- -u` when the change is intended)", () => {
    const project = synthProject();
    for (const [stack, json] of [["account-b", project.b], ["account-a", project.a]] as const) {
      const file = path.join(__dirname, "reviewed", `${stack}.json`);
      const text = `${JSON.stringify(json, null, 2)}\n`;
      // Kept as plain files, not jest snapshots: a run of some tests only (-t) never reports them
      // obsolete, and never deletes them; only -u (a run that updates snapshots) writes them.
      if (updatingSnapshots()) writeFileSync(file, text);
      expect([stack, JSON.parse(readFileSync(file, "utf8"))]).toEqual([stack, json]);
    }
  });
});
