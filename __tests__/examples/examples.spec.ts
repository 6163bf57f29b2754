import { existsSync, readdirSync, readFileSync } from "fs";
import * as path from "path";
import { configWarnings, loadConfig } from "../../lib/config/load-config";
import { stackFromSynth } from "../../lib/preflight/model";
import { runPreflight } from "../../lib/preflight/run-preflight";
import { synthProject } from "../helpers/project";

const ROOT = path.join(__dirname, "../..");
const EXAMPLES = path.join(ROOT, "examples");

/** Every directory of examples/: each is a configuration a user copies. */
const examples = readdirSync(EXAMPLES, { withFileTypes: true })
  .filter((entry) => entry.isDirectory())
  .map((entry) => entry.name)
  .sort();

/** Every consumer's path of one synthesized project, as `npm run preflight` reads it. */
function preflightOf(stacks: Record<string, any>) {
  const b = stackFromSynth("account-b", stacks["account-b"]);
  return Object.keys(stacks)
    .filter((stack) => stack !== "account-b")
    .map((stack) => ({ stack, results: runPreflight({ a: stackFromSynth(stack, stacks[stack]), b }) }));
}

describe("examples/: each configuration a user copies", () => {
  test("are the ones the README and docs/ list", () => {
    expect(examples).toEqual(["cross-region", "existing-api", "existing-vpcs", "many-consumers", "own-api", "s3-backend", "same-account", "terraform-cloud", "two-accounts"]);
  });

  test.each(examples)("%s: a config.json and a README.md that starts with a title and says when to use it", (name) => {
    expect(existsSync(path.join(EXAMPLES, name, "config.json"))).toBe(true);
    const readme = readFileSync(path.join(EXAMPLES, name, "README.md"), "utf8");
    expect(readme).toMatch(/^# .+\n\n.+/);
    expect(readme).toMatch(/use it when|use this when/i);
    // The command that uses it, as the README names it.
    expect(readme).toContain(`CONFIG_FILE=examples/${name}/config.json`);
  });

  test.each(examples)("%s: loads without a warning, synthesizes, and the preflight of every consumer's path fails nothing", (name) => {
    // GIVEN the example, validated as every command validates it (OpenAPI files read)
    const config = loadConfig(path.join(EXAMPLES, name, "config.json"));
    expect(configWarnings(config)).toEqual([]);
    // WHEN it is synthesized in-process and every consumer's path is checked
    const { stacks } = synthProject(config);
    const paths = preflightOf(stacks);
    // THEN every consumer has a path, and no check fails (acceptance waits for B's second deploy)
    expect(paths.map((p) => p.stack).sort()).toEqual(["account-a", ...config.consumers.map((c) => `consumer-${c.name}`)].sort());
    for (const { stack, results } of paths) {
      expect([stack, results.filter((r) => r.status === "fail")]).toEqual([stack, []]);
      expect(results.length).toBeGreaterThan(10);
    }
  });
});
