import { readdirSync } from "fs";
import * as path from "path";

const ROOT = path.join(__dirname, "..");

/**
 * Loads every `*.spec.ts` of every folder of __tests__ into the calling jest file, one `describe`
 * per folder and per spec. Specs mirror source files one to one, in folders that mirror the source
 * folders. They run in one jest file: jest gives every test file a fresh module registry, and
 * loading cdktf, the provider modules and the first synth is most of a run's time, so one file
 * (in band, no worker processes) is faster than several in parallel on two cores (measured:
 * about 3.9 s against 4.2 s for two files). Reading the folders, rather than listing specs by
 * hand, means a new spec cannot be left out.
 */
export function loadSpecs(): void {
  const folders = readdirSync(ROOT, { withFileTypes: true })
    .filter((entry) => entry.isDirectory() && readdirSync(path.join(ROOT, entry.name)).some((f) => f.endsWith(".spec.ts")))
    .map((entry) => entry.name)
    .sort();
  for (const folder of folders) {
    describe(folder, () => {
      for (const spec of readdirSync(path.join(ROOT, folder)).filter((file) => file.endsWith(".spec.ts")).sort()) {
        describe(spec, () => {
          require(path.join(ROOT, folder, spec));
        });
      }
    });
  }
}
