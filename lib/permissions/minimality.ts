/**
 * Whether a generated policy is exactly what its commands need, judged from a run of them with an
 * identity holding it: every action requested and allowed (used), none requested and denied
 * (missing), and none granted that nothing asked for although what needs it ran (unused). The
 * emulated `permissions` scenario runs the commands; this judges, and is pure.
 */
import type { PolicyDocument } from "./policy";
import type { Need } from "./generate";
import type { Operation } from "./provider-actions";

/** What a command of one kind did and asked for, over every run of that kind. */
export interface KindEvidence {
  /** What Terraform did, each `<type> <operation>`: `aws_vpc create`, `data.aws_vpcs read` (see `operationsInOutput`). */
  readonly performed: ReadonlySet<string>;
  /** Each action the identity requested, with how often it was allowed and denied. */
  readonly requested: ReadonlyMap<string, { readonly allowed: number; readonly denied: number }>;
}

/** One action of a policy, with why it is there. */
export interface JudgedAction {
  readonly action: string;
  readonly needs: readonly Need[];
}

/** The judgement of one policy. */
export interface MinimalityReport {
  /** Requested and allowed. */
  readonly used: string[];
  /** Requested and denied: the policy lacks them (a failure). */
  readonly missing: { readonly action: string; readonly denied: number }[];
  /** Granted, never requested, although something that needs them ran, or nothing needs them (a failure: the policy grants more than is used). */
  readonly unused: JudgedAction[];
  /** Granted, never requested, and nothing that needs them ran here: they stand on the table's word. */
  readonly notExercised: JudgedAction[];
  /** Granted for what AWS checks and the emulator cannot see (see provider-actions.ts `awsOnly`). */
  readonly awsOnly: JudgedAction[];
  /** Actions with a wildcard: a grant that removing one action would not take away (a failure). */
  readonly wildcards: string[];
  /** Whether the policy passed: nothing missing, unused or wildcarded. */
  readonly ok: boolean;
}

/** Actions AWS authorizes for everyone: never in a policy, and not judged. */
export const NEEDS_NO_PERMISSION: ReadonlySet<string> = new Set([
  // "No permissions are required to perform this operation" (STS API reference, GetCallerIdentity).
  "sts:GetCallerIdentity",
]);

const pathOf = (need: Need) => `${need.source} ${need.operation ?? "read"}`;

/**
 * Judges `policy` (its actions, with `needs` from the generator) against what its commands did
 * (`evidence`).
 */
export function judge(policy: PolicyDocument, needs: Readonly<Record<string, readonly Need[]>>, evidence: KindEvidence): MinimalityReport {
  const granted = [...new Set(policy.Statement.filter((s) => s.Effect === "Allow").flatMap((s) => s.Action))].sort();
  const wildcards = granted.filter((a) => /[*?]/.test(a));
  const used: string[] = [];
  const unused: JudgedAction[] = [];
  const notExercised: JudgedAction[] = [];
  const awsOnly: JudgedAction[] = [];
  for (const action of granted.filter((a) => !wildcards.includes(a))) {
    const actionNeeds = needs[action] ?? [];
    if ((evidence.requested.get(action)?.allowed ?? 0) > 0) {
      used.push(action);
      continue;
    }
    const judged = { action, needs: actionNeeds };
    // Needs the emulator can see: the provider's own calls, and what the launcher makes moto check.
    const visible = actionNeeds.filter((n) => !n.awsOnly || n.awsOnly.emulated);
    // An action nothing needs cannot be excused by a path that did not run.
    if (actionNeeds.length === 0) unused.push(judged);
    else if (visible.length === 0) awsOnly.push(judged);
    else if (visible.some((n) => evidence.performed.has(pathOf(n)))) unused.push(judged);
    else notExercised.push(judged);
  }
  const missing = [...evidence.requested.entries()]
    .filter(([action, counts]) => counts.denied > 0 && !NEEDS_NO_PERMISSION.has(action))
    .map(([action, counts]) => ({ action, denied: counts.denied }))
    .sort((a, b) => a.action.localeCompare(b.action));
  return { used, missing, unused, notExercised, awsOnly, wildcards, ok: missing.length === 0 && unused.length === 0 && wildcards.length === 0 };
}

const OPERATIONS: Record<string, Operation> = {
  "Refreshing state": "read",
  Refreshing: "read",
  Reading: "read",
  "Preparing import": "read",
  Importing: "read",
  Creating: "create",
  Modifying: "update",
  Destroying: "delete",
};

/**
 * What Terraform did, from what a plan, apply or destroy printed (its human output, or `-json`'s
 * messages): each `<type> <operation>`, data sources as `data.<type>`, module prefixes left out.
 * `aws_vpc.network_vpc: Creating...` is `aws_vpc create`.
 */
export function operationsInOutput(output: string): Set<string> {
  const performed = new Set<string>();
  const pattern = /(?:^|"@message":")(?:module\.[\w-]+(?:\[[^\]]*\])?\.)*((?:data\.)?[a-z0-9_]+)\.[\w-]+(?:\[[^\]]*\])?: (Refreshing state|Refreshing|Reading|Preparing import|Importing|Creating|Modifying|Destroying)\.\.\./gm;
  for (const match of output.matchAll(pattern)) performed.add(`${match[1]} ${OPERATIONS[match[2]]}`);
  return performed;
}

/** The report as lines for a scenario's log: failures first, then what stands on the table's or AWS's word. */
export function formatReport(title: string, report: MinimalityReport): string[] {
  const needs = (j: JudgedAction) => j.needs.map((n) => pathOf(n)).join("; ");
  return [
    `${report.ok ? "ok  " : "FAIL"} ${title}: ${report.used.length} used${report.missing.length ? `, ${report.missing.length} MISSING` : ""}${report.unused.length ? `, ${report.unused.length} UNUSED` : ""}${report.wildcards.length ? `, ${report.wildcards.length} WILDCARD` : ""}, ${report.notExercised.length} not exercised here, ${report.awsOnly.length} checked by AWS only`,
    ...report.missing.map((m) => `  missing (denied ${m.denied}x): ${m.action}`),
    ...report.unused.map((u) => `  unused: ${u.action} (${u.needs.length ? `needed by ${needs(u)}, which ran` : "nothing needs it"})`),
    ...report.wildcards.map((w) => `  wildcard: ${w}`),
    ...(report.notExercised.length ? [`  not exercised here (no command of this kind ran what needs them): ${report.notExercised.map((n) => n.action).join(", ")}`] : []),
    ...(report.awsOnly.length ? [`  checked by AWS only (the emulator never sees them): ${report.awsOnly.map((a) => a.action).join(", ")}`] : []),
  ];
}
