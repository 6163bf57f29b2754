import * as path from "path";
import { CommandRun, EXIT } from "../cli/command-line";
import { deployUndoes, describeDrift, Drift, driftOf, ProposedChange, proposedChanges } from "../live/plan-json";
import { readStack, stackTargets } from "../live/read-stacks";
import { startLiveCommand } from "../live/live-command";
import { pool } from "../terraform/cli";

export const DRIFT_USAGE = `usage: npm run -s drift -- [--json] [<stack> ...]

Would deploying change anything, and has anything changed outside Terraform? For each stack (or
the ones named: account-b, account-a, consumer-<name>), a plan with your credentials and the
configured backend (CONFIG_FILE honoured), read for its resource changes and for what the refresh
found changed outside Terraform. The data sources of check blocks, which every plan reads again
(hashicorp/terraform#35226), are not changes: a plan with nothing else is "no changes".

  --json     {"stacks": [{"stack", "status", "changes", "drift", "problem"}], "problems": [...]}
  -h, --help this text

One line per stack, each change and drifted resource under it.
status: no-changes | changes | drifted (something changed outside Terraform) | not-deployed | unreadable
(could not be read: the line says why and what to do)
Exit code: 0 no stack would change and none drifted, 1 a stack would change, drifted or is not
deployed, 2 could not check (usage, configuration, a stack unreadable, no stack deployed, no
terraform).`;

/** What `npm run drift` found for one stack. */
export interface StackDrift {
  readonly stack: string;
  readonly status: "no-changes" | "changes" | "drifted" | "not-deployed" | "unreadable";
  /** What a deploy would change. */
  readonly changes: ProposedChange[];
  /** What changed outside Terraform since the last deploy. */
  readonly drift: Drift[];
  /** Why it could not be read (status unreadable). */
  readonly problem?: string;
}

/** The verdict for one stack, from `terraform show -json` of its plan. */
export function stackDrift(stack: string, plan: any): StackDrift {
  const changes = proposedChanges(plan);
  const drift = driftOf(plan);
  return { stack, status: drift.length ? "drifted" : changes.length ? "changes" : "no-changes", changes, drift };
}

/** `npm run drift`: plans each stack and says, per stack, whether it would change or has drifted. Never throws. */
export async function drift(argv: string[], env: NodeJS.ProcessEnv = process.env): Promise<CommandRun> {
  const started = startLiveCommand("drift", DRIFT_USAGE, argv, env, {
    flags: [{ name: "--json" }],
    positional: "stack",
    json: (problems) => `${JSON.stringify({ stacks: [], problems }, null, 2)}\n`,
    check: (config, args) => {
      const known = stackTargets(config).map((t) => t.stack);
      const unknown = args.positional.filter((stack) => !known.includes(stack));
      return unknown.length ? `no stack ${unknown.join(", ")} in this configuration; expected ${known.join(", ")}` : undefined;
    },
  });
  if ("code" in started) return started;
  const { args, config, outdir, terraformEnv } = started;
  const all = stackTargets(config);
  const targets = all.filter((t) => !args.positional.length || args.positional.includes(t.stack));
  const stacks = await pool(3, targets.map((target) => async (): Promise<StackDrift> => {
    const reading = await readStack(config, target, path.join(outdir, "stacks", target.stack), terraformEnv, "plan");
    if ("problem" in reading) return { stack: target.stack, status: "unreadable", changes: [], drift: [], problem: reading.problem };
    if ("notDeployed" in reading) return { stack: target.stack, status: "not-deployed", changes: [], drift: [], problem: `${reading.notDeployed}: deploying creates it` };
    return stackDrift(target.stack, reading.json);
  }));
  return driftReport(stacks, args.switches.has("--json"));
}

/**
 * What `npm run drift` prints for the stacks it read: one line per stack, whatever happened to the
 * others (text), or `{"stacks", "problems"}` (`json`); exit 2 when a stack could not be read or
 * none is deployed (the line on stderr says which), else 1 when one would change or drifted.
 */
export function driftReport(stacks: StackDrift[], json: boolean): CommandRun {
  const unreadable = stacks.filter((s) => s.status === "unreadable");
  const problems = unreadable.length
    ? [`drift: could not read ${unreadable.length} of ${stacks.length} stacks (${unreadable.map((s) => s.stack).join(", ")}): exit 2, could not check`]
    : stacks.every((s) => s.status === "not-deployed")
      ? ["drift: no stack of this configuration is deployed (wrong credentials or backend?): run npm run deploy first."]
      : [];
  const code = problems.length ? EXIT.couldNotCheck : stacks.every((s) => s.status === "no-changes") ? EXIT.passed : EXIT.failed;
  // In JSON, `problems` are the unreadable stacks' own lines (each names its stack and what to do).
  const jsonProblems = unreadable.length ? unreadable.map((s) => s.problem!) : problems;
  return {
    code,
    stdout: json ? `${JSON.stringify({ stacks, problems: jsonProblems }, null, 2)}\n` : `${stacks.map(describe).join("\n")}\n`,
    stderr: problems.map((line) => `${line}\n`).join(""),
  };
}

/** A stack's verdict for people: one line, then one line per change and per drifted resource. */
function describe(s: StackDrift): string {
  // A problem names the stack and its account first: "<stack> (account <id>): why; what to do".
  const problem = s.problem ?? "";
  const who = /^\S+ (\(account \d+\)): /.exec(problem);
  const head = {
    "no-changes": "no changes",
    changes: `${s.changes.length} to change`,
    drifted: `changed outside Terraform (${s.drift.length})${s.changes.length ? `, ${s.changes.length} to change` : ""}: ${s.drift.every(deployUndoes) ? `deploy ${s.stack} to put it back` : s.drift.some(deployUndoes) ? `deploy ${s.stack} to put the rest back; remove what was added by hand as each line says` : "remove what was added by hand as each line says"}`,
    "not-deployed": "not deployed: deploying creates it",
    unreadable: who ? `unreadable ${who[1]}: ${problem.slice(who[0].length)}` : `unreadable: ${problem}`,
  }[s.status];
  return [`${s.stack}: ${head}`, ...s.drift.map((d) => `  ! ${describeDrift(d)}`), ...s.changes.map((c) => `  ~ ${c.address}: ${c.actions.join(", then ")}`)].join("\n");
}
