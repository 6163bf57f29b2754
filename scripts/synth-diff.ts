/**
 * `npm run -s synth-diff -- <base cdktf.out> <head cdktf.out>`: what changed, stack by stack and
 * address by address, between two synths (the pull request workflow posts it). Markdown on stdout.
 */
import { EXIT, parseArgs, UsageError } from "../lib/cli/command-line";
import { formatSynthDiff, synthDiff } from "../lib/review/synth-diff";

const USAGE = `usage: npm run -s synth-diff -- <base cdktf.out> <head cdktf.out>

Compares two synth outputs stack by stack: the addresses added, changed and removed, as Markdown.
Exit code: 0 compared, 2 could not (usage).`;

try {
  const args = parseArgs(process.argv.slice(2), [], "directory");
  if (args.help) {
    process.stdout.write(`${USAGE}\n`);
    process.exit(EXIT.passed);
  }
  if (args.positional.length !== 2) throw new UsageError(`expected two directories, got ${args.positional.length}`);
  const [base, head] = args.positional;
  process.stdout.write(formatSynthDiff(synthDiff(base, head), process.env.CONFIG_FILE || "config/example.json"));
} catch (error) {
  if (!(error instanceof UsageError)) throw error;
  process.stderr.write(`synth-diff: ${error.message}; ${USAGE.split("\n")[0]}\n`);
  process.exit(EXIT.couldNotCheck);
}
