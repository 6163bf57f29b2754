/**
 * `npm run test:terraform`: synthesizes the stacks for each test configuration, then runs
 * `terraform test` (mocked AWS provider, real hashicorp/aws schema) on every stack directory, and
 * prints a summary per directory.
 *
 * Test files live in __tests__/terraform/<stack>/*.tftest.hcl with {{placeholders}} that this
 * script fills from each configuration, for stacks synthesized into cdktf.out/terraform-test/
 * (a tree of its own, so a user's `cdktf synth` output is never overwritten by a test run). A
 * file whose first lines say `# cases: a, b` runs for those configurations only. `--case <name>`
 * runs one configuration. Several directories share one `terraform test` process (a lane, see
 * `Lane`): the files of a lane are written to its root directory's tests/ as
 * `<case>.<stack>.<file>`, the other directories' runs pointed at them with `module { source }`.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from "fs";
import * as path from "path";
import { homedir } from "os";
import { exitWith, optionsOrUsage, parseArgs, UsageError } from "../lib/cli/command-line";
import { consumersOf, Consumer } from "../lib/config/consumers";
import { hclExpression } from "../lib/terraform/hcl";
import { keptOnDestroy } from "../lib/deploy/kept-on-destroy";
import { loadConfig } from "../lib/config/load-config";
import { apiGatewayCloudWatchRolePath } from "../lib/config/names";
import { executeApiDomain, executeApiServiceName, requirePartition } from "../lib/config/partition";
import { Config } from "../lib/config/schema";
import { azIdPrefix } from "../lib/config/regions";
import { peeringAccepterTags, peeringRequestTags, stackDefaultTags } from "../lib/stack/tags";
import { command, pool, requireTerraform, setUpTerraform, startSharedProvider, terraform, TEST_GOGC } from "../lib/terraform/cli";

const ROOT = path.join(__dirname, "..");
const TESTS = path.join(ROOT, "__tests__/terraform");
/** Tests of the project's own code that need terraform (node:test; jest runs the rest). */
const INTEGRATION = path.join(ROOT, "__tests__/integration");
const OUT = path.join(ROOT, "cdktf.out/terraform-test");
/** How long each lane and integration test file took last time, in seconds (`longestFirst`). */
const DURATIONS = path.join(ROOT, "node_modules/.cache/terraform-test/durations.json");

/** A configuration the rollout is proven for. */
interface TestCase {
  readonly name: string;
  readonly file: string;
  /**
   * Other configurations derived from it whose account-b stack its tests plan against the same
   * state (written to account-b's tests/<variant>/, for `module { source }` with a shared state_key).
   */
  readonly variants?: Record<string, (config: any) => any>;
  /**
   * The consumer stacks whose directories are tested. Consumers of one configuration share their
   * code and differ in values (jest checks each one's wiring), so one of a kind is enough.
   * @default - every consumer
   */
  readonly consumers?: string[];
}

const CASES: TestCase[] = [
  { name: "example", file: "config/example.json" },
  { name: "cross-region", file: "examples/cross-region/config.json" },
  { name: "existing-vpcs", file: "examples/existing-vpcs/config.json" },
  { name: "same-account", file: "examples/same-account/config.json" },
  // Two APIs (one from OpenAPI, one existing) behind B's existing endpoint in its existing VPC.
  { name: "two-apis", file: "examples/existing-api/config.json", consumers: ["account-a"] },
  {
    name: "many-consumers",
    file: "examples/many-consumers/config.json",
    // The last consumer removed from the configuration.
    variants: { "consumer-removed": (config) => ({ ...config, consumers: config.consumers.slice(0, -1) }) },
    // The consumer in another region; the others have the shapes of the example's and existing-vpcs' account-a.
    consumers: ["consumer-payments"],
  },
];

/** Values the mocked provider returns for what AWS would generate; the tests expect them back. */
const FIXTURE = {
  apiId: "a1b2c3d4e5",
  vpceId: "vpce-0b1c2d3e4f5a6b7c8",
  endpointDnsName: "vpce-0b1c2d3e4f5a6b7c8-x1y2z3w4.execute-api.mock-region.vpce.amazonaws.com",
  endpointZoneId: "Z2MOCKVPCEZONE",
  peeringId: "pcx-0a1b2c3d4e5f6a7b8",
  createdVpcA: "vpc-0aaaaaaaaaaaaaaaa",
  createdVpcB: "vpc-0bbbbbbbbbbbbbbbb",
};


