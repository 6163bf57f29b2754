import { mkdtempSync, rmSync, writeFileSync } from "fs";
import { tmpdir } from "os";
import * as path from "path";
import { consumersOf } from "../config/consumers";
import { Config } from "../config/schema";
import { providerSettings } from "../stack/provider-settings";
import { AWS_PROVIDER, command } from "../terraform/cli";
import { explain, StackTarget } from "./read-stacks";

/** A throw-away Terraform configuration that asks AWS who the caller is, through each stack's provider settings. */
export interface CredentialsProbe {
  /** The configuration, as Terraform JSON (main.tf.json). */
  readonly json: {
    readonly terraform: { required_providers: { aws: { source: string; version: string } } };
    /** One provider per distinct way of finding credentials, in Terraform's argument names. */
    readonly provider: { aws: Record<string, unknown>[] };
    /** `data.aws_caller_identity.<alias>`, one per provider. */
    readonly data: { aws_caller_identity: Record<string, { provider: string }> };
  };
  /** The stacks each provider stands for, by its alias. */
  readonly targets: Record<string, StackTarget[]>;
}

/** The stacks of `config` with the account each deploys into: account-b first, then each consumer. */
function stacks(config: Config) {
  return [
    { target: { stack: "account-b", setting: "accountB", accountId: config.accountB.accountId }, account: config.accountB },
    ...consumersOf(config).map((c) => ({ target: { stack: c.stackId, setting: c.setting, accountId: c.account.accountId }, account: c.account })),
  ];
}

/**
 * The probe for `config`: every stack's provider block as the stack synthesizes it, default tags
 * aside (they change nothing about credentials), and `data "aws_caller_identity"` for each. No
 * `endpoints`, nothing else read: one STS call per provider. Stacks whose settings are the same
 * but for the alias share one provider.
 */
export function credentialsProbe(config: Config): CredentialsProbe {
  const providers = new Map<string, { alias: string; block: Record<string, unknown>; targets: StackTarget[] }>();
  for (const { target, account } of stacks(config)) {
    const { alias, ...settings } = providerSettings(config, account, target.stack);
    const key = JSON.stringify(settings);
    const entry = providers.get(key) ?? { alias: alias!, block: terraformArguments({ alias, ...settings }) as Record<string, unknown>, targets: [] };
    entry.targets.push(target);
    providers.set(key, entry);
  }
  const all = [...providers.values()];
  return {
    json: {
      terraform: { required_providers: { aws: { source: AWS_PROVIDER.address.replace("registry.terraform.io/", ""), version: AWS_PROVIDER.version } } },
      provider: { aws: all.map((p) => p.block) },
      data: { aws_caller_identity: Object.fromEntries(all.map((p) => [p.alias, { provider: `aws.${p.alias}` }])) },
    },
    targets: Object.fromEntries(all.map((p) => [p.alias, p.targets])),
  };
}

/** `allowedAccountIds` as `allowed_account_ids`, recursively, undefined values left out: as cdktf writes provider arguments. */
function terraformArguments(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(terraformArguments);
  if (typeof value !== "object" || value === null) return value;
  return Object.fromEntries(
    Object.entries(value)
      .filter(([, v]) => v !== undefined)
      .map(([k, v]) => [k.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`), terraformArguments(v)]),
  );
}

/**
 * Whether each stack's provider finds usable credentials for its account, before anything is
 * synthesized or initialized: the probe planned once, its providers configured side by side by
 * Terraform, exactly as the stacks' providers will be (profile, role, external id, region,
 * allowed account). Returns one line per stack that cannot deploy, in the doctor's words
 * (`explain`), or none. `env` is terraform's (lib/terraform/cli.ts `setUpTerraform`).
 */
export async function credentialProblems(config: Config, env: NodeJS.ProcessEnv): Promise<string[]> {
  const { json, targets } = credentialsProbe(config);
  const dir = mkdtempSync(path.join(tmpdir(), "credentials-"));
  try {
    writeFileSync(path.join(dir, "main.tf.json"), JSON.stringify(json, null, 2));
    const terraform = (args: string[]) => command("terraform", [...args, "-no-color"], dir, env);
    const init = await terraform(["init", "-input=false", "-backend=false"]);
    const everyStack = Object.values(targets).flat();
    if (init.code !== 0) return everyStack.map((target) => explain(target, "init", init));
    const plan = await terraform(["plan", "-input=false", "-lock=false", "-json"]);
    if (plan.code === 0) return [];
    // Each error, as Terraform prints it, given to the provider (alias) it names; one naming none is every provider's.
    const errors = new Map<string, string[]>();
    const general: string[] = [];
    for (const line of plan.stdout.split("\n")) {
      const diagnostic = parseLine(line)?.diagnostic;
      if (diagnostic?.severity !== "error") continue;
      const text = `Error: ${diagnostic.summary}\n${diagnostic.detail ?? ""}\n`;
      const alias = /^provider\[[^\]]+\]\.(\w+)$|^data\.aws_caller_identity\.(\w+)$/.exec(diagnostic.address ?? "")?.slice(1).find(Boolean);
      if (alias && alias in targets) errors.set(alias, [...(errors.get(alias) ?? []), text]);
      else general.push(text);
    }
    if (errors.size === 0 && general.length === 0) general.push(plan.output);
    return Object.entries(targets).flatMap(([alias, stackTargets]) => {
      const output = [...(errors.get(alias) ?? []), ...general].join("");
      return output ? stackTargets.map((target) => explain(target, "plan", { ...plan, output })) : [];
    });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function parseLine(line: string): { diagnostic?: { severity?: string; summary?: string; detail?: string; address?: string } } | undefined {
  try {
    return JSON.parse(line);
  } catch {
    return undefined;
  }
}
