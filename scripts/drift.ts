/**
 * `npm run drift`: would deploying change anything, and has anything changed outside Terraform?
 * One line per stack; exit 0 when no stack would change and none drifted, 1 otherwise, 2 when it
 * could not check. See lib/drift/run-drift.ts (and --help).
 */
import { drift } from "../lib/drift/run-drift";

drift(process.argv.slice(2)).then(
  (run) => {
    process.stdout.write(run.stdout);
    process.stderr.write(run.stderr);
    process.exit(run.code);
  },
  (error: Error) => {
    process.stderr.write(`drift: ${error.message}\n`);
    process.exit(2);
  },
);
