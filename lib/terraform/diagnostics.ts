/**
 * Reads Terraform's human-readable diagnostics (`terraform plan -no-color` output), for commands
 * that turn a failed run into one line for the user.
 */

/**
 * The messages of the preconditions and postconditions that stopped a run, each on one line, in
 * the order Terraform printed them. A condition's message is the stacks' own words (what is wrong,
 * which setting, the fix), so it says more than the "Resource postcondition failed" headline.
 * Terraform prints each as `Error: Resource postcondition failed`, the source location and the
 * values it read, then the message wrapped at 78 columns.
 */
export function failedConditions(output: string): string[] {
  const blocks = output.split(/^(?=(?:Error|Warning): )/m).filter((block) => /^Error: Resource (?:pre|post)condition failed\n/.test(block));
  return blocks.flatMap((block) => {
    const paragraphs = block.split(/\n\s*\n/).slice(1).map((p) => p.trim()).filter(Boolean);
    // The location (`on cdk.tf.json line 68, in ...`, the source line, the `│` values) comes first; the message is what follows it.
    const message = paragraphs.filter((p) => !/^on .+ line \d+/.test(p) && !/^\s*[│├╵]/m.test(p)).join(" ");
    return message ? [message.replace(/\s*\n\s*/g, " ")] : [];
  });
}
