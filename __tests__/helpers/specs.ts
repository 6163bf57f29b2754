import { readdirSync } from "fs";
import * as path from "path";

/**
 * The jest files and the spec folders each one loads. Specs mirror source files one to one, in
 * folders that mirror the source folders. Jest gives every test file a fresh module registry, and
 * cdktf, the provider modules and the first synth take about a second to load and warm up in each;
 * so there are two jest files, one per core, balanced by how long their specs take.
 */
export const SPEC_GROUPS = {
  /** Specs that synthesize both stacks: the app, the preflight and the doctor. */
  "whole-project": ["stacks", "preflight", "doctor", "drift", "deploy", "cli"],
  /** Specs of single modules: the configuration, the constructs, the helpers, the canary. */
  modules: ["config", "constructs", "lib", "canary", "live", "repository"],
} as const;

const ROOT = path.join(__dirname, "..");

/**
 * Loads every `*.spec.ts` of the group's folders into the calling jest file. Reading the folders,
 * rather than listing specs by hand, means a new spec cannot be left out; and a folder of specs
 * that no group names fails the run.
 */
export function loadSpecGroup(group: keyof typeof SPEC_GROUPS): void {
  const grouped = new Set<string>(Object.values(SPEC_GROUPS).flat());
  const orphans = readdirSync(ROOT, { withFileTypes: true })
    .filter((entry) => entry.isDirectory() && !grouped.has(entry.name) && readdirSync(path.join(ROOT, entry.name)).some((f) => f.endsWith(".spec.ts")))
    .map((entry) => entry.name);
  if (orphans.length) throw new Error(`spec folders in no group of __tests__/helpers/specs.ts: ${orphans.join(", ")}`);
  for (const folder of SPEC_GROUPS[group]) {
    const specs = readdirSync(path.join(ROOT, folder)).filter((file) => file.endsWith(".spec.ts")).sort();
    if (specs.length === 0) throw new Error(`no *.spec.ts in __tests__/${folder}`);
    describe(folder, () => {
      for (const spec of specs) {
        describe(spec, () => {
          require(path.join(ROOT, folder, spec));
        });
      }
    });
  }
}
