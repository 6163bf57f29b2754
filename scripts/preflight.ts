/**
 * `npm run preflight`: checks each link of the path from a client subnet in account A to the API
 * in account B, in the synthesized stacks or in plans, and exits non-zero if any check fails.
 *
 *   npm run preflight                          synthesize (CONFIG_FILE honoured), then check
 *   npm run preflight -- --stacks <dir>        check a directory laid out like cdktf.out
 *   npm run preflight -- --plan account-a=<a.json> --plan account-b=<b.json>
 *                                              check `terraform show -json` output of both plans
 *   ... --json                                 {"checks": [{"id","hop","status","message","fix"}]}
 */
import * as path from "path";
import { loadConfigOrExit } from "../lib/config/load-config";
import { ConsumerReport, formatReports, modelsFromPlans, modelsFromSynth, reportsAsJson, runPreflight } from "../lib/preflight/run-preflight";
import { synthesize } from "../stacks/app";

const USAGE = "usage: npm run preflight -- [--json] [--stacks <dir> | --plan account-b=<file> --plan <consumer stack>=<file> ...]";

function parseArgs(argv: string[]): { json: boolean; stacks?: string; plans: Record<string, string> } {
  const options = { json: false, stacks: undefined as string | undefined, plans: {} as Record<string, string> };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === "--json") options.json = true;
    else if (arg === "--stacks" && argv[i + 1]) options.stacks = argv[++i];
    else if (arg === "--plan" && /^(account-[ab]|consumer-[a-z0-9-]+)=.+/.test(argv[i + 1] ?? "")) {
      const [stack, file] = argv[++i].split(/=(.*)/s);
      options.plans[stack] = file;
    } else throw new Error(`unexpected argument ${JSON.stringify(arg)}; ${USAGE}`);
  }
  const planCount = Object.keys(options.plans).length;
  if (planCount && (!options.plans["account-b"] || planCount === 1)) throw new Error(`--plan needs account-b=<file> and at least one consumer's, such as account-a=<file>; ${USAGE}`);
  if (planCount && options.stacks) throw new Error(`--stacks and --plan exclude each other; ${USAGE}`);
  return options;
}

/** What a preflight run printed and its exit code (0 all good, 1 a check failed, 2 bad usage). */
export interface PreflightRun {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs the preflight with command-line `argv`; synthesizes first unless given stacks or plans. */
export function preflight(argv: string[]): PreflightRun {
  let options: ReturnType<typeof parseArgs>;
  try {
    options = parseArgs(argv);
  } catch (error) {
    return { code: 2, stdout: "", stderr: `preflight: ${(error as Error).message}\n` };
  }
  let models;
  try {
    if (Object.keys(options.plans).length) {
      models = modelsFromPlans(options.plans);
    } else {
      let outdir = options.stacks;
      if (!outdir) {
        outdir = path.resolve(process.env.CDKTF_OUTDIR ?? "cdktf.out");
        synthesize(loadConfigOrExit(), outdir);
      }
      models = modelsFromSynth(outdir);
    }
  } catch (error) {
    return { code: 2, stdout: "", stderr: `preflight: cannot read the stacks (${(error as Error).message})\n` };
  }
  // One path per consumer: its stack and account B's.
  const reports: ConsumerReport[] = models.map((model) => ({ consumer: model.a.name, results: runPreflight(model) }));
  return {
    code: reports.some((report) => report.results.some((r) => r.status === "fail")) ? 1 : 0,
    stdout: options.json ? reportsAsJson(reports) : `${formatReports(reports)}\n`,
    stderr: "",
  };
}

if (require.main === module) {
  const run = preflight(process.argv.slice(2));
  process.stdout.write(run.stdout);
  process.stderr.write(run.stderr);
  process.exit(run.code);
}
