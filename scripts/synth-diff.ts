/**
 * `npm run -s synth-diff -- <base cdktf.out> <head cdktf.out>`: what changed, stack by stack and
 * address by address, between two synths (the pull request workflow posts it). Markdown on stdout.
 * See lib/review/run-synth-diff.ts (and --help).
 */
import { synthDiffCommand } from "../lib/review/run-synth-diff";

const run = synthDiffCommand(process.argv.slice(2));
process.stdout.write(run.stdout);
process.stderr.write(run.stderr);
process.exit(run.code);
