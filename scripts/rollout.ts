/**
 * `npm run deploy` / `npm run destroy` [-- --auto-approve]: the whole rollout with cdktf, in the
 * order the peering needs; see lib/deploy/run-rollout.ts (and --help).
 */
import * as path from "path";
import { EXIT } from "../lib/cli/command-line";
import { rollout, ROLLOUT_USAGE } from "../lib/deploy/run-rollout";

const [action, ...argv] = process.argv.slice(2);
if (action !== "deploy" && action !== "destroy") {
  process.stderr.write(`scripts/rollout.ts: expected deploy or destroy, got ${JSON.stringify(action ?? "")}; ${ROLLOUT_USAGE.deploy.split("\n")[0]}, or ${ROLLOUT_USAGE.destroy.split("\n")[0]}\n`);
  process.exit(EXIT.couldNotCheck);
}
rollout(action, argv, path.join(__dirname, "..")).then(
  (code) => process.exit(code),
  (error: Error) => {
    process.stderr.write(`${action}: ${error.message}\n`);
    process.exit(EXIT.couldNotCheck);
  },
);
