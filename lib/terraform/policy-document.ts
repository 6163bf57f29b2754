import { Fn, TerraformLocal } from "cdktf";
import { Construct } from "constructs";

/** An IAM policy document: `Statement` entries as AWS writes them (tokens allowed in values). */
export interface PolicyDocument {
  readonly Version: "2012-10-17";
  readonly Statement: Record<string, unknown>[];
}

/** A policy document as a Terraform local, and the JSON text of it that AWS receives. */
export interface PolicyLocal {
  /** `jsonencode(local.<name>)`: the policy text, for a resource's `policy` argument. */
  readonly json: string;
  /** A reference to the document as configured (`local.<name>`), for hashing what the project defines. */
  readonly document: unknown;
  /** `local.<name>`, as text: where the synthesized JSON keeps it. */
  readonly address: string;
}

/**
 * Keeps a policy document in a Terraform local, so that the synthesized JSON shows each statement
 * as an object on lines of its own (a reviewer reads a policy change in the diff), where an inline
 * `jsonencode({...})` is one line of hundreds of characters. The policy AWS receives is the same
 * text: `jsonencode` of the same object value.
 */
export function policyLocal(scope: Construct, id: string, document: PolicyDocument): PolicyLocal {
  const local = new TerraformLocal(scope, id, document);
  return { json: Fn.jsonencode(local.expression), document: local.expression, address: `local.${local.friendlyUniqueId}` };
}
