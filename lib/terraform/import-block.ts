import { TerraformProvider, TerraformResource, TerraformStack } from "cdktf";

const importsOf = new WeakMap<TerraformStack, object[]>();

/**
 * Adds a Terraform `import` block (Terraform >= 1.5; the stacks require it) that imports `id`
 * into `resource` through `provider`. cdktf's own `resource.importFrom()` writes the same block,
 * but also makes every synth run `terraform version` to check the local binary: a synth then
 * fails with a stack trace where Terraform is not installed (a reviewer's laptop), costs a
 * process start, and checks the wrong binary anyway when the plan runs in Terraform Cloud. The
 * stacks' `required_version` (lib/account-stack.ts) is checked by whichever Terraform runs them.
 */
export function addImportBlock(resource: TerraformResource, id: string, provider: TerraformProvider): void {
  const stack = TerraformStack.of(resource);
  const imports = importsOf.get(stack) ?? [];
  imports.push({ to: `${resource.terraformResourceType}.${resource.friendlyUniqueId}`, id, provider: provider.fqn });
  importsOf.set(stack, imports);
  stack.addOverride("import", imports);
}
