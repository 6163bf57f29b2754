/**
 * `npm run preflight`: checks each link of the path from a client subnet of each consumer to the
 * API in account B, in the synthesized stacks or in plans. See lib/preflight/run-preflight-command.ts
 * (and --help). Exit 0 no check fails, 1 a check fails, 2 could not check.
 */
import { preflight } from "../lib/preflight/run-preflight-command";

const run = preflight(process.argv.slice(2));
process.stdout.write(run.stdout);
process.stderr.write(run.stderr);
process.exit(run.code);
