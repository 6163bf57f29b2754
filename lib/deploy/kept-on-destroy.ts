import { existsSync, readFileSync } from "fs";
import * as path from "path";

/**
 * What a destroy of the stacks keeps: resources marked `prevent_destroy`, which the project only
 * reads and must never destroy (the imported API Gateway account setting: hashicorp/aws's next
 * major version resets the region's settings when it is destroyed). A destroy forgets them first
 * (`terraform state rm`: no API call), so Terraform's destroy never plans them; a plain
 * `terraform destroy` stops with an error naming them instead.
 */
export function keptOnDestroy(stackJson: any): string[] {
  return Object.entries<Record<string, any>>(stackJson?.resource ?? {})
    .flatMap(([type, byName]) => Object.entries(byName).filter(([, body]) => body?.lifecycle?.prevent_destroy === true).map(([name]) => `${type}.${name}`))
    .sort();
}

/** Runs terraform in a stack's directory: its exit code and standard output. */
export type TerraformRunner = (args: string[], cwd: string) => { code: number; stdout: string; output: string };

/**
 * Forgets, in each synthesized stack of `outdir` that has any, the resources kept on destroy that
 * its state holds. Returns one line per resource forgotten, and the problems met (a stack whose
 * state could not be read is left alone: its destroy then stops on `prevent_destroy`).
 */
export function forgetKeptResources(outdir: string, stacks: string[], terraform: TerraformRunner): { forgotten: string[]; problems: string[] } {
  const forgotten: string[] = [];
  const problems: string[] = [];
  for (const stack of stacks) {
    const dir = path.join(outdir, "stacks", stack);
    const file = path.join(dir, "cdk.tf.json");
    const kept = existsSync(file) ? keptOnDestroy(JSON.parse(readFileSync(file, "utf8"))) : [];
    if (kept.length === 0) continue;
    const init = terraform(["init", "-input=false", "-no-color"], dir);
    const listed = init.code === 0 ? terraform(["state", "list"], dir) : init;
    if (listed.code !== 0) {
      if (!/No state file was found/.test(listed.output)) problems.push(`${stack}: could not read its state to forget ${kept.join(", ")}: ${listed.output.trim().split("\n").pop()}`);
      continue;
    }
    const present = kept.filter((address) => listed.stdout.split("\n").includes(address));
    if (present.length === 0) continue;
    const removed = terraform(["state", "rm", ...present], dir);
    if (removed.code !== 0) problems.push(`${stack}: could not forget ${present.join(", ")}: ${removed.output.trim().split("\n").pop()}`);
    else forgotten.push(...present.map((address) => `${stack}: ${address} (kept: the project only reads it)`));
  }
  return { forgotten, problems };
}
