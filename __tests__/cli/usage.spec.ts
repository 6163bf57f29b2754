import { UsageError } from "../../lib/cli/command-line";
import { benchOptions, BENCH_USAGE } from "../../bench/run";
import { EMULATED_USAGE, emulatedOptions } from "../../emulated/options";

describe("npm run bench and npm run test:emulated follow the same command line", () => {
  test("--help and -h ask for the usage, which names the exit codes", () => {
    for (const flag of ["--help", "-h"]) {
      expect(benchOptions([flag]).help).toBe(true);
      expect(emulatedOptions([flag], ["rollout"]).help).toBe(true);
    }
    for (const usage of [BENCH_USAGE, EMULATED_USAGE]) expect(usage).toMatch(/Exit code: 0 .*, 1 .*,\s2 could not run/s);
  });

  test.each([
    [() => benchOptions(["--pairs"]), "--pairs needs a whole number of at least 5"],
    [() => benchOptions(["--pairs", "3"]), "--pairs needs a whole number of at least 5, got 3"],
    [() => emulatedOptions(["--only"], ["rollout"]), "--only needs a scenario name (see --list)"],
    [() => emulatedOptions(["--only", "rollout,nope"], ["rollout"]), "--only: no scenario named nope; expected one of rollout"],
    [() => emulatedOptions(["--emulator"], ["rollout"]), "--emulator needs a URL such as http://127.0.0.1:5000"],
    [() => emulatedOptions(["--fast"], ["rollout"]), 'unknown option "--fast"'],
  ])("%#: %s", (run, message) => {
    expect(run).toThrow(new UsageError(message));
  });
});
