import { existsSync, mkdtempSync, utimesSync, writeFileSync } from "fs";
import { tmpdir } from "os";
import * as path from "path";
import { discardStaleBuildInfo } from "../../scripts/test";

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
