import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "fs";
import { tmpdir } from "os";
import * as path from "path";
import { ConfigError, configWarnings, loadConfig, loadConfigOrExit, parseConfig, resolveConfigFile } from "../../lib/config/load-config";
import { rollout } from "../../lib/deploy/run-rollout";
import { doctor } from "../../lib/doctor/run-doctor";
import { drift } from "../../lib/drift/run-drift";
import { preflight } from "../../lib/preflight/run-preflight-command";
import { EXAMPLE, merge, Overrides } from "../helpers/example";

/** The problem lines a configuration with `overrides` produces (none when it is valid). */
function problems(overrides: Overrides): string[] {
  try {
    parseConfig(merge(EXAMPLE, overrides), "test.json");
    return [];
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
}

describe("the example configuration", () => {
  test("loads with every default filled in", () => {
    // WHEN
    const config = loadConfig("config/example.json");
    // THEN
    expect(config.api).toEqual({ name: "petstore", stageName: "v1", accessLogRetentionDays: 30, allowedSourceCidrs: ["10.0.0.0/16", "172.31.0.0/16"] });
    expect(config.backend).toEqual({ type: "local" });
    expect(config.accountB.manageApiGatewayAccount).toBe(true);
    expect(config.accountA.credentials).toEqual({});
  });

  test.each<[string, Overrides]>([
    ["A and B in one account", { accountB: { accountId: "111111111111" } }],
    ["A and B in two regions (cross-region peering)", { accountB: { region: "us-east-1", availabilityZoneIds: ["use1-az1", "use1-az4"] } }],
    ["A and B in China", { accountA: { region: "cn-north-1" }, accountB: { region: "cn-northwest-1" } }],
    ["A and B in GovCloud", { accountA: { region: "us-gov-west-1" }, accountB: { region: "us-gov-east-1" } }],
    ["the longest name", { name: "a234567890123456789012345678901b" }],
    ["existing VPCs", { accountA: { existingVpc: { vpcId: "vpc-0123456789abcdef0", subnetIds: ["subnet-0123456789abcdef0"], routeTableIds: ["rtb-0123456789abcdef0"] } } }],
    ["an existing VPC for A without the canary (then no subnets are needed)", { accountA: { canary: false, existingVpc: { vpcId: "vpc-0123456789abcdef0", routeTableIds: ["rtb-0123456789abcdef0"] } } }],
    ["a /28 existing VPC", { accountB: { vpcCidr: "172.31.0.0/28", existingVpc: { vpcId: "vpc-0123456789abcdef1", subnetIds: ["subnet-01234567"], routeTableIds: ["rtb-01234567"] } } }],
    ["an S3 backend", { backend: { type: "s3", accountA: { bucket: "a-state" }, accountB: { bucket: "b-state", dynamodbTable: "locks" } } }],
    ["a Terraform Cloud backend", { backend: { type: "cloud", organization: "acme", workspaces: { accountA: "apigw-a", accountB: "apigw-b" } } }],
    ["assumed roles in each account", { accountA: { credentials: { assumeRoleArn: "arn:aws:iam::111111111111:role/deploy" } }, accountB: { credentials: { profile: "b-admin" } } }],
  ])("accepts %s", (_, overrides) => {
    expect(problems(overrides)).toEqual([]);
  });
});

describe("bad input gets one line naming the key, the value and what is expected", () => {
  test.each<[string, Overrides, string]>([
    ["an 11-digit account id", { accountA: { accountId: "11111111111" } },
      'accountA.accountId: got "11111111111"; expected a 12-digit AWS account id in quotes, such as "111111111111"'],
    ["an account id written as a number", { accountB: { accountId: 222222222222 } },
      "accountB.accountId: got 222222222222; expected a 12-digit AWS account id in quotes"],
    ["a region name typo", { accountA: { region: "ap-northeast1" } },
      'accountA.region: got "ap-northeast1"; expected an AWS region name such as "ap-northeast-1"'],
    ["a region of an ISO partition", { accountB: { region: "us-iso-east-1" } },
      'accountB.region: got "us-iso-east-1"; expected a region of the aws, aws-cn or aws-us-gov partition (us-iso-east-1 is in aws-iso, whose endpoints this project does not support)'],
    ["A and B in two partitions", { accountB: { region: "cn-north-1" } },
      'accountB.region: got "cn-north-1"; expected a region of the aws partition, like accountA.region "ap-northeast-1" (a VPC peering cannot cross partitions)'],
    ["a CIDR that is not one", { accountA: { vpcCidr: "10.0.0.0" } },
      'accountA.vpcCidr: got "10.0.0.0"; expected an IPv4 network CIDR with a prefix from /16 to /28'],
    ["a VPC CIDR larger than /16", { accountA: { vpcCidr: "10.0.0.0/8" } },
      'accountA.vpcCidr: got "10.0.0.0/8"; expected an IPv4 network CIDR with a prefix from /16 to /28'],
    ["a VPC CIDR smaller than /28", { accountB: { vpcCidr: "172.31.0.0/29" } },
      'accountB.vpcCidr: got "172.31.0.0/29"; expected an IPv4 network CIDR with a prefix from /16 to /28'],
    ["host bits in a CIDR", { accountB: { vpcCidr: "172.31.0.1/16" } },
      'accountB.vpcCidr: got "172.31.0.1/16"; expected an IPv4 network CIDR'],
    ["overlapping VPC CIDRs", { accountB: { vpcCidr: "10.0.128.0/17" } },
      'accountB.vpcCidr: got "10.0.128.0/17"; expected a CIDR that does not overlap accountA.vpcCidr "10.0.0.0/16" (VPC peering needs disjoint ranges)'],
    ["a new VPC too small for its subnets", { accountA: { vpcCidr: "10.0.0.0/28" } },
      'accountA.vpcCidr: got "10.0.0.0/28"; expected a CIDR large enough for 2 subnets of at least /28'],
    ["a stage name with a space", { api: { stageName: "v 1" } },
      'api.stageName: got "v 1"; expected 1 to 128 letters, digits, - and _'],
    ["the whole internet as a source", { api: { allowedSourceCidrs: ["0.0.0.0/0"] } },
      'api.allowedSourceCidrs.0: got "0.0.0.0/0"; expected an IPv4 network CIDR with a prefix from /8 to /32'],
    ["a retention CloudWatch does not offer", { api: { accessLogRetentionDays: 10 } },
      "api.accessLogRetentionDays: got 10; expected one of CloudWatch Logs' retention periods: 1, 3, 5, 7, 14, 30"],
    ["a misspelt key", { accountA: { vpcCIDR: "10.0.0.0/16" } },
      'accountA.vpcCIDR: unknown key; expected one of accountId, region, vpcCidr, credentials, availabilityZoneIds, existingVpc, canary (did you mean "vpcCidr"?)'],
    ["an unknown top-level key", { tag: { Owner: "me" } },
      'tag: unknown key; expected one of name, accountA, accountB, consumers, apis, api, additionalRegions, tags, backend (did you mean "tags"?)'],
    ["a key that is the start of a known one", { api: { stage: "v1" } },
      'api.stage: unknown key; expected one of name, stageName, allowedSourceCidrs, accessLogRetentionDays (did you mean "stageName"?)'],
    ["an object where a list belongs, in the project's words", { consumers: {} },
      "consumers: got {}; expected a list, [ ... ]"],
    ["a text where an object belongs: its keys", { accountB: { existingVpc: "vpc-0b0b0b0b0b0b0b0b0" } },
      'accountB.existingVpc: got "vpc-0b0b0b0b0b0b0b0b0"; expected an object with the keys vpcId, subnetIds, routeTableIds'],
    ["a tag key AWS reserves: the key's own message, not zod's", { tags: { "aws:team": "x" } },
      'tags.aws:team: got "aws:team"; expected a tag key of 1 to 128 letters, digits, spaces and _.:/=+-@, not starting with "aws:"'],
    ["a tag value with a character AWS refuses", { tags: { Owner: "a<b" } },
      'tags.Owner: got "a<b"; expected a tag value of at most 256 letters, digits, spaces and _.:/=+-@'],
    ["a region AWS does not have", { accountA: { region: "us-east-3" } },
      'accountA.region: got "us-east-3"; expected a region of the aws partition, such as "us-east-1" or "us-east-2"; a region newer than this project\'s list goes in additionalRegions'],
    ["two stacks in one Terraform Cloud workspace", { backend: { type: "cloud", organization: "acme", workspaces: { accountA: "apigw", accountB: "apigw" } } },
      'backend.workspaces.accountB: got "apigw"; expected a workspace of its own: backend.workspaces.accountA names "apigw" too, and two stacks with one state overwrite each other\'s'],
    ["two stacks in one S3 bucket and key", { backend: { type: "s3", accountA: { bucket: "states", key: "apigw.tfstate" }, accountB: { bucket: "states", key: "apigw.tfstate" } } },
      'backend.accountB: got {"bucket":"states","key":"apigw.tfstate"}; expected a bucket and key of its own: backend.accountA uses "s3://states/apigw.tfstate" too'],
    ["more allowed CIDRs than B's security group takes", { api: { allowedSourceCidrs: Array.from({ length: 61 }, (_, i) => `10.${i}.0.0/16`) } },
      'api.allowedSourceCidrs: got 61; expected at most 60 CIDRs, one inbound rule each on B\'s endpoint security group, while accountB.securityGroupRulesQuota is 60: request a higher "Inbound or outbound rules per security group" quota for account B'],
    ["an availability zone name instead of an id", { accountA: { availabilityZoneIds: ["ap-northeast-1a"] } },
      'accountA.availabilityZoneIds.0: got "ap-northeast-1a"; expected an availability zone id such as "apne1-az1" (ids, not names'],
    ["an availability zone of another region", { accountB: { availabilityZoneIds: ["use1-az1"] } },
      'accountB.availabilityZoneIds.0: got "use1-az1"; expected an availability zone id of accountB.region "ap-northeast-1", such as "apne1-az1"'],
    ["a role in another account", { accountB: { credentials: { assumeRoleArn: "arn:aws:iam::333333333333:role/deploy" } } },
      'accountB.credentials.assumeRoleArn: got "arn:aws:iam::333333333333:role/deploy"; expected a role in accountB.accountId "222222222222", not in account 333333333333'],
    ["an unknown backend", { backend: { type: "gcs" } },
      'backend.type: got "gcs"; expected one of "local", "s3" or "cloud"'],
    ["an S3 backend without a bucket", { backend: { type: "s3", accountA: { bucket: "a-state" }, accountB: {} } },
      "backend.accountB.bucket: got nothing; expected an S3 bucket name"],
    ["a missing account", { accountB: undefined },
      "accountB: got nothing; expected"],
    ["an existing VPC id of the wrong form", { accountA: { existingVpc: { vpcId: "10.0.0.0/16", subnetIds: ["subnet-01234567"], routeTableIds: ["rtb-01234567"] } } },
      'accountA.existingVpc.vpcId: got "10.0.0.0/16"; expected an id of the form "vpc-0123456789abcdef0"'],
    ["an existing VPC for A without subnets for the canary", { accountA: { existingVpc: { vpcId: "vpc-0123456789abcdef0", routeTableIds: ["rtb-01234567"] } } },
      'accountA.existingVpc.subnetIds: got nothing; expected the client subnets the canary runs in (accountA.canary is on), such as ["subnet-0123456789abcdef0"]; or set accountA.canary to false'],
    ["the canary switch as a string", { accountA: { canary: "no" } },
      'accountA.canary: got "no"; expected true or false'],
  ])("%s", (_, overrides, message) => {
    expect(problems(overrides)).toEqual([expect.stringContaining(message)]);
  });

  test("every problem of a file is reported together", () => {
    // GIVEN three independent mistakes
    const found = problems({ accountA: { accountId: "1" }, accountB: { vpcCidr: "10.0.0.0/16" }, api: { stageName: "" } });
    // THEN
    expect(found.map((line) => line.split(":")[0])).toEqual(["accountA.accountId", "api.stageName", "accountB.vpcCidr"]);
  });

  test("a missing file names the file and CONFIG_FILE", () => {
    expect(() => loadConfig("no/such/config.json")).toThrow(
      "no/such/config.json: 1 problem\n  - cannot read the file (no such file); expected a JSON configuration such as config/example.json, named by CONFIG_FILE",
    );
  });

  test("docs/configuration.md's example of a configuration with three mistakes is what the app prints for it", () => {
    // GIVEN the example output in docs/configuration.md, and the file it describes
    const readme = readFileSync(path.join(__dirname, "../../docs/configuration.md"), "utf8");
    const example = /\$ CONFIG_FILE=bad\.json node scripts\/app\.js[^\n]*\n([\s\S]*?)\nNo stack was synthesized\./.exec(readme)?.[1] ?? "";
    const bad = { accountA: { vpcCidr: undefined, vpcCIDR: "10.0.0.0/16" }, accountB: { accountId: "22222222222" } };
    // THEN its problem lines are the app's, word for word
    expect(example.split("\n").filter((line) => line.startsWith("  - "))).toEqual(problems(bad).map((line) => `  - ${line}`));
  });

  test("invalid JSON names the file and where it breaks", () => {
    const file = path.join(mkdtempSync(path.join(tmpdir(), "config-")), "broken.json");
    writeFileSync(file, '{ "accountA": { ');
    expect(() => loadConfig(file)).toThrow(/broken\.json: 1 problem\n {2}- not valid JSON at line 1, column 17: .*; expected a JSON object/);
  });

  test.each([
    ["a trailing comma", '{\n  "accountA": {\n    "accountId": "111111111111",\n  }\n}', "line 4, column 3"],
    ["a value in single quotes", "{\n  \"name\": 'demo'\n}", "line 2, column 11"],
    ["a file cut short", '{\n  "accountA": {\n', "line 3, column 1"],
  ])("a JSON syntax error, %s: the line and column where it breaks", (_, text, where) => {
    const file = path.join(mkdtempSync(path.join(tmpdir(), "config-")), "broken.json");
    writeFileSync(file, text);
    expect(() => loadConfig(file)).toThrow(`${file}: 1 problem\n  - not valid JSON at ${where}: `);
  });

  test("a file saved with a UTF-8 byte order mark (as some Windows editors do) is read like one without", () => {
    const file = path.join(mkdtempSync(path.join(tmpdir(), "config-")), "bom.json");
    writeFileSync(file, `\uFEFF${JSON.stringify(EXAMPLE)}`);
    expect(loadConfig(file).accountA.accountId).toBe(EXAMPLE.accountA.accountId);
  });

  test.each([
    ["a string", "s3", 'backend: got "s3"; expected an object: { "type": "local" }, { "type": "s3", ... } or { "type": "cloud", ... }'],
    ["a list", ["s3"], 'backend: got ["s3"]; expected an object: { "type": "local" }, { "type": "s3", ... } or { "type": "cloud", ... }'],
    ["an object without its type", {}, 'backend.type: got nothing; expected one of "local", "s3" or "cloud" for backend.type'],
  ])("a backend given as %s: it says an object is expected, and which", (_, backend, message) => {
    expect(problems({ backend })).toEqual([message]);
  });
});

describe("CONFIG_FILE: relative to the directory the user ran npm from", () => {
  // npm runs every script at the project root, and says in INIT_CWD where the user was.
  const userDir = () => mkdtempSync(path.join(tmpdir(), "user-dir-"));

  test("a relative CONFIG_FILE is resolved against INIT_CWD, an absolute one is kept, and none is the project's example", () => {
    expect(resolveConfigFile({ CONFIG_FILE: "prod.json", INIT_CWD: "/home/me/project/config" })).toBe("/home/me/project/config/prod.json");
    expect(resolveConfigFile({ CONFIG_FILE: "/etc/prod.json", INIT_CWD: "/home/me" })).toBe("/etc/prod.json");
    expect(resolveConfigFile({ CONFIG_FILE: "config/example.json" })).toBe(path.resolve("config/example.json"));
    expect(resolveConfigFile({})).toBe(path.join(__dirname, "../../config/example.json"));
  });

  test("every command reads it so, and names the resolved path", async () => {
    // GIVEN a user in a directory of their own, with CONFIG_FILE naming a file there that is not valid
    const dir = userDir();
    writeFileSync(path.join(dir, "mine.json"), "{");
    const env = { CONFIG_FILE: "mine.json", INIT_CWD: dir };
    const resolved = path.join(dir, "mine.json");
    // WHEN each command that reads the configuration runs
    const captured = async (run: () => unknown) => {
      const err: string[] = [];
      const write = jest.spyOn(process.stderr, "write").mockImplementation((chunk) => (err.push(String(chunk)), true));
      const out = jest.spyOn(process.stdout, "write").mockImplementation(() => true);
      const exit = jest.spyOn(process, "exit").mockImplementation(((code: number) => {
        throw new Exited(code);
      }) as never);
      try {
        await run();
      } catch (error) {
        if (!(error instanceof Exited)) throw error;
      } finally {
        write.mockRestore();
        out.mockRestore();
        exit.mockRestore();
      }
      return err.join("");
    };
    const runs = {
      synth: await captured(() => loadConfigOrExit({ ...env, CDKTF_OUTDIR: path.join(dir, "out") })),
      deploy: await captured(() => rollout("deploy", [], dir, env)),
      preflight: preflight([], env).stderr,
      doctor: (await doctor([], env)).stderr,
      drift: (await drift([], env)).stderr,
    };
    // THEN each one names the file in the user's directory
    for (const [command, stderr] of Object.entries(runs)) expect([command, stderr]).toEqual([command, expect.stringContaining(`${resolved}: 1 problem\n  - not valid JSON at line 1, column 2: `)]);
  });
});

describe("what a valid configuration is told", () => {
  test("tags with letters of any language are accepted, as AWS accepts them", () => {
    expect(parseConfig(merge(EXAMPLE, { tags: { Équipe: "données", Owner: "Zoë Müller" } })).tags).toEqual({ Équipe: "données", Owner: "Zoë Müller" });
  });

  test("a region newer than the project's list is accepted when named in additionalRegions", () => {
    expect(parseConfig(merge(EXAMPLE, { accountA: { region: "us-east-3" }, additionalRegions: ["us-east-3"] })).accountA.region).toBe("us-east-3");
  });

  test("a profile with the cloud backend: a warning with the alternative docs/backends.md gives", () => {
    const config = parseConfig(merge(EXAMPLE, { accountA: { credentials: { profile: "dev" } }, backend: { type: "cloud", organization: "acme", workspaces: { accountA: "a", accountB: "b" } } }));
    expect(configWarnings(config)).toEqual([
      'accountA.credentials.profile is "dev" while backend.type is "cloud": remote runs in Terraform Cloud have no profile (only workspaces in local execution mode use it); give the workspace its account\'s credentials instead (docs/backends.md, Terraform Cloud, step 2)',
    ]);
    expect(configWarnings(parseConfig(EXAMPLE))).toEqual([]);
  });
});

describe("the app with a bad configuration", () => {
  test("prints the problems once, no stack trace, exits 2 (could not synthesize), writes no stack output and removes an earlier one", () => {
    // GIVEN
    const dir = mkdtempSync(path.join(tmpdir(), "bad-config-"));
    const file = path.join(dir, "bad.json");
    writeFileSync(file, JSON.stringify(merge(EXAMPLE, { accountA: { vpcCidr: "172.31.0.0/16" } })));
    const outdir = path.join(dir, "out");
    // An earlier synth's output, which must not pass for this configuration's.
    mkdirSync(outdir);
    writeFileSync(path.join(outdir, "manifest.json"), "{}");
    const stderr: string[] = [];
    const exit = jest.spyOn(process, "exit").mockImplementation(((code: number) => {
      throw new Exited(code);
    }) as never);
    const write = jest.spyOn(process.stderr, "write").mockImplementation((text) => (stderr.push(String(text)), true));
    Object.assign(process.env, { CONFIG_FILE: file, CDKTF_OUTDIR: outdir });
    try {
      // WHEN main.ts runs
      expect(() => jest.isolateModules(() => require("../../main"))).toThrow(new Exited(2));
    } finally {
      exit.mockRestore();
      write.mockRestore();
      delete process.env.CONFIG_FILE;
      delete process.env.CDKTF_OUTDIR;
    }
    // THEN
    expect(stderr.join("")).toBe(
      `Invalid configuration ${file}: 1 problem\n` +
        '  - accountB.vpcCidr: got "172.31.0.0/16"; expected a CIDR that does not overlap accountA.vpcCidr "172.31.0.0/16" (VPC peering needs disjoint ranges)\n' +
        `No stack was synthesized; the earlier output in ${path.relative(process.cwd(), outdir)} was removed.\n`,
    );
    expect(existsSync(outdir)).toBe(false);
  });
});

/** Stands in for the process ending, so that the test sees the exit code. */
class Exited extends Error {
  constructor(readonly code: number) {
    super(`process.exit(${code})`);
  }
}
