import { existsSync, statSync } from "fs";
import { CommandRun, EXIT, parseArgs, UsageError, userPath } from "../cli/command-line";
import { builtFrom, formatSynthDiff, synthDiff } from "./synth-diff";

export const SYNTH_DIFF_USAGE = `usage: npm run -s synth-diff -- <base cdktf.out> <head cdktf.out>

Compares two synth outputs stack by stack: the addresses added, changed and removed, as Markdown,
under a header naming the configuration each side was built from (as npm run synth recorded it).
Relative directories are taken from the directory you run npm in.

  -h, --help  this text

Exit code: 0 compared, 2 could not (usage, a directory that does not exist).`;

/** `npm run synth-diff`: the Markdown comparison of two synth output directories. Never throws on bad input. */
export function synthDiffCommand(argv: string[], env: NodeJS.ProcessEnv = process.env): CommandRun {
  const couldNot = (line: string): CommandRun => ({ code: EXIT.couldNotCheck, stdout: "", stderr: `synth-diff: ${line}\n` });
  let args;
  try {
    args = parseArgs(argv, [], "directory");
    if (!args.help && args.positional.length !== 2) throw new UsageError(`expected two directories, got ${args.positional.length}`);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    return couldNot(`${error.message}; ${SYNTH_DIFF_USAGE.split("\n")[0]}`);
  }
  if (args.help) return { code: EXIT.passed, stdout: `${SYNTH_DIFF_USAGE}\n`, stderr: "" };
  const [base, head] = args.positional.map((dir) => userPath(dir, env));
  // A mistyped directory would otherwise read as a synth with no stacks: every stack "removed".
  for (const [dir, side] of [[base, "base"], [head, "head"]] as const) {
    if (!existsSync(dir) || !statSync(dir).isDirectory()) {
      return couldNot(`no directory ${dir} (the ${side} synth output); expected a directory written by npm run synth, such as cdktf.out`);
    }
  }
  return { code: EXIT.passed, stdout: formatSynthDiff(synthDiff(base, head), { base: builtFrom(base), head: builtFrom(head) }), stderr: "" };
}
