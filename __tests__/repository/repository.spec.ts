import { existsSync, readFileSync } from "fs";
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
    expect(readme).not.toMatch(/cdktf synth --hcl` writes HCL instead/);
    expect(readme).toMatch(/JSON route is the only one this project supports/);
  });

  test("every npm script the README runs exists", () => {
    const named = new Set([...readme.matchAll(/npm run (?:-s )?([a-z:-]+)/g)].map((m) => m[1]));
    expect([...named].filter((script) => !(script in pkg.scripts))).toEqual([]);
  });

  test("its README states one exit-code contract for every command it names", () => {
    const table = readme.slice(readme.indexOf("### Commands and their exit codes"));
    for (const command of ["npm run synth", "npm run preflight", "npm run doctor", "npm run drift", "npm run deploy", "npm run destroy", "npm run bench", "npm run test:emulated"]) {
      expect([command, table.includes(`\`${command}`)]).toEqual([command, true]);
    }
    expect(table).toContain("| 0 | 1 | 2 |");
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
