import { TerraformStack } from "cdktf";

const removedOf = new WeakMap<TerraformStack, object[]>();

/**
 * Adds a Terraform `removed` block (Terraform >= 1.7) that forgets `address` without destroying
 * it, once it is no longer in the configuration: the next apply drops it from the state and
 * makes no API call. A block for an address that is not in the state does nothing.
 */
export function forgetWithoutDestroying(stack: TerraformStack, address: string): void {
  const removed = removedOf.get(stack) ?? [];
  removed.push({ from: address, lifecycle: { destroy: false } });
  removedOf.set(stack, removed);
  stack.addOverride("removed", removed);
}
