/**
 * What the permissions of a stack depend on, read from its synthesized Terraform JSON (and the
 * JSON of the local modules it calls): the account, region and partition its provider is pinned
 * to, the resource and data source types it holds, the names AWS resources get, and its state
 * backend. Pure: the caller reads the files.
 */
import { requirePartition } from "../config/partition";

/** A synthesized stack: its id, its `cdk.tf.json`, and the `main.tf.json` of each local module it calls, by the module's `source`. */
export interface SynthesizedStack {
  /** `account-b`, `account-a`, `consumer-<name>`. */
  readonly id: string;
  readonly json: any;
  /** @default {} */
  readonly modules?: Readonly<Record<string, any>>;
}

/** One managed resource instance block of the stack. */
export interface ResourceBlock {
  readonly type: string;
  readonly name: string;
  readonly body: any;
}

/** A CloudFormation stack the Terraform stack manages, with what its template creates. */
export interface CloudFormationStackFacts {
  readonly name: string;
  /** The template's resource types, each with its DeletionPolicy (`Delete` when none). */
  readonly resources: readonly { readonly type: string; readonly deletionPolicy: string }[];
  /** IAM paths of the roles its template creates (CloudFormation names them). */
  readonly rolePaths: readonly string[];
}

/** The S3 state of a stack, or one it reads. */
export interface S3State {
  readonly bucket: string;
  readonly key: string;
  readonly region: string;
  /** DynamoDB lock table. */
  readonly dynamodbTable?: string;
  /** S3 native locking (`<key>.tflock`). */
  readonly lockfile: boolean;
  /** A role the backend assumes to reach it. */
  readonly roleArn?: string;
}

/** Everything about a stack that its identities' policies depend on. */
export interface StackFacts {
  readonly stackId: string;
  readonly accountId: string;
  readonly region: string;
  readonly partition: string;
  readonly resources: readonly ResourceBlock[];
  /** Data source types read, including check blocks' scoped data sources and local modules'. */
  readonly dataSourceTypes: ReadonlySet<string>;
  /** Addresses of resources an import block adopts (`aws_api_gateway_account.x`). */
  readonly imported: ReadonlySet<string>;
  /** IAM roles the stack creates, by name. */
  readonly roleNames: readonly string[];
  /** Roles a Lambda function of the stack runs as (passed to Lambda), by name. */
  readonly lambdaRoleNames: readonly string[];
  readonly functionNames: readonly string[];
  readonly logGroupNames: readonly string[];
  readonly cloudFormationStacks: readonly CloudFormationStackFacts[];
  /** The function a check block invokes at every plan, and the variable that turns it off. */
  readonly invokedFunctions: readonly { readonly name: string; readonly switchedOffBy?: string }[];
  /** A peering this stack requests: the peer's account and region. */
  readonly peeringRequests: readonly { readonly accountId: string; readonly region: string }[];
  /** Accounts whose peering requests this stack accepts (the requesters' owner ids it looks up). */
  readonly acceptsFromAccounts: readonly string[];
  readonly backend: { readonly type: "local" | "s3" | "cloud" | "other"; readonly s3?: S3State };
  /** S3 states the stack reads (`terraform_remote_state`: account B's, for a consumer). */
  readonly remoteStates: readonly S3State[];
  /** The role the stack's provider assumes (`credentials.assumeRoleArn`), if any. */
  readonly ownRoleArn?: string;
}

/** A stack whose JSON this reader does not understand: the message names what is missing. */
export class StackFactsError extends Error {}

const literal = (value: unknown): string | undefined => (typeof value === "string" && !value.includes("${") ? value : undefined);

/** The `name` of `<type>.<name>.<attr>` in a lone reference `${<type>.<name>.<attr>}`. */
function referencedName(value: unknown, type: string, attribute: string): string | undefined {
  const match = typeof value === "string" ? new RegExp(`^\\$\\{${type}\\.([\\w-]+)\\.${attribute}\\}$`).exec(value) : null;
  return match?.[1];
}

