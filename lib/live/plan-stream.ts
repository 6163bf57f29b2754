/**
 * What `terraform plan -json` streams (its machine-readable UI, one JSON message per line): the
 * managed resources the plan would change, those the refresh found changed outside Terraform,
 * and its error diagnostics as text. Enough to say "no changes" without `terraform show -json`
 * of the plan, which decodes the provider's whole schema once more.
 */

/** A plan's changes and drift, from its streamed messages. */
export interface StreamedPlan {
  /** Managed resources the plan would change: create, update, delete, replace (no-op and data reads left out). */
  readonly changes: { readonly address: string; readonly action: string }[];
  /** Managed resources changed outside Terraform (update or delete). */
  readonly drift: { readonly address: string; readonly action: string }[];
  /** The error diagnostics, as Terraform prints them (`Error: <summary>` then the detail). */
  readonly errors: string;
}

/** Reads `terraform plan -json`'s standard output. */
export function streamedPlan(stdout: string): StreamedPlan {
  const changes: { address: string; action: string }[] = [];
  const drift: { address: string; action: string }[] = [];
  const errors: string[] = [];
  for (const line of stdout.split("\n")) {
    if (!line.startsWith("{")) continue;
    let message: any;
    try {
      message = JSON.parse(line);
    } catch {
      continue;
    }
    // As Terraform prints it: the summary, a blank line, the detail (a condition's own message).
    if (message.type === "diagnostic" && message.diagnostic?.severity === "error") errors.push(`Error: ${message.diagnostic.summary}\n\n${message.diagnostic.detail ?? ""}`.trim());
    const change = message.change;
    const address = String(change?.resource?.addr ?? "");
    if (!address || change?.resource?.resource_type === undefined || /(^|\.)data\./.test(address)) continue;
    if (message.type === "planned_change" && change.action !== "noop" && change.action !== "read") changes.push({ address, action: String(change.action) });
    if (message.type === "resource_drift") drift.push({ address, action: String(change.action) });
  }
  return { changes, drift, errors: errors.join("\n\n") };
}
