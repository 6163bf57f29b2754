import * as path from "path";
import { CredentialSource } from "../aws/credential-source";
import { CommandRun, EXIT } from "../cli/command-line";
import { NetworkAclReader } from "../network-acl/reader";
import { startLiveCommand } from "../live/live-command";
import { readStack, stackTargets, StackReading } from "../live/read-stacks";
import { ConsumerReport, formatReports, modelsFromSynth, reportsAsJson } from "../preflight/run-preflight";
import { pool } from "../terraform/cli";
import { doctorReport } from "./doctor-report";
import { networkAclHop } from "./network-acl-hop";

export const DOCTOR_USAGE = `usage: npm run -s doctor -- [--json]

Checks the deployed stacks hop by hop, with your credentials and the configured backend
(CONFIG_FILE honoured): a refresh-only plan of each stack (with a cloud backend: the check results
of each workspace's last run), then every preflight rule on what exists, every resource changed
outside Terraform, every check block, each access method of the canary, and the network ACLs
of the client and endpoint subnets (read with the AWS SDK: ec2:DescribeNetworkAcls).

  --json     {"checks": [{"id", "hop", "status", "message", "fix"}], "problems": [...]} on stdout
  -h, --help this text

Exit code: 0 everything passes, 1 something fails, 2 could not check (usage, configuration,
credentials, a stack not deployed, no terraform).`;

/** What the doctor reads AWS with, besides Terraform. */
export interface DoctorOptions {
  /**
   * A reader of network ACLs acting with `source`'s credentials.
   * @default - the AWS SDK (lib/network-acl/sdk-reader.ts), which reads the process's environment
   */
  readonly networkAclReader?: (source: CredentialSource) => NetworkAclReader;
}

/**
 * Checks the deployed stacks with the user's credentials and the configured backend: reads each
 * stack live with Terraform, then reports every preflight rule on the live stacks, every resource
 * changed outside Terraform, every check block, the canary's per-method results, and the network
 * ACLs of both sides' subnets (read with each stack's provider credentials). Never throws.
 */
export async function doctor(argv: string[], env: NodeJS.ProcessEnv = process.env, options: DoctorOptions = {}): Promise<CommandRun> {
  const started = startLiveCommand("doctor", DOCTOR_USAGE, argv, env, { flags: [{ name: "--json" }], json: (problems) => reportsAsJson([], problems) });
  if ("code" in started) return started;
  const { args, config, outdir, terraformEnv, couldNotCheck } = started;
  const targets = stackTargets(config);
  const readings = await pool(3, targets.map((target) => () => readStack(config, target, path.join(outdir, "stacks", target.stack), terraformEnv, "refresh-only")));
  const problems = readings.flatMap((r) => ("problem" in r ? [r.problem] : "notDeployed" in r ? [`${r.notDeployed}: run npm run deploy first.`] : []));
  if (problems.length) return couldNotCheck(problems);

  const live = Object.fromEntries(readings.map((r) => [r.stack, r as StackReading]));
  // Loaded only when used: the SDK's EC2 client is large, and tests inject readers.
  const readerOf = options.networkAclReader ?? ((source) => (require("../network-acl/sdk-reader") as typeof import("../network-acl/sdk-reader")).sdkNetworkAclReader(source));
  const aclRows = await networkAclHop(config, (stack) => live[stack]?.json, readerOf);
  // One path per consumer: its stack and account B's.
  const reports: ConsumerReport[] = modelsFromSynth(outdir).map((model) => ({
    consumer: model.a.name,
    results: doctorReport(model, live[model.a.name], live["account-b"], aclRows[model.a.name] ?? []),
  }));
  const allPass = reports.every((report) => report.results.every((row) => row.status === "pass"));
  const stdout = args.switches.has("--json") ? reportsAsJson(reports) : `${formatReports(reports, "not evaluated yet, or waiting for the next deploy of account-b")}\n`;
  return { code: allPass ? EXIT.passed : EXIT.failed, stdout, stderr: "" };
}
