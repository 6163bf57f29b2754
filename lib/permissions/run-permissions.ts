import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from "fs";
import * as path from "path";
import { synthesize } from "../../stacks/app";
import { CommandRun, EXIT, parseArgs, UsageError, userPath } from "../cli/command-line";
import { ConfigError, loadConfig, resolveConfigFile } from "../config/load-config";
import { projectPath } from "../canary/project-path";
import { PolicyKind, stackPermissions, StackPermissions, UnknownTypeError } from "./generate";
import { actionsOf } from "./policy";
import { StackFactsError, SynthesizedStack } from "./stack-facts";

export const PERMISSIONS_USAGE = `usage: npm run -s permissions -- [--json] [--stacks <dir>] [--out <dir>] [<stack>]

Generates the IAM policy each identity that runs the project's commands needs, per stack
(CONFIG_FILE honoured; synthesized first unless --stacks names a synth output), and writes
<out>/<stack>/<kind>.json, one policy document each:

  plan.json        npm run drift, npm run doctor, terraform plan (reads, and the canary's invocation)
  deploy.json      npm run deploy (plan + apply: create, update, delete, tags)
  destroy.json     npm run destroy
  state-read.json  account-b with an S3 backend: the role consumers read its state with

  <stack>         only this stack (account-b, account-a, consumer-<name>)
  --json          print {"stacks": [{"stack", "policies": {"<kind>": <policy>}}]} on stdout; write nothing
  --stacks <dir>  use an already synthesized output (laid out like cdktf.out); no synth
  --out <dir>     where to write (default: permissions/ in the project); other files there are removed
  -h, --help      this text

What each policy grants and what to test in a real account: docs/permissions.md. Relative paths
are taken from the directory you run npm in.

Exit code: 0 written (or printed), 2 could not (usage, configuration, a stack type the generator
does not know).`;

/** Where `npm run permissions` writes by default, and where the example's policies are committed. */
export const PERMISSIONS_DIR = "permissions";

/** A synthesized stack directory as the generator reads it: its JSON and the local modules it calls. */
export function readSynthesizedStack(outdir: string, stack: string): SynthesizedStack {
  const dir = path.join(outdir, "stacks", stack);
  const json = JSON.parse(readFileSync(path.join(dir, "cdk.tf.json"), "utf8"));
  const modules: Record<string, unknown> = {};
  for (const call of Object.values<any>(json.module ?? {})) {
    const file = path.join(dir, String(call.source), "main.tf.json");
    if (String(call.source).startsWith(".") && existsSync(file)) modules[call.source] = JSON.parse(readFileSync(file, "utf8"));
  }
  return { id: stack, json, modules };
}

/** The stacks of a synth output, account-b first, in the manifest's order otherwise. */
export function synthesizedStacks(outdir: string): string[] {
  const manifest = path.join(outdir, "manifest.json");
  const stacks = existsSync(manifest) ? Object.keys(JSON.parse(readFileSync(manifest, "utf8")).stacks) : readdirSync(path.join(outdir, "stacks"));
  return [...stacks].sort((a, b) => Number(b === "account-b") - Number(a === "account-b"));
}

/** A policy file's text: the document as `aws iam put-role-policy --policy-document file://...` reads it. */
export const policyFileText = (policy: unknown) => `${JSON.stringify(policy, null, 2)}\n`;

/** Writes each stack's policies under `dir` (emptied of other files first); returns the files, relative to `dir`. */
export function writePermissions(dir: string, permissions: StackPermissions[]): string[] {
  rmSync(dir, { recursive: true, force: true });
  const written: string[] = [];
  for (const { stack, policies } of permissions) {
    mkdirSync(path.join(dir, stack), { recursive: true });
    for (const [kind, policy] of Object.entries(policies) as [PolicyKind, unknown][]) {
      writeFileSync(path.join(dir, stack, `${kind}.json`), policyFileText(policy));
      written.push(`${stack}/${kind}.json`);
    }
  }
  return written;
}

/** `npm run permissions`. Never throws for what the user can fix. */
export function permissionsCommand(argv: string[], env: NodeJS.ProcessEnv = process.env): CommandRun {
  const couldNot = (line: string): CommandRun => ({ code: EXIT.couldNotCheck, stdout: "", stderr: `${line}\n` });
  let args;
  try {
    args = parseArgs(argv, [{ name: "--json" }, { name: "--stacks", value: "a directory laid out like cdktf.out" }, { name: "--out", value: "a directory to write the policies to" }], "a stack");
    if (args.positional.length > 1) throw new UsageError(`one stack at most, got ${args.positional.join(", ")}`);
    if (args.switches.has("--json") && args.values["--out"]) throw new UsageError("--json writes nothing: leave out --out");
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    return couldNot(`permissions: ${error.message}; ${PERMISSIONS_USAGE.split("\n")[0]}`);
  }
  if (args.help) return { code: EXIT.passed, stdout: `${PERMISSIONS_USAGE}\n`, stderr: "" };

  let outdir: string;
  if (args.values["--stacks"]) {
    outdir = userPath(args.values["--stacks"][0], env);
    if (!existsSync(path.join(outdir, "stacks"))) return couldNot(`permissions: --stacks ${outdir} holds no stacks/ directory; expected a synth output such as cdktf.out`);
  } else {
    const configFile = resolveConfigFile(env);
    try {
      outdir = path.resolve(env.CDKTF_OUTDIR || projectPath("cdktf.out"));
      synthesize(loadConfig(configFile), { outdir, configFile });
    } catch (error) {
      if (error instanceof ConfigError) return couldNot(`permissions: invalid configuration ${error.message}`);
      throw error;
    }
  }
  const stacks = synthesizedStacks(outdir);
  const wanted = args.positional[0];
  if (wanted && !stacks.includes(wanted)) return couldNot(`permissions: no stack ${wanted}; expected one of ${stacks.join(", ")}`);

  let permissions: StackPermissions[];
  try {
    permissions = stacks.filter((s) => !wanted || s === wanted).map((s) => stackPermissions(readSynthesizedStack(outdir, s)));
  } catch (error) {
    if (error instanceof UnknownTypeError || error instanceof StackFactsError) return couldNot(`permissions: ${error.message}`);
    throw error;
  }
  if (args.switches.has("--json")) {
    return { code: EXIT.passed, stdout: `${JSON.stringify({ stacks: permissions.map(({ stack, policies }) => ({ stack, policies })) }, null, 2)}\n`, stderr: "" };
  }
  const dir = args.values["--out"] ? userPath(args.values["--out"][0], env) : projectPath(PERMISSIONS_DIR);
  const written = writePermissions(dir, permissions);
  const lines = written.map((file) => {
    const [stack, kindFile] = file.split("/");
    const policy = permissions.find((p) => p.stack === stack)!.policies[kindFile.replace(/\.json$/, "") as PolicyKind]!;
    // IAM counts a policy's size without whitespace: 6,144 characters for a managed policy.
    return `  ${path.join(path.relative(env.INIT_CWD || process.cwd(), dir) || ".", file)}: ${actionsOf(policy).length} actions, ${JSON.stringify(policy).replace(/\s/g, "").length} characters`;
  });
  return { code: EXIT.passed, stdout: `Wrote ${written.length} policies (what each grants and why: docs/permissions.md):\n${lines.join("\n")}\n`, stderr: "" };
}
