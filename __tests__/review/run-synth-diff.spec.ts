import { mkdirSync, mkdtempSync, writeFileSync } from "fs";
import { tmpdir } from "os";
import * as path from "path";
import { synthDiffCommand } from "../../lib/review/run-synth-diff";
import { config } from "../helpers/example";
import { synthProject } from "../helpers/project";

/** A directory laid out like cdktf.out holding `stacks`, recording `configFile` as the synth does. */
function outdir(stacks: Record<string, unknown>, configFile?: string): string {
  const dir = mkdtempSync(path.join(tmpdir(), "synth-diff-cmd-"));
  for (const [name, json] of Object.entries(stacks)) {
    mkdirSync(path.join(dir, "stacks", name), { recursive: true });
    writeFileSync(path.join(dir, "stacks", name, "cdk.tf.json"), JSON.stringify(json));
  }
  if (configFile) writeFileSync(path.join(dir, "built-from.json"), JSON.stringify({ configFile }));
  return dir;
}

describe("npm run synth-diff", () => {
  const base = synthProject(config());
  const head = synthProject(config({ api: { stageName: "v2" } }));

  test("a directory that does not exist (a typo): exit 2 naming it, not every stack 'removed'", () => {
    // GIVEN a real base, and a head directory that is not there
    const real = outdir({ "account-b": base.b }, "config/example.json");
    const typo = path.join(path.dirname(real), "cdktf.ou");
    // WHEN
    const run = synthDiffCommand([real, typo], {});
    // THEN
    expect(run).toEqual({ code: 2, stdout: "", stderr: `synth-diff: no directory ${typo} (the head synth output); expected a directory written by npm run synth, such as cdktf.out\n` });
  });

  test("names the configuration each side was built from, as each synth recorded it", () => {
    const run = synthDiffCommand([outdir({ "account-b": base.b }, "config/example.json"), outdir({ "account-b": head.b }, "config/prod.json")], {});
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^### Synthesized stacks \(base: config\/example\.json; head: config\/prod\.json\): 1 of 1 changed\n/);
  });

  test("one configuration for both sides is named once; a side that recorded none, or holds no stack, says so", () => {
    const same = synthDiffCommand([outdir({ "account-b": base.b }, "config/prod.json"), outdir({ "account-b": head.b }, "config/prod.json")], {});
    expect(same.stdout).toMatch(/^### Synthesized stacks \(config\/prod\.json\): /);
    const unknown = synthDiffCommand([outdir({}), outdir({ "account-b": head.b })], {});
    expect(unknown.stdout).toMatch(/^### Synthesized stacks \(base: nothing synthesized; head: a configuration the synth did not record\): 1 of 1 changed\n/);
  });

  test("relative directories are taken from where the user ran npm (INIT_CWD)", () => {
    const dir = outdir({ "account-b": base.b }, "config/example.json");
    const run = synthDiffCommand([path.basename(dir), path.basename(dir)], { INIT_CWD: path.dirname(dir) });
    expect(run).toMatchObject({ code: 0, stdout: "### Synthesized stacks (config/example.json): no change\n\n" });
  });

  test("--help: the usage on stdout, exit 0; one directory: exit 2 with the usage line", () => {
    expect(synthDiffCommand(["--help"], {})).toMatchObject({ code: 0, stdout: expect.stringMatching(/^usage: npm run -s synth-diff -- <base cdktf.out> <head cdktf.out>\n/), stderr: "" });
    expect(synthDiffCommand(["cdktf.out"], {})).toEqual({ code: 2, stdout: "", stderr: "synth-diff: expected two directories, got 1; usage: npm run -s synth-diff -- <base cdktf.out> <head cdktf.out>\n" });
  });
});
