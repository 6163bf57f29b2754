import { statSync, utimesSync } from "fs";
import { setUpTerraform } from "../../lib/terraform/cli";

describe("setUpTerraform: the CLI configuration every terraform command of the project reads", () => {
  test("set up again with nothing changed, the file is left as it is: a terraform reading it meanwhile (tests run commands side by side) never sees it emptied", () => {
    // GIVEN the CLI configuration as the project writes it
    const { cliConfigFile } = setUpTerraform({});
    // (dated back, so that a write in the same clock tick would still show)
    utimesSync(cliConfigFile, new Date("2026-01-01T00:00:00Z"), new Date("2026-01-01T00:00:00Z"));
    const before = statSync(cliConfigFile);
    // WHEN another command sets terraform up while the first runs
    setUpTerraform({});
    // THEN the file is the same file, not written again (a write truncates it first)
    const after = statSync(cliConfigFile);
    expect([after.ino, after.mtimeMs, after.size]).toEqual([before.ino, before.mtimeMs, before.size]);
    expect(after.size).toBeGreaterThan(0);
  });
});
