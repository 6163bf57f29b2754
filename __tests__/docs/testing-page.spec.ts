import { readdirSync, readFileSync } from "fs";
import * as path from "path";

const ROOT = path.join(__dirname, "../..");
const read = (file: string) => readFileSync(path.join(ROOT, file), "utf8");
const page = read("docs/testing.md");
/** The first cell of every table row of docs/testing.md. */
const rowNames = new Set([...page.matchAll(/^\| `([a-z0-9-]+)` \|/gm)].map((m) => m[1]));

describe("docs/testing.md keeps up with the emulated suite", () => {
  test("every correction of the emulator's launcher has its row in the fidelity table", () => {
    const corrections = [...read("emulated/emulator/moto_launcher.py").matchAll(/^@correction\("([a-z0-9-]+)"\)/gm)].map((m) => m[1]);
    expect(corrections.length).toBeGreaterThan(5);
    expect(corrections.filter((name) => !rowNames.has(name))).toEqual([]);
  });

  test("every scenario has its row in the scenario table", () => {
    const dir = path.join(ROOT, "emulated/scenarios");
    const scenarios = readdirSync(dir)
      .filter((file) => file.endsWith(".ts"))
      .flatMap((file) => [...readFileSync(path.join(dir, file), "utf8").matchAll(/: Scenario = \{\s*name: "([a-z0-9-]+)"/g)].map((m) => m[1]));
    expect(scenarios.length).toBeGreaterThan(5);
    expect(scenarios.filter((name) => !rowNames.has(name))).toEqual([]);
  });
});
