import { existsSync } from "fs";
import * as path from "path";

/**
 * A path inside the project: relative to the directory of cdktf.json, found from the working
 * directory up, the way cdktf resolves asset paths. (The app runs as a bundle from
 * node_modules/.cache, so paths relative to a source file would point there.)
 */
export function projectPath(relative: string, from = process.cwd()): string {
  for (let dir = path.resolve(from); ; dir = path.dirname(dir)) {
    if (existsSync(path.join(dir, "cdktf.json"))) return path.join(dir, relative);
    if (path.dirname(dir) === dir) throw new Error(`no cdktf.json in ${from} or above it: run from the project directory`);
  }
}
