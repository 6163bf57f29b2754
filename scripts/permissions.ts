/**
 * `npm run permissions`: the IAM policy each identity that runs the project's commands needs, per
 * stack and command kind (plan, deploy, destroy, account B's state-read role), written to
 * permissions/<stack>/<kind>.json. See lib/permissions/run-permissions.ts (and --help).
 */
import { permissionsCommand } from "../lib/permissions/run-permissions";

const run = permissionsCommand(process.argv.slice(2));
process.stdout.write(run.stdout);
process.stderr.write(run.stderr);
process.exit(run.code);
