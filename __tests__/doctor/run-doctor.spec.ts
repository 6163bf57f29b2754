import { mkdtempSync, writeFileSync } from "fs";
import { tmpdir } from "os";
import * as path from "path";
import { doctor } from "../../lib/doctor/run-doctor";

describe("npm run doctor's command line", () => {
  test("--help and -h: the usage on stdout, exit 0", async () => {
    for (const flag of ["--help", "-h"]) {
      const run = await doctor([flag], {});
      expect(run).toMatchObject({ code: 0, stderr: "" });
      expect(run.stdout).toMatch(/^usage: npm run -s doctor -- \[--json\]\n/);
    }
  });

  test("a bad configuration: exit 2, like every command that could not check; with --json, JSON on stdout", async () => {
    const file = path.join(mkdtempSync(path.join(tmpdir(), "doctor-")), "bad.json");
    writeFileSync(file, "{");
    const run = await doctor(["--json"], { CONFIG_FILE: file });
    expect(run.code).toBe(2);
    expect(JSON.parse(run.stdout)).toEqual({ checks: [], problems: [expect.stringMatching(/^doctor: invalid configuration .*bad\.json: 1 problem\n {2}- not valid JSON/)] });
  });
});
