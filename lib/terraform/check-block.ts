import { TerraformProvider, TerraformStack } from "cdktf";
import { Construct } from "constructs";

/** One assertion of a check block. */
export interface CheckAssertion {
  /**
   * A Terraform expression, `${...}`, true when the check holds. It is evaluated inside `try(...,
   * false)`: a value it cannot read (an answer without the attribute it expects) fails the check
   * instead of failing the plan or apply with an error.
   */
  readonly condition: string;
  /**
   * What failed and what to do: a Terraform template, may interpolate the scoped data source.
   * Every interpolation must be total (`try(...)`, `coalesce(...)`): an error here is an error of
   * the run, not a warning.
   */
  readonly errorMessage: string;
}

/** A data source read anew each time the check runs (at most one per check block). */
export interface CheckDataSource {
  /** `aws_vpc_peering_connection`. */
  readonly type: string;
  /** Its name: unique among the stack's data sources of that type (tests override it by this address). */
  readonly name: string;
  /** Its arguments in Terraform's own names (`function_name`), `depends_on` included; the stack's aws provider is added. */
  readonly config: Record<string, unknown>;
}

/**
 * Adds a Terraform `check` block (Terraform >= 1.5) to the stack of `scope`: its assertions run at
 * the end of every plan and apply, and in HCP Terraform's health assessments, and a failure is a
 * warning, never an error, so a deploy is never blocked by them, provided that their expressions
 * cannot fail (see CheckAssertion). cdktf 0.21 has no class for check blocks; Terraform accepts
 * this JSON form.
 */
export function addCheckBlock(scope: Construct, name: string, check: { data?: CheckDataSource; assertions: CheckAssertion[] }): void {
  const stack = TerraformStack.of(scope);
  // Like every data source of the stack, it reads through the stack's (aliased) aws provider.
  const provider = stack.node.findAll().find((c): c is TerraformProvider => c instanceof TerraformProvider && c.terraformProviderSource === "aws");
  stack.addOverride(`check.${name}`, checkBlock(check, provider?.fqn));
}

/**
 * The body of a `check` block as Terraform JSON: its scoped data source (through `provider`, when
 * given; else the configuration's default aws provider) and its assertions, each total.
 */
export function checkBlock(check: { data?: CheckDataSource; assertions: CheckAssertion[] }, provider?: string): Record<string, unknown> {
  const data = check.data && { [check.data.type]: { [check.data.name]: { ...(provider ? { provider } : {}), ...check.data.config } } };
  return {
    ...(data ? { data } : {}),
    assert: check.assertions.map((a) => ({ condition: total(a.condition), error_message: a.errorMessage })),
  };
}

/** `${try(<expression>, false)}`: a condition that cannot be evaluated counts as failed, never as an error. */
function total(condition: string): string {
  const expression = /^\$\{([\s\S]*)\}$/.exec(condition)?.[1];
  if (expression === undefined) throw new Error(`a check condition must be one expression, \${...}: ${condition}`);
  return `\${try(${expression}, false)}`;
}
