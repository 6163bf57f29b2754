import { existsSync, mkdtempSync, rmSync, utimesSync, writeFileSync } from "fs";
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
  const dirs: string[] = [];
  afterAll(() => dirs.forEach((dir) => rmSync(dir, { recursive: true, force: true })));
  /** A directory of node scripts, each given as its source. */
  function scripts(sources: Record<string, string>): string {
    const dir = mkdtempSync(path.join(tmpdir(), "npm-test-"));
    dirs.push(dir);
    for (const [name, source] of Object.entries(sources)) writeFileSync(path.join(dir, name), source);
    return dir;
  }
  const capture = () => {
    const out = { stdout: "", stderr: "" };
    return { out, sink: { stdout: (text: string) => (out.stdout += text), stderr: (text: string) => (out.stderr += text) } };
  };
  /** Node source that waits for `file` to exist, then runs `then`. */
  const once = (file: string, then: string) => `const fs = require("fs");\nconst wait = () => (fs.existsSync(${JSON.stringify(file)}) ? (${then}) : setTimeout(wait, 10));\nwait();\n`;

  test("every check passes: their outputs in order, then the Terraform tests' (each line to its stream, even those printed before), whose exit code is npm test's", async () => {
    // GIVEN Terraform tests that print before the checks end, and a type check that ends after jest
    const dir = scripts({
      "last.js": 'console.log("85 runs ✔"); console.error("a warning"); require("fs").writeFileSync("printed", ""); setTimeout(() => { console.log("summary"); process.exit(4); }, 50);',
      "types.js": once("printed", 'console.log("types fine"), setTimeout(() => {}, 100)'),
      "jest.js": 'console.log("935 passed");',
    });
    const { out, sink } = capture();
    const code = await runTests([{ name: "tsc", args: ["types.js"] }, { name: "jest", args: ["jest.js"] }], { name: "test:terraform", args: ["last.js"] }, dir, sink);
    expect(code).toBe(4);
    expect(out.stdout).toMatch(/^> tsc \([\d.]+ s\)\ntypes fine\n> jest \([\d.]+ s\)\n935 passed\n> test:terraform\n85 runs ✔\nsummary\n$/);
    expect(out.stderr).toBe("a warning\n");
  });

  test("a check fails: the Terraform tests and what they started are stopped at once, their output is not printed, and the check's exit code is npm test's", async () => {
    // GIVEN Terraform tests that start a child (as they start terraform), a jest that fails once
    // that child runs, and a type check that would go on for a minute
    const dir = scripts({
      "last.js": `const { spawn } = require("child_process");
spawn(process.execPath, ["-e", "process.on('SIGTERM', () => { require('fs').writeFileSync('child-stopped', ''); process.exit(0); }); require('fs').writeFileSync('child-running', ''); setInterval(() => {}, 1000)"], { stdio: "ignore" });
console.log("terraform output");
setInterval(() => {}, 1000);`,
      "jest.js": once("child-running", 'console.log("1 failed"), process.exit(3)'),
      "types.js": once("child-stopped", 'console.log("types fine")'),
    });
    const { out, sink } = capture();
    // WHEN npm test runs them
    const code = await runTests([{ name: "tsc", args: ["types.js"] }, { name: "jest", args: ["jest.js"] }], { name: "test:terraform", args: ["last.js"] }, dir, sink);
    // THEN the child got SIGTERM while the type check still ran (it ends only once the child has stopped)
    expect(existsSync(path.join(dir, "child-stopped"))).toBe(true);
    expect(code).toBe(3);
    expect(out.stdout).toMatch(/^> tsc \([\d.]+ s\)\ntypes fine\n> jest \([\d.]+ s\)\n1 failed\n$/);
    expect(out.stderr).toBe("npm test: jest failed (exit 3); test:terraform was stopped.\n");
  });
});