/** The zones the mocked provider reports for an account: its configured zone ids (or three), named `<region>a`, `b`, ... */
function mockZones(region: string, configured?: string[]): { ids: string[]; names: string[] } {
  const ids = configured ?? [1, 2, 3].map((n) => `${azIdPrefix(region)}-az${n}`);
  return { ids, names: ids.map((_, i) => `${region}${String.fromCharCode(97 + i)}`) };
}

/** The {{name}} values of one consumer: `a.*` and `consumer.*` (the consumer under test), `c.<stack id>.*` (each consumer, for B's tests). */
function consumerValues(config: Config, consumer: Consumer, outdir?: string): Record<string, string> {
  const a = consumer.account;
  const b = config.accountB;
  const vpcId = a.existingVpc?.vpcId ?? FIXTURE.createdVpcA;
  const sameAccount = a.accountId === b.accountId;
  const zones = mockZones(a.region, a.availabilityZoneIds);
  const requestTags = peeringRequestTags(config, consumer.stackId);
  return {
    vpcId,
    azPrefix: azIdPrefix(a.region),
    zoneIds: hclExpression(zones.ids),
    zoneNames: hclExpression(zones.names),
    // What account B sees of the consumer's request: tags only within one account.
    requestDetails: `{ owner_id = ${hclExpression(a.accountId)}, region = ${hclExpression(a.region)}, vpc_id = ${hclExpression(vpcId)}, status = "pending-acceptance", tags = ${sameAccount ? hclExpression(requestTags) : "{}"} }`,
    requestTags: hclExpression(requestTags),
    accepterTags: hclExpression(peeringAccepterTags(config, consumer.stackId, sameAccount)),
    effectiveRequestTags: hclExpression({ ...stackDefaultTags(config, consumer.stackId), ...requestTags }),
    // What a look-up of a client subnet's route table finds: the first configured table (then each subnet passes the plan-time check).
    subnetRouteTableIds: hclExpression(a.existingVpc ? [a.existingVpc.routeTableIds[0]] : []),
    stackId: consumer.stackId,
    providerAlias: consumer.stackId.replace(/-/g, "_"),
    accountId: a.accountId,
    region: a.region,
    vpcCidr: a.vpcCidr,
    // The module of the canary's check block, as the consumer's stack names it (its path holds its content's hash).
    canaryCheckModule: canaryCheckModuleOf(outdir, consumer.stackId),
  };
}

/** The source of a consumer stack's canary check module, `./assets/...`; "" without a canary or a synth. */
function canaryCheckModuleOf(outdir: string | undefined, stackId: string): string {
  const file = outdir && path.join(outdir, "stacks", stackId, "cdk.tf.json");
  if (!file || !existsSync(file)) return "";
  return JSON.parse(readFileSync(file, "utf8")).module?.["canary_reaches-api"]?.source ?? "";
}