/** Reads a synthesized stack. @throws StackFactsError when it has no single aws provider pinned to one account and region */
export function stackFacts(stack: SynthesizedStack): StackFacts {
  const { json } = stack;
  const providers: any[] = json?.provider?.aws ?? [];
  if (providers.length !== 1) throw new StackFactsError(`${stack.id}: expected one aws provider block, found ${providers.length}`);
  const provider = providers[0];
  const accountId = provider.allowed_account_ids?.[0];
  const region = literal(provider.region);
  if (!accountId || !region) throw new StackFactsError(`${stack.id}: its aws provider names no allowed account and region`);

  const resources: ResourceBlock[] = Object.entries<Record<string, any>>(json.resource ?? {}).flatMap(([type, byName]) => Object.entries(byName).map(([name, body]) => ({ type, name, body })));
  const ofType = (type: string) => resources.filter((r) => r.type === type);

  const modules = Object.values<any>(json.module ?? {}).map((call) => ({ call, json: stack.modules?.[call.source] }));
  const dataIn = (doc: any): string[] => [
    ...Object.keys(doc?.data ?? {}),
    ...Object.values<any>(doc?.check ?? {}).flatMap((check) => Object.keys(check?.data ?? {})),
  ];
  const dataSourceTypes = new Set([...dataIn(json), ...modules.flatMap((m) => dataIn(m.json))]);

  const imported = new Set<string>((json.import ?? []).map((block: any) => String(block.to)));

  const functionName = (name: string) => literal(ofType("aws_lambda_function").find((r) => r.name === name)?.body.function_name);
  const roleName = (name: string) => literal(ofType("aws_iam_role").find((r) => r.name === name)?.body.name);

  // A module whose check block invokes a function: the function named by the call's `function_name`, off when its count is.
  const invokedFunctions = modules.flatMap(({ call, json: module }) => {
    const invokes = Object.values<any>(module?.check ?? {}).some((check) => check?.data?.aws_lambda_invocation);
    if (!invokes) return [];
    const fn = referencedName(call.function_name, "aws_lambda_function", "function_name");
    const name = (fn && functionName(fn)) ?? literal(call.function_name);
    if (!name) throw new StackFactsError(`${stack.id}: a module invokes a Lambda function whose name is not known at synth (${JSON.stringify(call.function_name)})`);
    const switchedOffBy = /var\.([\w-]+)\s*\?/.exec(String(call.count ?? ""))?.[1];
    return [{ name, switchedOffBy }];
  });

  const cloudFormationStacks = ofType("aws_cloudformation_stack").map(({ body }) => {
    const template = JSON.parse(body.template_body ?? "{}");
    const templateResources = Object.values<any>(template.Resources ?? {});
    return {
      name: literal(body.name) ?? "*",
      resources: templateResources.map((r) => ({ type: String(r.Type), deletionPolicy: String(r.DeletionPolicy ?? "Delete") })),
      rolePaths: templateResources.filter((r) => r.Type === "AWS::IAM::Role").map((r) => String(r.Properties?.Path ?? "/")),
    };
  });

  const peeringRequests = ofType("aws_vpc_peering_connection").map(({ body }) => ({ accountId: literal(body.peer_owner_id) ?? accountId, region: literal(body.peer_region) ?? region }));
  const acceptsFromAccounts = [
    ...new Set(
      Object.values<any>(json.data?.aws_vpc_peering_connections ?? {}).flatMap((d) => (d.filter ?? []).filter((f: any) => f.name === "requester-vpc-info.owner-id").flatMap((f: any) => f.values as string[])),
    ),
  ].sort();

  const s3 = (config: any, roleArn?: string): S3State => ({
    bucket: String(config.bucket),
    key: String(config.key),
    region: String(config.region ?? region),
    dynamodbTable: config.dynamodb_table,
    lockfile: config.use_lockfile === true,
    roleArn,
  });
  const backends = json.terraform?.backend ?? {};
  const backendType = Object.keys(backends)[0];
  const backend = backendType === "s3" ? { type: "s3" as const, s3: s3(backends.s3, backends.s3.assume_role?.role_arn) } : { type: (["local", "cloud"].includes(backendType) ? backendType : backendType ? "other" : "local") as "local" | "cloud" | "other" };
  const remoteStates = Object.values<any>(json.data?.terraform_remote_state ?? {})
    .filter((d) => d.backend === "s3")
    .map((d) => s3(d.config, d.config?.assume_role?.role_arn));

  return {
    stackId: stack.id,
    accountId,
    region,
    partition: requirePartition(region).name,
    resources,
    dataSourceTypes,
    imported,
    roleNames: ofType("aws_iam_role").map((r) => literal(r.body.name)).filter((n): n is string => !!n),
    lambdaRoleNames: ofType("aws_lambda_function")
      .map((r) => referencedName(r.body.role, "aws_iam_role", "arn"))
      .map((n) => (n ? roleName(n) : undefined))
      .filter((n): n is string => !!n),
    functionNames: ofType("aws_lambda_function").map((r) => literal(r.body.function_name)).filter((n): n is string => !!n),
    logGroupNames: ofType("aws_cloudwatch_log_group").map((r) => literal(r.body.name)).filter((n): n is string => !!n),
    cloudFormationStacks,
    invokedFunctions,
    peeringRequests,
    acceptsFromAccounts,
    backend,
    remoteStates,
    ownRoleArn: literal(provider.assume_role?.[0]?.role_arn),
  };
}
