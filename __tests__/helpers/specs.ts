import { readdirSync } from "fs";
import * as path from "path";

/**
 * Loads every `*.spec.ts` of `folder` into the calling jest file. Specs mirror source files one to
 * one; jest runs one file per folder so that cdktf and the provider modules load once per folder
 * rather than once per spec (jest gives every test file a fresh module registry). Reading the
 * folder, rather than listing specs by hand, means a new spec cannot be left out.
 */
export function loadSpecs(folder: string): void {
  const specs = readdirSync(folder).filter((file) => file.endsWith(".spec.ts")).sort();
  if (specs.length === 0) throw new Error(`no *.spec.ts in ${folder}`);
  for (const spec of specs) {
    describe(spec, () => {
      require(path.join(folder, spec));
    });
  }
}