/** The {{name}} values for one configuration, its synthesized account-b stack, and the consumer under test. */
function placeholders(config: Config, accountB: any, consumer: Consumer, outdir: string): { values: Record<string, string>; repeats: Record<string, number> } {
  const b = config.accountB;
  const bVpcId = b.existingVpc?.vpcId ?? FIXTURE.createdVpcB;
  const zonesB = mockZones(b.region, b.availabilityZoneIds);
  const values: Record<string, string> = {
    "b.vpcId": bVpcId,
    "b.azPrefix": azIdPrefix(b.region),
    "b.partition": requirePartition(b.region).name,
    "b.serviceName": executeApiServiceName(b.region),
    "b.apiDomain": executeApiDomain(b.region),
    "b.zoneIds": hclExpression(zonesB.ids),
    "b.zoneNames": hclExpression(zonesB.names),
    "b.defaultTags": hclExpression(stackDefaultTags(config, "account-b")),
    "b.cloudWatchRolePrefix": `arn:${requirePartition(b.region).name}:iam::${b.accountId}:role${apiGatewayCloudWatchRolePath(config.name)}`,
    // The checks of B's first plan that fail or cannot be evaluated yet (they read resources it creates).
    "b.firstPlanChecks": `[${["peering_accepted", "endpoint_available", ...(b.existingVpc ? [] : ["no_expired_requests"])].map((c) => `check.${c}`).join(", ")}]`,
    // Before its first deploy B cannot find a VPC it creates; an existing one is found by id.
    "b.firstDeployVpcIds": hclExpression(b.existingVpc ? [bVpcId] : []),
    // What a look-up of an endpoint subnet's route table finds: the first configured table.
    "b.subnetRouteTableIds": hclExpression(b.existingVpc ? [b.existingVpc.routeTableIds[0]] : []),
    "b.endpointSubnetIds": b.existingVpc
      ? hclExpression(b.existingVpc.subnetIds)
      : `[${Object.keys(accountB.resource.aws_subnet).map((name) => `aws_subnet.${name}.id`).join(", ")}]`,
    "b.remoteStateOutputs": remoteStateOutputs(accountB, bVpcId),
    // The region's API Gateway CloudWatch setting, which B imports: mocks cannot import, so it is overridden, empty as in a new account.
    "b.cloudWatchSetting": b.manageApiGatewayAccount
      ? 'override_resource {\n  target = aws_api_gateway_account.apigateway-cloudwatch_current\n  values = { cloudwatch_role_arn = "" }\n}'
      : "# This configuration leaves API Gateway's CloudWatch setting alone: nothing to override.",
  };
  zonesB.ids.forEach((id, i) => Object.assign(values, { [`b.zoneId.${i + 1}`]: id, [`b.zoneName.${i + 1}`]: zonesB.names[i] }));
  for (const c of consumersOf(config)) {
    for (const [key, value] of Object.entries(consumerValues(config, c))) values[`c.${c.stackId}.${key}`] = value;
  }
  for (const [key, value] of Object.entries(consumerValues(config, consumer, outdir))) {
    values[`a.${key}`] = value;
    values[`consumer.${key}`] = value;
  }
  for (const [key, value] of Object.entries(FIXTURE)) values[`fixture.${key}`] = value;
  for (const section of ["accountA", "accountB", "api"] as const) {
    for (const [key, value] of Object.entries(config[section])) {
      if (typeof value === "string" || typeof value === "number") values[`${section}.${key}`] = String(value);
    }
  }
  values.name = config.name;
  return {
    values,
    repeats: { "a.routeTable": consumer.account.existingVpc?.routeTableIds.length ?? 1, "b.routeTable": b.existingVpc?.routeTableIds.length ?? 1 },
  };
}

/** B's cross-stack outputs as an HCL object of mock values, keyed as A's remote state reads them. */
function remoteStateOutputs(accountB: any, vpcId: string): string {
  const mock = (expression: string): string => {
    if (expression.endsWith(".dns_entry[0].dns_name}")) return FIXTURE.endpointDnsName;
    if (expression.endsWith(".dns_entry[0].hosted_zone_id}")) return FIXTURE.endpointZoneId;
    if (/^\$\{(data\.)?aws_vpc_endpoint\.[\w-]+\.id\}$/.test(expression)) return FIXTURE.vpceId;
    if (/^\$\{aws_api_gateway_rest_api\.[\w-]+\.id\}$/.test(expression)) return FIXTURE.apiId;
    if (/^\$\{(data\.)?aws_vpc\.[\w-]+\.id\}$/.test(expression)) return vpcId;
    throw new Error(`no mock value for account-b's cross-stack output ${expression}: add one to remoteStateOutputs() in scripts/terraform-test.ts`);
  };
  const entries = Object.entries(accountB.output as Record<string, { value: string }>)
    .filter(([name]) => name.startsWith("cross-stack-output-"))
    .map(([name, output]) => `      ${JSON.stringify(name)} = ${JSON.stringify(mock(output.value))}`);
  return `{\n${entries.join("\n")}\n    }`;
}

/** `template` with each `{{include <file>}}` replaced by that file of `dir` (mocks shared by a stack's test files). */
function expandIncludes(template: string, dir: string): string {
  return template.replace(/\{\{include ([\w.-]+)\}\}/g, (_, file: string) => readFileSync(path.join(dir, file), "utf8").trimEnd());
}

/** The configurations a test file is for: its `# cases:` line, or all. */
function casesOf(template: string): string[] | undefined {
  return /^# cases: (.+)$/m.exec(template)?.[1].split(",").map((name) => name.trim());
}

