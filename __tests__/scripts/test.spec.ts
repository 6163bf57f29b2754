import { existsSync, mkdtempSync, readFileSync, utimesSync, writeFileSync } from "fs";
import { tmpdir } from "os";
import * as path from "path";
import { discardStaleBuildInfo, runTests } from "../../scripts/test";

describe("npm test's type check (tsc -b) and the dependencies it was checked against", () => {
  /** A build info and npm's record of the last install, dated as given (seconds since 2026). */
  function files(buildInfoAt: number, installedAt?: number): { buildInfo: string; installed: string } {
    const dir = mkdtempSync(path.join(tmpdir(), "buildinfo-"));
    const buildInfo = path.join(dir, "tsconfig.tsbuildinfo");
    const installed = path.join(dir, ".package-lock.json");
    const at = (seconds: number) => new Date(Date.UTC(2026, 0, 1) + seconds * 1000);
    writeFileSync(buildInfo, "{}");
    utimesSync(buildInfo, at(buildInfoAt), at(buildInfoAt));
    if (installedAt !== undefined) {
      writeFileSync(installed, "{}");
      utimesSync(installed, at(installedAt), at(installedAt));
    }
    return { buildInfo, installed };
  }

  test("dependencies installed after the last check: the build info is discarded, so every file is checked against them", () => {
    const { buildInfo, installed } = files(100, 200);
    discardStaleBuildInfo(buildInfo, installed);
    expect(existsSync(buildInfo)).toBe(false);
  });

  test("nothing installed since: the build info stays, and tsc -b may find the project up to date", () => {
    const { buildInfo, installed } = files(200, 100);
    discardStaleBuildInfo(buildInfo, installed);
    expect(existsSync(buildInfo)).toBe(true);
  });

  test("no record of an install: nothing can be trusted, the build info is discarded", () => {
    const { buildInfo, installed } = files(200);
    discardStaleBuildInfo(buildInfo, installed);
    expect(existsSync(buildInfo)).toBe(false);
  });
});

describe("npm test: the type check, jest and the Terraform tests at once", () => {
  /** A directory of node scripts, each given as its source. */
  function scripts(sources: Record<string, string>): string {
    const dir = mkdtempSync(path.join(tmpdir(), "npm-test-"));
    for (const [name, source] of Object.entries(sources)) writeFileSync(path.join(dir, name), source);
    return dir;
  }
  const capture = () => {
    const out = { stdout: "", stderr: "" };
    return { out, sink: { stdout: (text: string) => (out.stdout += text), stderr: (text: string) => (out.stderr += text) } };
  };
  /** Whether process `pid` has ended (a zombie left for its new parent to reap counts as ended). */
  const ended = (pid: number) => !existsSync(`/proc/${pid}`) || / Z /.test(readFileSync(`/proc/${pid}/stat`, "utf8"));

  test("every check passes: their outputs in order, then the Terraform tests', whose exit code is npm test's", async () => {
    const dir = scripts({
      "slow.js": 'setTimeout(() => console.log("types fine"), 200);',
      "fast.js": 'console.log("935 passed");',
      "last.js": 'console.log("85 runs"); setTimeout(() => { console.log("summary"); process.exit(4); }, 100);',
    });
    const { out, sink } = capture();
    const code = await runTests([{ name: "tsc", args: ["slow.js"] }, { name: "jest", args: ["fast.js"] }], { name: "test:terraform", args: ["last.js"] }, dir, sink);
    expect(code).toBe(4);
    expect(out.stdout).toMatch(/^> tsc \([\d.]+ s\)\ntypes fine\n> jest \([\d.]+ s\)\n935 passed\n> test:terraform\n85 runs\nsummary\n$/);
    expect(out.stderr).toBe("");
  });

  test("a check fails: the Terraform tests and what they started are stopped, their output is not printed, and the check's exit code is npm test's", async () => {
    // GIVEN Terraform tests that start a child (as they start terraform) and a jest that fails once that child runs
    const dir = scripts({
      "last.js": `const { spawn } = require("child_process");
const child = spawn(process.execPath, ["-e", "require('fs').writeFileSync('child.pid', String(process.pid)); setTimeout(() => {}, 60000)"], { stdio: "ignore" });
console.log("terraform output");
setTimeout(() => {}, 60000);`,
      "failing.js": `const fs = require("fs");
const wait = () => (fs.existsSync("child.pid") ? (console.log("1 failed"), process.exit(3)) : setTimeout(wait, 20));
wait();`,
    });
    const { out, sink } = capture();
    // WHEN npm test runs them
    const code = await runTests([{ name: "jest", args: ["failing.js"] }], { name: "test:terraform", args: ["last.js"] }, dir, sink);
    // THEN
    expect(code).toBe(3);
    expect(out.stdout).toMatch(/^> jest \([\d.]+ s\)\n1 failed\n$/);
    expect(out.stderr).toBe("npm test: jest failed (exit 3); test:terraform was stopped.\n");
    const pid = Number(readFileSync(path.join(dir, "child.pid"), "utf8"));
    for (let i = 0; i < 50 && !ended(pid); i++) await new Promise((resolve) => setTimeout(resolve, 20));
    expect(ended(pid)).toBe(true);
  });
});
