/** IAM policy documents as the generator writes them (IAM JSON policy reference: Version, Statement). */

/** A condition block: operator → key → value(s), as IAM writes it. */
export type Condition = Record<string, Record<string, string | string[]>>;

/** One statement of an identity policy. */
export interface Statement {
  /** Says what the statement is for (letters and digits only, as IAM requires). */
  readonly Sid?: string;
  readonly Effect: "Allow" | "Deny";
  /** The actions, each `service:Action`, never a wildcard. */
  readonly Action: string[];
  /** The ARNs it applies to; `*` only where the service supports no narrower resource. */
  readonly Resource: string | string[];
  readonly Condition?: Condition;
}

/** An identity policy document. */
export interface PolicyDocument {
  readonly Version: "2012-10-17";
  readonly Statement: Statement[];
}

/** Every action a policy grants, once each, sorted. */
export function actionsOf(policy: PolicyDocument): string[] {
  return [...new Set(policy.Statement.filter((s) => s.Effect === "Allow").flatMap((s) => s.Action))].sort();
}
