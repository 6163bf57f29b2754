import { UsageError } from "../../lib/cli/command-line";
import { sandboxCommandLine, sandboxOptions } from "../../emulated/sandbox-options";

describe("npm run sandbox's command line", () => {
  test("no argument brings it up; down removes it; exec passes the command's own options through", () => {
    expect(sandboxOptions([])).toEqual({ help: false, command: "up" });
    expect(sandboxOptions(["down"])).toEqual({ help: false, command: "down" });
    expect(sandboxOptions(["exec", "account-a", "curl", "-s", "-H", "Host: x", "https://y/"])).toEqual({ help: false, command: "exec", stack: "account-a", argv: ["curl", "-s", "-H", "Host: x", "https://y/"] });
  });

  test("--help and -h ask for the usage, also after down and exec", () => {
    for (const argv of [["--help"], ["-h"], ["down", "--help"], ["exec", "-h"]]) expect(sandboxCommandLine(argv)).toMatchObject({ code: 0, stdout: expect.stringMatching(/^usage: npm run sandbox /) });
  });

  test.each([
    [["exec"], "exec needs a stack and a command, such as: exec account-a dig +short <name>"],
    [["exec", "account-a"], "exec account-a needs a command to run, such as: exec account-a bash"],
    [["up"], 'unknown argument "up"'],
    [["down", "now"], 'unknown argument "now"'],
  ])("%#: %s", (argv, message) => {
    expect(() => sandboxOptions(argv)).toThrow(new UsageError(message));
  });
});