/** Fills a test template: `assert` blocks naming {{each.X}} are repeated 1..n, then {{name}}s replaced. */
function render(template: string, values: Record<string, string>, repeats: Record<string, number>): string {
  const repeated = template.replace(/^( *)assert \{\n[\s\S]*?^\1\}\n/gm, (block) => {
    const names = [...new Set([...block.matchAll(/\{\{each\.([\w.]+)\}\}/g)].map((m) => m[1]))];
    if (names.length === 0) return block;
    const times = repeats[names[0]];
    return Array.from({ length: times }, (_, i) => block.replaceAll(`{{each.${names[0]}}}`, String(i + 1))).join("");
  });
  return repeated.replace(/\{\{([\w.-]+)\}\}/g, (_, name: string) => {
    if (!(name in values)) throw new Error(`unknown placeholder {{${name}}}`);
    return values[name];
  });
}

/**
 * Synthesizes one configuration with the app command of cdktf.json (CONFIG_FILE, CDKTF_OUTDIR),
 * as `cdktf synth` would, and checks that the output names no path of this machine.
 */
async function synthesize(configFile: string, outdir: string): Promise<void> {
  rmSync(outdir, { recursive: true, force: true });
  // cdktf's App creates its outdir, but not the directories above it.
  mkdirSync(path.dirname(outdir), { recursive: true });
  const app = JSON.parse(readFileSync(path.join(ROOT, "cdktf.json"), "utf8")).app as string;
  const [cmd, ...args] = app.split(" ");
  const run = await command(cmd, args, ROOT, { ...process.env, CONFIG_FILE: configFile, CDKTF_OUTDIR: outdir });
  if (run.code !== 0) throw new Error(`synthesizing ${path.relative(ROOT, configFile)} failed:\n${run.output}`);
  for (const stack of readdirSync(path.join(outdir, "stacks"))) {
    const text = readFileSync(path.join(outdir, "stacks", stack, "cdk.tf.json"), "utf8");
    const local = [ROOT, homedir()].find((dir) => text.includes(dir));
    if (local) throw new Error(`${path.relative(ROOT, outdir)}/stacks/${stack}/cdk.tf.json contains the local path ${local}: synth output must be path-free`);
  }
}

/**
 * `terraform test` destroys what its runs applied, and cannot first forget what the project keeps
 * on destroy (lib/deploy/kept-on-destroy.ts) as `npm run destroy` does: in the test directory
 * only, an override file lifts `prevent_destroy` from those resources so the mocked teardown can
 * run. (jest checks the synthesized lifecycle; the emulated suite the real destroy.)
 */
function writeTeardownOverride(dir: string): void {
  const kept = keptOnDestroy(JSON.parse(readFileSync(path.join(dir, "cdk.tf.json"), "utf8")));
  const file = path.join(dir, "test_teardown_override.tf.json");
  rmSync(file, { force: true });
  if (kept.length === 0) return;
  const resource: Record<string, Record<string, unknown>> = {};
  for (const address of kept) {
    const [type, name] = address.split(".");
    (resource[type] ??= {})[name] = { lifecycle: { prevent_destroy: false } };
  }
  writeFileSync(file, `${JSON.stringify({ resource }, null, 2)}\n`);
}

interface StackRun {
  readonly label: string;
  readonly ok: boolean;
  readonly passed: number;
  readonly failed: number;
  readonly seconds: number;
  readonly output: string;
}

/** The Terraform tests of one stack directory of one configuration. */
export interface Suite {
  /** `<case>/<stack>`. */
  readonly label: string;
  readonly dir: string;
  /** The rendered test files, by file name. */
  readonly files: Map<string, string>;
  /** Whether its configuration has an `import` block, which Terraform allows in a root module only. */
  readonly importsResources: boolean;
}

/**
 * Stack directories tested in one `terraform test` process: `root`'s own tests as they are, every
 * other suite's runs with `module { source = "<its directory>" }` (Terraform loads a run's module
 * as that run's configuration, with the test file's mocked providers and a state per module).
 * Every `terraform test` process decodes the provider's schema once (about 3 CPU-seconds), so
 * fewer processes cost less; a configuration with an `import` block must be a root, since
 * Terraform validates the other suites' directories as child modules.
 */
export interface Lane {
  readonly root: Suite;
  readonly guests: Suite[];
}

