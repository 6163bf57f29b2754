import { CloudBackend, DataTerraformRemoteStateS3, LocalBackend, NamedCloudWorkspace, S3Backend, S3BackendConfig, TerraformRemoteState, TerraformStack } from "cdktf";
import { Construct } from "constructs";
import { consumersOf } from "../config/consumers";
import { Config } from "../config/schema";
import type { StackAccount } from "./account-stack";

/** The stack's entry in a per-stack map of the backend settings: accountA, accountB, or consumers.<name>. */
function perStack<T>(settings: { accountA: T; accountB: T; consumers: Record<string, T> }, id: string): T {
  if (id === "account-a") return settings.accountA;
  if (id === "account-b") return settings.accountB;
  // The configuration has a setting for every consumer (checked there).
  return settings.consumers[id.replace(/^consumer-/, "")];
}

/**
 * Where the local backend keeps a stack's state, relative to the project root: one directory per
 * deployment, named by what identifies it (the configuration's `name`, and account B's account and
 * region), so that a second configuration in the same checkout (dev and prod) never writes over
 * the first one's state.
 */
export function localStatePath(config: Config, stackId: string): string {
  return `state/${config.name}-${config.accountB.accountId}-${config.accountB.region}/${stackId}.tfstate`;
}

/** The state key of a stack in its S3 bucket, unless configured. */
export const defaultStateKey = (config: Config, stackId: string) => `${config.name}/${stackId}.tfstate`;

/**
 * Account B's S3 state, as every consumer's stack reads it (`terraform_remote_state`) for B's few
 * outputs: with the role configured for reading it (`backend.accountB.readRoleArn`, read-only), or
 * else with the consumer's own credentials, never with the role that deploys B. A consumer's
 * pipeline then needs no permission to change B, and cannot read more than B's state.
 */
class ProducerS3Backend extends S3Backend {
  constructor(
    scope: TerraformStack,
    private readonly settings: S3BackendConfig,
    private readonly readerOf: (consumerStackId: string) => Pick<S3BackendConfig, "profile" | "assumeRole">,
  ) {
    super(scope, settings);
  }

  getRemoteStateDataSource(scope: Construct, name: string): TerraformRemoteState {
    const { bucket, key, region, encrypt } = this.settings;
    return new DataTerraformRemoteStateS3(scope, name, { bucket, key, region, encrypt, ...this.readerOf(TerraformStack.of(scope).node.id) });
  }
}

/**
 * Configures the stack's state backend. Cross-stack references read the producer's state through a
 * `terraform_remote_state` that cdktf derives from this same backend, so each kind works for them.
 * Returns the Terraform versions the backend needs, when it needs more than the stacks do.
 */
export function addBackend(stack: TerraformStack, config: Config, account: StackAccount): string | undefined {
  const { backend } = config;
  const id = stack.node.id;
  switch (backend.type) {
    case "local":
      // cdktf's default path is absolute (process.cwd()), which would put this machine's path in
      // the synthesized JSON. Terraform runs in cdktf.out/stacks/<id>, so ../../../ is the project root.
      new LocalBackend(stack, { path: `../../../${localStatePath(config, id)}` });
      return undefined;
    case "s3": {
      const state = perStack(backend, id);
      const { credentials, region } = account;
      const settings: S3BackendConfig = {
        bucket: state.bucket,
        key: state.key ?? defaultStateKey(config, id),
        region: state.region ?? region,
        encrypt: true,
        dynamodbTable: state.dynamodbTable,
        profile: credentials.profile,
        assumeRole: credentials.assumeRoleArn ? { roleArn: credentials.assumeRoleArn, externalId: credentials.externalId } : undefined,
      };
      const s3 = id === "account-b" ? new ProducerS3Backend(stack, settings, (consumer) => stateReader(config, consumer)) : new S3Backend(stack, settings);
      if (state.dynamodbTable) return undefined;
      // S3 native locking; cdktf 0.21's S3Backend has no field for it.
      s3.addOverride("use_lockfile", true);
      return ">= 1.10.0";
    }
    case "cloud":
      new CloudBackend(stack, {
        organization: backend.organization,
        hostname: backend.hostname,
        workspaces: new NamedCloudWorkspace(perStack(backend.workspaces, id)),
      });
      return undefined;
  }
}

/**
 * The credentials a consumer reads account B's S3 state with: the read-only role, assumed from the
 * consumer's own base credentials (its profile, else the environment's), or its own credentials.
 * The S3 backend assumes one role from its base credentials, so the read role must trust that base
 * identity, not the consumer's deploy role.
 */
function stateReader(config: Config, consumerStackId: string): Pick<S3BackendConfig, "profile" | "assumeRole"> {
  const b = config.backend.type === "s3" ? config.backend.accountB : undefined;
  const consumer = consumersOf(config).find((c) => c.stackId === consumerStackId)?.account.credentials ?? {};
  if (b?.readRoleArn) return { ...(consumer.profile ? { profile: consumer.profile } : {}), assumeRole: { roleArn: b.readRoleArn } };
  return {
    profile: consumer.profile,
    assumeRole: consumer.assumeRoleArn ? { roleArn: consumer.assumeRoleArn, externalId: consumer.externalId } : undefined,
  };
}
