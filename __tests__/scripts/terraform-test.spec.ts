import { asGuest, lanesOf, longestFirst, resultsBySuite, Suite } from "../../scripts/terraform-test";

/** A suite of `runs` runs in one file, with or without an `import` block in its configuration. */
function suite(label: string, runs: number, importsResources = false): Suite {
  const text = Array.from({ length: runs }, (_, i) => `run "r${i}" {\n  command = plan\n}\n`).join("\n");
  return { label, dir: `/out/${label.replace("/", "/stacks/")}`, files: new Map([["rollout.tftest.hcl", text]]), importsResources };
}

describe("npm run test:terraform: several stack directories in one terraform test process", () => {
  test("every directory with an import block is a root (Terraform allows imports in a root module only); the others join the lane with the fewest runs", () => {
    // GIVEN two configurations whose account-b imports, and four other directories
    const suites = [suite("example/account-b", 20, true), suite("example/account-a", 9), suite("two-apis/account-b", 5, true), suite("existing-vpcs/account-b", 13), suite("existing-vpcs/account-a", 12), suite("two-apis/account-a", 1)];
    // WHEN they are put into lanes
    const lanes = lanesOf(suites, 2);
    // THEN both importing directories are roots, every directory is in exactly one lane, and the lanes are balanced
    expect(lanes.map((lane) => lane.root.label)).toEqual(["example/account-b", "two-apis/account-b"]);
    expect(lanes.flatMap((lane) => [lane.root, ...lane.guests].map((s) => s.label)).sort()).toEqual(suites.map((s) => s.label).sort());
    const runs = lanes.map((lane) => [lane.root, ...lane.guests].reduce((n, s) => n + s.files.get("rollout.tftest.hcl")!.split('run "').length - 1, 0));
    expect(runs).toEqual([30, 30]);
  });

  test("no directory imports: the largest ones are the roots, as many as there are lanes", () => {
    const lanes = lanesOf([suite("a/account-b", 3), suite("a/account-a", 8), suite("b/account-a", 2)], 2);
    expect(lanes.map((lane) => [lane.root.label, lane.guests.map((g) => g.label)])).toEqual([
      ["a/account-a", []],
      ["a/account-b", ["b/account-a"]],
    ]);
  });

  test("a guest's runs each get its directory as their module; a relative module source is rebased; the file's other blocks are left as they are", () => {
    const text = [
      'mock_provider "aws" {\n  alias = "account_a"\n}\n',
      'run "first" {\n  command = plan\n  assert {\n    condition     = true\n    error_message = "x"\n  }\n}\n',
      'run "check_module" {\n  module { source = "./assets/canary_check-module/abc" }\n  providers = { aws = aws.account_a }\n}\n',
      'run "variant" {\n  state_key = "account-b"\n\n  module {\n    source = "./tests/consumer-removed"\n  }\n}\n',
    ].join("\n");
    expect(asGuest(text, "../../../example/stacks/account-a")).toBe(
      [
        'mock_provider "aws" {\n  alias = "account_a"\n}\n',
        'run "first" {\n  module { source = "../../../example/stacks/account-a" }\n  command = plan\n  assert {\n    condition     = true\n    error_message = "x"\n  }\n}\n',
        'run "check_module" {\n  module { source = "../../../example/stacks/account-a/assets/canary_check-module/abc" }\n  providers = { aws = aws.account_a }\n}\n',
        'run "variant" {\n  state_key = "account-b"\n\n  module {\n    source = "../../../example/stacks/account-a/tests/consumer-removed"\n  }\n}\n',
      ].join("\n"),
    );
  });

  test("a guest run whose module is not a directory of its own cannot be pointed at it: refused, not run against another configuration", () => {
    expect(() => asGuest('run "x" {\n  module { source = "hashicorp/something/aws" }\n}\n', "../a")).toThrow('run "x": module source "hashicorp/something/aws" is not one relative to its stack directory');
    expect(() => asGuest('run "x" {\n  module { source = "./a" }\n  module { source = "./b" }\n}\n', "../a")).toThrow('run "x": module source "./a" is not one relative');
  });

  test("a run block written otherwise (a comment after its brace, CRLF, no newline at the end) is refused: left as it is, it would plan the root's configuration under the guest's name", () => {
    for (const text of ['run "x" { # note\n  command = plan\n}\n', 'run "x" {\r\n  command = plan\r\n}\r\n', 'run "x" {\n  command = plan\n}']) {
      expect(() => asGuest(text, "../a")).toThrow("1 of 1 run blocks are not written as");
    }
    // A closing brace with a comment makes the block run on into the next one: that one would get no module.
    expect(() => asGuest('run "x" {\n  command = plan\n} # end\n\nrun "y" {\n  command = plan\n}\n', "../a")).toThrow("1 of 2 run blocks");
  });

  test("only the module's source is rebased, not another attribute holding the same text", () => {
    const text = 'run "v" {\n  variables { dir = "./tests/v" }\n  module { source = "./tests/v" }\n}\n';
    expect(asGuest(text, "../b")).toBe('run "v" {\n  variables { dir = "./tests/v" }\n  module { source = "../b/tests/v" }\n}\n');
  });

  test("terraform test's output is counted per directory by its files' names, a failed run where it failed", () => {
    const suites = [suite("example/account-b", 2, true), suite("example/account-a", 1)];
    const output = [
      "tests/example.account-b.rollout.tftest.hcl... in progress",
      '  run "r0"... pass',
      '  run "r1"... pass',
      "tests/example.account-b.rollout.tftest.hcl... tearing down",
      "tests/example.account-b.rollout.tftest.hcl... pass",
      "tests/example.account-a.rollout.tftest.hcl... in progress",
      '  run "r0"... fail',
      "Error: Test assertion failed",
      "tests/example.account-a.rollout.tftest.hcl... fail",
      "Failure! 2 passed, 1 failed.",
    ].join("\n");
    expect(Object.fromEntries(resultsBySuite(output, suites))).toEqual({
      "example/account-b": { passed: 2, failed: 0 },
      "example/account-a": { passed: 0, failed: 1 },
    });
  });

  test("a file that fails outside its runs (its teardown) fails its own directory; a file that does not parse fails every run of the lane, none reported", () => {
    const suites = [suite("example/account-b", 1, true), suite("example/account-a", 2)];
    // GIVEN account-a's runs passed but its teardown failed
    const teardown = [
      "tests/example.account-b.rollout.tftest.hcl... in progress",
      '  run "r0"... pass',
      "tests/example.account-b.rollout.tftest.hcl... pass",
      "tests/example.account-a.rollout.tftest.hcl... in progress",
      '  run "r0"... pass',
      '  run "r1"... pass',
      "tests/example.account-a.rollout.tftest.hcl... tearing down",
      "tests/example.account-a.rollout.tftest.hcl... fail",
    ].join("\n");
    expect(Object.fromEntries(resultsBySuite(teardown, suites))).toEqual({ "example/account-b": { passed: 1, failed: 0 }, "example/account-a": { passed: 2, failed: 1 } });
    // GIVEN a file of the lane that does not parse: terraform test stops before any run
    const unparsable = "Error: Unclosed configuration block\n\n  on tests/example.account-a.rollout.tftest.hcl line 3";
    expect(Object.fromEntries(resultsBySuite(unparsable, suites))).toEqual({ "example/account-b": { passed: 0, failed: 1 }, "example/account-a": { passed: 0, failed: 2 } });
  });

  test("runs skipped after a failed one count as failed; the file's own fail line is theirs, not one more", () => {
    const suites = [suite("example/account-a", 3)];
    const output = [
      "tests/example.account-a.rollout.tftest.hcl... in progress",
      '  run "r0"... pass',
      '  run "r1"... fail',
      '  run "r2"... skip',
      "tests/example.account-a.rollout.tftest.hcl... fail",
    ].join("\n");
    expect(resultsBySuite(output, suites).get("example/account-a")).toEqual({ passed: 1, failed: 2 });
  });
});

describe("npm run test:terraform: the order of its processes, two at a time", () => {
  const task = (key: string, guess: number) => ({ key, guess, run: async () => key });

  test("the longest last time first, so that the shortest end the run and neither core waits alone; a task new since then by its guess", () => {
    const tasks = [task("integration/deploy.test.ts", 10), task("example/account-b", 20), task("integration/network-acl-reader.test.ts", 10), task("two-apis/account-b", 13), task("new/account-b", 12)];
    const last = { "example/account-b": 16.7, "two-apis/account-b": 9.9, "integration/deploy.test.ts": 8.9, "integration/network-acl-reader.test.ts": 1.5 };
    expect(longestFirst(tasks, last).map((t) => t.key)).toEqual(["example/account-b", "new/account-b", "two-apis/account-b", "integration/deploy.test.ts", "integration/network-acl-reader.test.ts"]);
  });

  test("no durations on record (a clean checkout): by the guesses, equal ones by name", () => {
    expect(longestFirst([task("b", 3), task("a", 3), task("c", 9)], {}).map((t) => t.key)).toEqual(["c", "a", "b"]);
  });
});
