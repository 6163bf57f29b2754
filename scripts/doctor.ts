/**
 * `npm run doctor`: checks the deployed stacks, hop by hop, with the user's credentials and the
 * configured backend (CONFIG_FILE honoured). Exit 0 when everything passes, 1 when something
 * fails, 2 when it could not check (one line per stack that could not be read, and what to do).
 *
 *   npm run doctor                 a table, like preflight's
 *   npm run doctor -- --json       {"checks": [{"id","hop","status","message","fix"}]}
 */
import { doctor } from "../lib/doctor/run-doctor";

doctor(process.argv.slice(2)).then(
  (run) => {
    process.stdout.write(run.stdout);
    process.stderr.write(run.stderr);
    process.exit(run.code);
  },
  (error: Error) => {
    process.stderr.write(`doctor: ${error.message}\n`);
    process.exit(2);
  },
);
