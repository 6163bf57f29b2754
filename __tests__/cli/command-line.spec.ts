import { EXIT, parseArgs, UsageError } from "../../lib/cli/command-line";

describe("the command line every command shares", () => {
  const flags = [{ name: "--json" }, { name: "--stacks", value: "a directory" }, { name: "--plan", value: "<stack>=<file>", repeats: true }];

  test("--help and -h ask for the usage", () => {
    expect(parseArgs(["--help"], flags).help).toBe(true);
    expect(parseArgs(["-h"], flags).help).toBe(true);
  });

  test("switches, values (also --flag=value) and repeated flags", () => {
    const parsed = parseArgs(["--json", "--stacks", "out", "--plan=account-a=a.json", "--plan", "account-b=b.json"], flags);
    expect([...parsed.switches]).toEqual(["--json"]);
    expect(parsed.values).toEqual({ "--stacks": ["out"], "--plan": ["account-a=a.json", "account-b=b.json"] });
  });

  test.each([
    [["--stacks"], "--stacks needs a directory"],
    [["--stacks", "--json"], "--stacks needs a directory"],
    [["--verbose"], 'unknown option "--verbose"'],
    [["extra"], 'unknown argument "extra"'],
    [["--json=yes"], "--json takes no value"],
    [["--stacks", "a", "--stacks", "b"], "--stacks is given twice"],
  ])("%j: %s", (argv, message) => {
    expect(() => parseArgs(argv, flags)).toThrow(new UsageError(message));
  });

  test("positional arguments, where a command takes them", () => {
    expect(parseArgs(["account-b", "--json", "account-a"], flags, "stack").positional).toEqual(["account-b", "account-a"]);
  });

  test("one exit-code contract: 0 passed, 1 a check failed, 2 could not check", () => {
    expect(EXIT).toEqual({ passed: 0, failed: 1, couldNotCheck: 2 });
  });
});
