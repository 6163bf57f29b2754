import { UsageError } from "../../lib/cli/command-line";
import { sandboxCommand, SANDBOX_USAGE } from "../../emulated/sandbox-options";

describe("npm run sandbox's command line", () => {
  test("no argument brings it up; down removes it; exec passes the command's own options through", () => {
    expect(sandboxCommand([])).toEqual({ command: "up" });
    expect(sandboxCommand(["down"])).toEqual({ command: "down" });
    expect(sandboxCommand(["exec", "account-a", "curl", "-s", "-H", "Host: x", "https://y/"])).toEqual({ command: "exec", stack: "account-a", argv: ["curl", "-s", "-H", "Host: x", "https://y/"] });
  });

  test("--help and -h ask for the usage, which names the exit codes", () => {
    for (const argv of [["--help"], ["-h"], ["down", "--help"], ["exec", "-h"]]) expect(sandboxCommand(argv)).toEqual({ command: "help" });
    expect(SANDBOX_USAGE).toMatch(/Exit code: 0 .*, 1 .*, 2 could not run/s);
  });

  test.each([
    [["exec"], "exec needs a stack and a command, such as: exec account-a dig +short <name>"],
    [["exec", "account-a"], "exec account-a needs a command to run, such as: exec account-a bash"],
    [["--fast"], 'unknown option "--fast"'],
    [["up"], 'unknown argument "up"'],
    [["down", "now"], 'unknown argument "now"'],
  ])("%#: %s", (argv, message) => {
    expect(() => sandboxCommand(argv)).toThrow(new UsageError(message));
  });
});
