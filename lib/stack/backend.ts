import { CloudBackend, LocalBackend, NamedCloudWorkspace, S3Backend, TerraformStack } from "cdktf";
import type { StackAccount } from "./account-stack";
import { Config } from "../config/schema";

/** The stack's entry in a per-stack map of the backend settings: accountA, accountB, or consumers.<name>. */
function perStack<T>(settings: { accountA: T; accountB: T; consumers: Record<string, T> }, id: string): T {
  if (id === "account-a") return settings.accountA;
  if (id === "account-b") return settings.accountB;
  // The configuration has a setting for every consumer (checked there).
  return settings.consumers[id.replace(/^consumer-/, "")];
}

/**
 * Configures the stack's state backend. Cross-stack references read the producer's state through a
 * `terraform_remote_state` that cdktf derives from this same backend, so each kind works for them.
 */
export function addBackend(stack: TerraformStack, config: Config, account: StackAccount): void {
  const { backend } = config;
  const id = stack.node.id;
  switch (backend.type) {
    case "local":
      // cdktf's default path is absolute (process.cwd()), which would put this machine's path in
      // the synthesized JSON. Terraform runs in cdktf.out/stacks/<id>, so this is the project root.
      new LocalBackend(stack, { path: `../../../terraform.${id}.tfstate` });
      return;
    case "s3": {
      const state = perStack(backend, id);
      const { credentials, region } = account;
      const s3 = new S3Backend(stack, {
        bucket: state.bucket,
        key: state.key ?? `${config.name}/${id}.tfstate`,
        region: state.region ?? region,
        encrypt: true,
        dynamodbTable: state.dynamodbTable,
        profile: credentials.profile,
        assumeRole: credentials.assumeRoleArn ? { roleArn: credentials.assumeRoleArn, externalId: credentials.externalId } : undefined,
      });
      // S3 native locking (Terraform >= 1.10); cdktf 0.21's S3Backend has no field for it.
      if (!state.dynamodbTable) s3.addOverride("use_lockfile", true);
      return;
    }
    case "cloud":
      new CloudBackend(stack, {
        organization: backend.organization,
        hostname: backend.hostname,
        workspaces: new NamedCloudWorkspace(perStack(backend.workspaces, id)),
      });
      return;
  }
}