const runsIn = (suite: Suite) => [...suite.files.values()].reduce((n, text) => n + (text.match(/^run "/gm)?.length ?? 0), 0);

/**
 * The lanes for `suites`: every suite with an `import` block is a root (or the largest suite, if
 * none has one, and at least `lanes` roots while there are suites), the others join the lane with
 * the fewest runs so far.
 */
export function lanesOf(suites: Suite[], lanes: number): Lane[] {
  const bySize = [...suites].sort((x, y) => runsIn(y) - runsIn(x));
  const roots = bySize.filter((s) => s.importsResources);
  for (const suite of bySize) if (roots.length < lanes && !roots.includes(suite)) roots.push(suite);
  const result = roots.map((root) => ({ root, guests: [] as Suite[], runs: runsIn(root) }));
  for (const suite of bySize.filter((s) => !roots.includes(s))) {
    const lightest = result.reduce((a, b) => (b.runs < a.runs ? b : a));
    lightest.guests.push(suite);
    lightest.runs += runsIn(suite);
  }
  return result.map(({ root, guests }) => ({ root, guests }));
}

/**
 * A guest suite's test file, each run pointed at the suite's directory (`rel`, from the root):
 * runs without a module get one, a relative module source is rebased. Every run block must read
 * `run "<name>" {` ... `}` at the start of its lines, with at most one `module { source = ... }`
 * two spaces in: anything else is refused, since a run left as it is would plan the root's
 * configuration under the guest's name.
 */
export function asGuest(text: string, rel: string): string {
  const runs = text.match(/^run "/gm)?.length ?? 0;
  let rewritten = 0;
  const result = text.replace(/^run "([^"]+)" \{\n[\s\S]*?^\}\n/gm, (block, name: string) => {
    rewritten += 1;
    const modules = block.match(/^\s*module\s*\{/gm)?.length ?? 0;
    if (modules === 0) return block.replace("{\n", `{\n  module { source = "${rel}" }\n`);
    const source = /^ {2}module \{\s*source\s*=\s*"([^"]*)"/m.exec(block)?.[1];
    // Anything else would run a configuration that is not this directory's, or the same one for two directories.
    if (modules > 1 || source === undefined || !source.startsWith("./")) {
      throw new Error(`run "${name}": module source ${source === undefined ? "not found" : `"${source}"`} is not one relative to its stack directory ("./..."), so it cannot be run from another directory`);
    }
    return block.replace(/^( {2}module \{\s*source\s*=\s*")\.\/([^"]*")/m, `$1${rel}/$2`);
  });
  if (rewritten !== runs) throw new Error(`${runs - rewritten} of ${runs} run blocks are not written as run "<name>" { ... } with the closing brace alone at the start of a line: they cannot be pointed at their stack directory`);
  return result;
}

/** The file name of a suite's test file in its lane: `<case>.<stack>.<file>`. */
const laneFileName = (suite: Suite, file: string) => `${suite.label.replace("/", ".")}.${file}`;

/** Writes a lane's test files into its root's tests/ (made empty for this run). */
function writeLane(lane: Lane): void {
  const testsDir = path.join(lane.root.dir, "tests");
  for (const [file, text] of lane.root.files) writeFileSync(path.join(testsDir, laneFileName(lane.root, file)), text);
  for (const guest of lane.guests) {
    const rel = path.relative(lane.root.dir, guest.dir).split(path.sep).join("/");
    for (const [file, text] of guest.files) writeFileSync(path.join(testsDir, laneFileName(guest, file)), asGuest(text, rel));
  }
}

/** What terraform test reported of one suite's files. */
export interface SuiteResult {
  readonly passed: number;
  /** Runs that failed, were skipped, or never reported (a file that does not parse), and files that failed outside any run (a teardown). */
  readonly failed: number;
}

/**
 * Each suite's results, from `terraform test`'s output (`tests/<file>... in progress`, then
 * `  run "<name>"... pass|fail|skip`, then `tests/<file>... pass|fail`): a run that did not pass
 * counts as failed, as does every run of the suite that was never reported, and each of its
 * files that failed on its own (its teardown).
 */
export function resultsBySuite(output: string, suites: Suite[]): Map<string, SuiteResult> {
  const counts = new Map(suites.map((s) => [s.label, { passed: 0, failed: 0, reported: 0 }]));
  const suiteOf = (file: string) => counts.get(suites.find((s) => [...s.files.keys()].some((f) => laneFileName(s, f) === file))?.label ?? "");
  // The files whose runs did not all pass: their own "fail" line is those runs', not one more.
  const runFailedIn = new Set<string>();
  let current: { file: string; suite?: { passed: number; failed: number; reported: number } } | undefined;
  for (const line of output.split("\n")) {
    const file = /^tests\/([^/]+\.tftest\.hcl)\.\.\. (in progress|pass|fail)/.exec(line);
    if (file?.[2] === "in progress") current = { file: file[1], suite: suiteOf(file[1]) };
    else if (file?.[2] === "fail" && !runFailedIn.has(file[1])) {
      const suite = suiteOf(file[1]);
      if (suite) suite.failed += 1;
    }
    const run = /^ {2}run "[^"]+"\.\.\. (pass|fail|skip)/.exec(line)?.[1];
    if (run && current?.suite) {
      current.suite.reported += 1;
      if (run === "pass") current.suite.passed += 1;
      else {
        current.suite.failed += 1;
        runFailedIn.add(current.file);
      }
    }
  }
  return new Map(suites.map((suite) => {
    const { passed, failed, reported } = counts.get(suite.label)!;
    // A file that does not parse stops terraform test before any run: its runs are never reported.
    const unreported = Math.max(0, runsIn(suite) - reported);
    return [suite.label, { passed, failed: failed + unreported }];
  }));
}

/** A lane or an integration test file, run in a process of its own. */
export interface Task<T> {
  /** What it is called in the durations of the last run. */
  readonly key: string;
  /** Its expected duration when the last run did not have it, in seconds. */
  readonly guess: number;
  readonly run: () => Promise<T>;
}

/**
 * `tasks` ordered for two at a time: the longest first, by the durations of the last run (`last`,
 * else each one's guess). Whichever ends first takes the next, so the last ones to start are the
 * shortest and both cores stay busy to the end (on the lanes' order alone, one lane ran by itself
 * for the last 7 seconds).
 */
export function longestFirst<T>(tasks: Task<T>[], last: Record<string, number>): Task<T>[] {
  const expected = (task: Task<T>) => last[task.key] ?? task.guess;
  return [...tasks].sort((x, y) => expected(y) - expected(x) || x.key.localeCompare(y.key));
}

/** The durations of the last run (none when it is missing or unreadable). */
function lastDurations(): Record<string, number> {
  try {
    const read = JSON.parse(readFileSync(DURATIONS, "utf8"));
    if (typeof read !== "object" || read === null || Array.isArray(read)) return {};
    return Object.fromEntries(Object.entries(read).filter((entry): entry is [string, number] => typeof entry[1] === "number"));
  } catch {
    return {};
  }
}

/** init, then `terraform test` in the lane's root (or `validate` where there is nothing to test), each suite's results counted. */
async function runLane(lane: Lane, env: NodeJS.ProcessEnv): Promise<StackRun[]> {
  const suites = [lane.root, ...lane.guests];
  const label = suites.map((s) => s.label).join(", ");
  let output = "";
  let seconds = 0;
  const hasTests = suites.some((s) => s.files.size > 0);
  const steps: [string, string[]][] = [
    ["init", ["init", "-backend=false", "-input=false", "-no-color"]],
    // No separate `terraform validate`: `terraform test` validates each run's configuration first.
    hasTests ? ["test", ["test", "-no-color"]] : ["validate", ["validate", "-no-color"]],
  ];
  let testCode = 0;
  for (const [step, args] of steps) {
    const result = await terraform(args, lane.root.dir, env);
    seconds += result.seconds;
    if (step !== "init" || result.code !== 0) output += result.output.trim() + "\n";
    if (step === "test") testCode = result.code;
    if (result.code !== 0 && step !== "test") {
      return [{ label, ok: false, passed: 0, failed: 1, seconds, output: `terraform ${step} in ${path.relative(OUT, lane.root.dir)} failed:\n${output}` }];
    }
  }
  const results = resultsBySuite(output, suites);
  const counted = [...results.values()].some((r) => r.failed > 0);
  return suites.map((suite, i) => {
    const { passed, failed } = results.get(suite.label)!;
    // terraform test failed and named no file or run of the lane for it: the lane's root carries it.
    const extra = i === 0 && testCode !== 0 && !counted ? 1 : 0;
    const header = `(terraform test in ${path.relative(OUT, lane.root.dir)}, for ${label})`;
    return { label: suite.label, ok: failed + extra === 0, passed, failed: failed + extra, seconds, output: i === 0 ? `${header}\n${output}` : "" };
  });
}

/**
 * Runs one file of __tests__/integration with node:test. They configure the provider for real,
 * which a provider process can do only once, so they do not share the mocked runs' process: each
 * of their terraform commands starts its own.
 */
async function runIntegration(file: string, env: NodeJS.ProcessEnv): Promise<StackRun> {
  const result = await command(process.execPath, ["--require", "tsx/cjs", "--test", "--test-reporter=spec", path.join(INTEGRATION, file)], ROOT, { ...env, NO_COLOR: "1" });
  const passed = Number(/ℹ pass (\d+)/.exec(result.output)?.[1] ?? 0);
  const failed = Number(/ℹ fail (\d+)/.exec(result.output)?.[1] ?? (result.code === 0 ? 0 : 1));
  return { label: `integration/${file}`, ok: result.code === 0, passed, failed, seconds: result.seconds, output: result.output };
}

export const TERRAFORM_TEST_USAGE = `usage: npm run test:terraform -- [--case <name>]

Synthesizes the stacks for each test configuration, then runs terraform test (mocked AWS
provider, the real hashicorp/aws schema) on every stack directory, several directories to a
terraform test process, and the tests of the project's code that need terraform
(__tests__/integration); prints a summary per stack directory.

  --case <name>  one configuration only (no integration tests): ${CASES.map((c) => c.name).join(", ")}
  -h, --help     this text

Exit code: 0 every test passed, 1 a test failed, 2 could not run (usage, no terraform >= 1.11).`;

/** `npm run test:terraform`'s options. @throws UsageError naming the argument and what is expected */
export function terraformTestOptions(argv: string[]): { help: boolean; only?: string } {
  const args = parseArgs(argv, [{ name: "--case", value: "a configuration name" }]);
  const only = args.values["--case"]?.[0];
  if (only && !CASES.some((c) => c.name === only)) throw new UsageError(`--case: no configuration named ${only}; expected one of ${CASES.map((c) => c.name).join(", ")}`);
  return { help: args.help, only };
}

/** `npm run test:terraform`'s options, or the run that ends it first (--help, a usage error). */
export const terraformTestCommandLine = (argv: string[]) => optionsOrUsage("test:terraform", TERRAFORM_TEST_USAGE, argv, terraformTestOptions);

async function main(): Promise<void> {
  const started = Date.now();
  process.env.GOGC ??= TEST_GOGC;
  const options = terraformTestCommandLine(process.argv.slice(2));
  if ("code" in options) exitWith(options);
  const { only } = options;
  const cases = only ? CASES.filter((c) => c.name === only) : CASES;
  const version = requireTerraform("1.11");
  const setup = setUpTerraform();
  const shared = await startSharedProvider(setup.env);
  const env = shared?.env ?? setup.env;
  console.log(`terraform ${version}; hashicorp/aws from ${setup.mirror ? `the filesystem mirror ${setup.mirror}` : "the public registry"}${shared ? ", one provider process shared by every run" : " (could not start a shared provider process: each step starts its own)"}`);

  const variants = cases.flatMap((testCase) => Object.entries(testCase.variants ?? {}).map(([variant, derive]) => {
    // Variants are written as configuration files, and synthesized like every case.
    const file = path.join(OUT, `${testCase.name}.${variant}.json`);
    mkdirSync(OUT, { recursive: true });
    writeFileSync(file, JSON.stringify(derive(JSON.parse(readFileSync(path.join(ROOT, testCase.file), "utf8")))));
    return { testCase, variant, file, outdir: path.join(OUT, `${testCase.name}.${variant}`) };
  }));
  await pool(2, [
    ...cases.map((testCase) => () => synthesize(path.join(ROOT, testCase.file), path.join(OUT, testCase.name))),
    ...variants.map(({ file, outdir }) => () => synthesize(file, outdir)),
  ]);
  const suites: Suite[] = [];
  for (const testCase of cases) {
    const config = loadConfig(path.join(ROOT, testCase.file));
    const outdir = path.join(OUT, testCase.name);
    const accountB = JSON.parse(readFileSync(path.join(outdir, "stacks/account-b/cdk.tf.json"), "utf8"));
    for (const consumer of [undefined, ...consumersOf(config).filter((c) => !testCase.consumers || testCase.consumers.includes(c.stackId))]) {
      const stack = consumer?.stackId ?? "account-b";
      // Account B's tests speak of account A: its values are the "a." ones there.
      const { values, repeats } = placeholders(config, accountB, consumer ?? consumersOf(config)[0], outdir);
      const dir = path.join(outdir, "stacks", stack);
      const testsDir = path.join(dir, "tests");
      rmSync(testsDir, { recursive: true, force: true });
      mkdirSync(testsDir, { recursive: true });
      writeTeardownOverride(dir);
      const files = new Map<string, string>();
      const sources = path.join(TESTS, consumer ? "consumer" : "account-b");
      for (const file of readdirSync(sources).filter((f) => f.endsWith(".tftest.hcl"))) {
        const template = expandIncludes(readFileSync(path.join(sources, file), "utf8"), sources);
        if (casesOf(template)?.includes(testCase.name) === false) continue;
        files.set(file, render(template, values, repeats));
      }
      if (!consumer) {
        for (const { variant, outdir: variantOut } of variants.filter((v) => v.testCase === testCase)) {
          mkdirSync(path.join(testsDir, variant), { recursive: true });
          writeFileSync(path.join(testsDir, variant, "cdk.tf.json"), readFileSync(path.join(variantOut, "stacks/account-b/cdk.tf.json")));
        }
      }
      const importsResources = "import" in JSON.parse(readFileSync(path.join(dir, "cdk.tf.json"), "utf8"));
      suites.push({ label: `${testCase.name}/${stack}`, dir, files, importsResources });
    }
  }
  // A directory with no test file for its configuration is validated on its own: as a guest no run would load it.
  const lanes = [...lanesOf(suites.filter((s) => s.files.size > 0), 2), ...suites.filter((s) => s.files.size === 0).map((root) => ({ root, guests: [] }))];
  lanes.forEach(writeLane);

  // Each integration test file and each lane is a process of its own: in this order two at a time,
  // the shortest end the run (see longestFirst), printed in the lanes' order.
  const integration = only ? [] : readdirSync(INTEGRATION).filter((f) => f.endsWith(".test.ts")).sort();
  const tasks: Task<StackRun[]>[] = [
    ...lanes.map((lane) => ({ key: lane.root.label, guess: 3 + 0.5 * [lane.root, ...lane.guests].reduce((n, s) => n + runsIn(s), 0), run: () => runLane(lane, env) })),
    ...integration.map((file) => ({ key: `integration/${file}`, guess: 10, run: () => runIntegration(file, setup.env).then((run) => [run]) })),
  ];
  const last = lastDurations();
  const durations: Record<string, number> = {};
  const results = new Map<Task<StackRun[]>, StackRun[]>();
  await pool(2, longestFirst(tasks, last).map((task) => async () => {
    const taskStarted = Date.now();
    const result = await task.run();
    results.set(task, result);
    // A task that failed may have ended early: its time says nothing of the next run's.
    if (result.every((run) => run.ok)) durations[task.key] = Math.round((Date.now() - taskStarted) / 100) / 10;
  }));
  const runs = tasks.flatMap((task) => results.get(task)!);
  // Only a whole run's: with --case the lanes hold fewer directories.
  if (!only) {
    mkdirSync(path.dirname(DURATIONS), { recursive: true });
    // A task that failed keeps its last known duration; one that is gone is forgotten.
    const known = tasks.map((task) => [task.key, durations[task.key] ?? last[task.key]]).filter(([, seconds]) => seconds !== undefined);
    writeFileSync(DURATIONS, `${JSON.stringify(Object.fromEntries(known), null, 2)}\n`);
  }
  await shared?.stop();
  for (const run of runs) {
    if (!run.output) continue;
    console.log(`\n── ${run.label} ──────────────────────────────`);
    console.log(run.output.trim());
  }
  console.log("\nTerraform tests, per stack directory (seconds: its terraform test process's):");
  for (const run of runs) {
    console.log(`  ${run.ok ? "ok  " : "FAIL"}  ${run.label.padEnd(40)} ${String(run.passed).padStart(2)} passed, ${run.failed} failed  (${run.seconds.toFixed(1)} s)`);
  }
  const passed = runs.reduce((n, r) => n + r.passed, 0);
  const failed = runs.reduce((n, r) => n + r.failed, 0);
  console.log(`${passed} passed, ${failed} failed`);
  console.log(`Terraform tests took ${((Date.now() - started) / 1000).toFixed(1)} s`);
  if (runs.some((run) => !run.ok)) process.exit(1);
}

if (require.main === module) {
  main().catch((error: Error) => {
    process.stderr.write(`test:terraform: ${error.message}\n`);
    process.exit(1);
  });
}
