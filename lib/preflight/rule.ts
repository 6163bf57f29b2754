import { ProjectModel } from "./model";

/** `pending`: cannot hold before the second deploy of account-b, and is set up to hold after it. */
export type Status = "pass" | "fail" | "pending";

/** What a rule found. */
export interface Finding {
  readonly status: Status;
  /** What holds, or what is wrong, in the stacks' own terms. */
  readonly message: string;
  /** The API it concerns, for a rule that checks each API (none for the PetStore: its rows keep their ids). */
  readonly api?: string;
}

/** One link of the path from a client subnet in account A to the API in account B. */
export interface Rule {
  /** Stable id, used by `--json` consumers. */
  readonly id: string;
  /** The hop of the path the rule checks. */
  readonly hop: string;
  /** What must hold, in one line. */
  readonly title: string;
  /** What to change when it does not. */
  readonly fix: string;
  /** Evaluates the rule; pure. A rule about the APIs finds once per API. */
  evaluate(model: ProjectModel): Finding | Finding[];
}

export const pass = (message: string, api?: string): Finding => ({ status: "pass", message, ...(api ? { api } : {}) });
export const fail = (message: string, api?: string): Finding => ({ status: "fail", message, ...(api ? { api } : {}) });
export const pending = (message: string, api?: string): Finding => ({ status: "pending", message: `after second deploy of account-b: ${message}`, ...(api ? { api } : {}) });
/** Pending until a plan or the live deployment shows it (not "after the second deploy"). */
export const unknownUntilPlanned = (message: string, api?: string): Finding => ({ status: "pending", message, ...(api ? { api } : {}) });
