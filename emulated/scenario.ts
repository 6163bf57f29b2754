import { account, Account } from "./aws";
import type { Emulator, MotoInstallation } from "./emulator/emulator";
import { Workspace } from "./workspace";

/** One emulated scenario: a starting state of the accounts, a rollout or a day-2 change, and what AWS must hold after each step. */
export interface Scenario {
  /** Short id, `--only <name>`. */
  readonly name: string;
  /** What it shows, in one line. */
  readonly title: string;
  /** About how long it takes here: the runner starts the longest first. */
  readonly seconds: number;
  /** It runs calls through the data-plane twin (Linux network namespaces, as root): checked before any scenario starts. */
  readonly twin?: boolean;
  run(context: ScenarioContext): Promise<void>;
}

/** What a scenario works with: its own emulator (an empty one) and workspaces, and a log of its steps. */
export class ScenarioContext {
  /** One line per finished step, with its time. */
  readonly lines: string[] = [];
  readonly workspaces: Workspace[] = [];
  /** CPU of emulators the scenario started itself (besides its own), in seconds. */
  extraEmulatorCpuSeconds = 0;
  /** The steps under way, innermost last (the profile files each command under the innermost). */
  private readonly steps: string[] = [];

  constructor(
    readonly scenario: string,
    readonly emulator: Emulator,
    /** The environment every command runs with (see emulatedEnvironment). */
    readonly env: NodeJS.ProcessEnv,
    /** moto itself, for scenarios that start an emulator of their own. */
    readonly moto: MotoInstallation | undefined,
  ) {}

  /** A new workspace (temporary directory) for a configuration. */
  workspace(suffix = ""): Workspace {
    const workspace = new Workspace(`${this.scenario}${suffix}`, this.emulator, this.env, () => this.steps[this.steps.length - 1] ?? "(set-up)");
    this.workspaces.push(workspace);
    return workspace;
  }

  /** SDK clients for an emulated account and region. */
  account(accountId: string, region: string): Account {
    return account(this.emulator, accountId, region);
  }

  /** Runs one step and records its time; a failure names the step. */
  async step<T>(title: string, body: () => Promise<T>): Promise<T> {
    const started = Date.now();
    this.steps.push(title);
    try {
      const result = await body();
      this.lines.push(`  ok    ${title} (${seconds(started)})`);
      return result;
    } catch (error) {
      this.lines.push(`  FAIL  ${title} (${seconds(started)})`);
      throw error;
    } finally {
      this.steps.splice(this.steps.lastIndexOf(title), 1);
    }
  }
}

export const seconds = (since: number) => `${((Date.now() - since) / 1000).toFixed(1)} s`;

/** Runs every check, then fails with all the failed ones at once (so one run shows every defect of a step). */
export async function allOf(checks: (() => unknown | Promise<unknown>)[]): Promise<void> {
  const failures: string[] = [];
  for (const check of checks) {
    try {
      await check();
    } catch (error) {
      failures.push((error as Error).message.split("\n")[0]);
    }
  }
  if (failures.length) throw new Error(failures.join("\n"));
}
