import { CloudBackend, LocalBackend, NamedCloudWorkspace, S3Backend, TerraformStack } from "cdktf";
import { AccountKey, Config } from "./config/schema";

/**
 * Configures the stack's state backend. Cross-stack references read the producer's state through a
 * `terraform_remote_state` that cdktf derives from this same backend, so each kind works for them.
 */
export function addBackend(stack: TerraformStack, config: Config, account: AccountKey): void {
  const { backend } = config;
  const id = stack.node.id;
  switch (backend.type) {
    case "local":
      // cdktf's default path is absolute (process.cwd()), which would put this machine's path in
      // the synthesized JSON. Terraform runs in cdktf.out/stacks/<id>, so this is the project root.
      new LocalBackend(stack, { path: `../../../terraform.${id}.tfstate` });
      return;
    case "s3": {
      const state = backend[account];
      const { credentials, region } = config[account];
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
        workspaces: new NamedCloudWorkspace(backend.workspaces[account]),
      });
      return;
  }
}
