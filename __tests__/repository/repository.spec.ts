import { existsSync, readdirSync, readFileSync } from "fs";
import * as path from "path";

const ROOT = path.join(__dirname, "../..");
const read = (file: string) => readFileSync(path.join(ROOT, file), "utf8");
const readme = read("README.md");
const pkg = JSON.parse(read("package.json"));

describe("the repository", () => {
  test("cites its source article by title and date, not by a path outside the repository", () => {
    expect(readme).not.toContain("../shared");
    expect(readme).toContain("他アカウントのVPCエンドポイントを使用してプライベートAPI");
    expect(readme).toContain("2019-11-24");
  });

  test("carries the license package.json names: the text of MPL-2.0", () => {
    expect(pkg.license).toBe("MPL-2.0");
    expect(read("LICENSE").split("\n")[0]).toBe("Mozilla Public License Version 2.0");
  });

  test("offers the JSON route off cdktf only: cdktf's HCL output does not pass terraform init", () => {
    const decisions = read("docs/design-decisions.md");
    expect(decisions).not.toMatch(/cdktf synth --hcl` writes HCL instead/);
    expect(decisions).toMatch(/JSON route is the only one this project supports/);
  });

  test("its README is one a platform engineer reads in five minutes: 150 to 250 lines", () => {
    const lines = readme.split("\n").length;
    expect(lines).toBeGreaterThanOrEqual(150);
    expect(lines).toBeLessThanOrEqual(250);
  });

  test("every npm script the README and docs/ run exists", () => {
    const docs = readdirSync(path.join(ROOT, "docs")).filter((f) => f.endsWith(".md")).map((f) => read(`docs/${f}`));
    const named = new Set([readme, ...docs].flatMap((text) => [...text.matchAll(/npm run (?:-s )?([a-z:-]+)/g)].map((m) => m[1])));
    expect([...named].filter((script) => !(script in pkg.scripts))).toEqual([]);
  });

  test("its README states one exit-code contract, in one table, for every npm script", () => {
    const section = readme.slice(readme.indexOf("## Commands"));
    const table = section.slice(0, section.indexOf("\n## "));
    expect(table).toContain("| command | what it does | 0 | 1 | 2 |");
    const rows = table.split("\n").filter((line) => line.startsWith("| `npm "));
    for (const script of Object.keys(pkg.scripts)) {
      const command = script === "test" ? "npm test" : `npm run ${script}`;
      expect([command, rows.filter((row) => row.startsWith(`| \`${command}\``)).length]).toEqual([command, 1]);
    }
  });

  test("the pull request workflow synthesizes the team's configuration and posts the diff against the base branch", () => {
    const workflow = read(".github/workflows/pull-request.yml");
    expect(workflow).toContain("CONFIG_FILE: ${{ vars.CDKTF_CONFIG_FILE || 'config/example.json' }}");
    expect(workflow).toContain("pull-requests: write");
    expect(workflow).toMatch(/git worktree add \.\.\/base "\$\{\{ github\.event\.pull_request\.base\.sha \}\}"/);
    expect(workflow).toContain("npm run -s synth-diff -- base.out cdktf.out > synth-diff.md");
    expect(workflow).toMatch(/gh pr comment .* --body-file synth-diff\.md/);
    expect(pkg.scripts["synth-diff"]).toBeDefined();
  });

  test("CI runs the README's test command, then the emulated suite", () => {
    const ci = read(".ci/run");
    expect(ci.indexOf("npm test")).toBeGreaterThan(0);
    expect(ci.indexOf("npm run -s test:emulated")).toBeGreaterThan(ci.indexOf("npm test"));
    expect(existsSync(path.join(ROOT, "emulated/emulator/moto_launcher.py"))).toBe(true);
  });
});
