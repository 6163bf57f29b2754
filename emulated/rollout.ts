import assert from "node:assert/strict";
import { readFileSync } from "fs";
import * as path from "path";
import { Workspace } from "./workspace";

const ROOT = path.join(__dirname, "..");

/** A configuration file of the project (config/example.json, a fixture), parsed. */
export function configFile(relative: string): any {
  return JSON.parse(readFileSync(path.join(ROOT, relative), "utf8"));
}

/** What an apply's last line counts: `Apply complete! Resources: 1 imported, 29 added, 0 changed, 0 destroyed.` */
export function applied(output: string): { imported: number; added: number; changed: number; destroyed: number } {
  const line = /Apply complete! Resources: (.*)\./.exec(output)?.[1];
  assert.ok(line, `no "Apply complete!" line in:\n${output.slice(-2000)}`);
  const count = (what: string) => Number(new RegExp(`(\\d+) ${what}`).exec(line)?.[1] ?? 0);
  return { imported: count("imported"), added: count("added"), changed: count("changed"), destroyed: count("destroyed") };
}

/** The rollout of docs/rollout.md: account-b, then every consumer side by side, then account-b again. */
export async function rollout(workspace: Workspace, step: <T>(title: string, body: () => Promise<T>) => Promise<T>): Promise<void> {
  const consumers = workspace.stacks().filter((s) => s !== "account-b");
  await step("deploy account-b (first)", () => workspace.deploy("account-b"));
  await step(`deploy ${consumers.join(", ")}`, () => Promise.all(consumers.map((c) => workspace.deploy(c))));
  await step("deploy account-b (second: accepts the requests)", () => workspace.deploy("account-b"));
}

/** The canary's answer (canary/index.js) for the example's four access methods, each ok unless named in `failing`. */
export function canaryAnswer(failing: Record<string, string> = {}): { ok: boolean; results: unknown[] } {
  const methods = ["private-dns", "host-header", "api-id-header", "endpoint-alias"];
  const results = methods.map((method) => (failing[method]
    ? { method, url: `https://emulated/${method}`, ok: false, status: /^status: got (\d+)/.exec(failing[method])?.[1] ? Number(/^status: got (\d+)/.exec(failing[method])![1]) : undefined, ms: 12, error: failing[method] }
    : { method, url: `https://emulated/${method}`, ok: true, status: 200, ms: 12 }));
  return { ok: results.every((r: any) => r.ok), results };
}
