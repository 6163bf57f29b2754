/**
 * The IAM policy each identity that runs the project's commands needs, per stack and per command
 * kind, generated from the stack's synthesized JSON and the table of what hashicorp/aws calls
 * (provider-actions.ts):
 *
 * - `plan`: plan, `npm run drift` (a plan) and `npm run doctor` (a refresh-only plan): every read,
 *   and the canary's invocation, which every plan and apply of a consumer runs in a check block.
 * - `deploy`: plan + apply: the reads, and every create, update and delete of the stack's types
 *   (an apply replaces or removes what the configuration no longer has), tags included.
 * - `destroy`: the refresh before it, and every delete.
 * - `state-read`: the role consumers assume to read account B's S3 state (backend.accountB.readRoleArn).
 *
 * Resources are the configured account's and region's, and the stack's own names, wherever the
 * service supports resource-level permissions; `*` only where it does not (each scope below
 * says so). Pure: see run-permissions.ts for the command that writes the files.
 */
import { Condition, PolicyDocument, Statement } from "./policy";
import { AwsOnly, CLOUDFORMATION_TEMPLATE_ACTIONS, DATA_SOURCE_ACTIONS, EC2_RESOURCE_TYPES, Operation, RESOURCE_ACTIONS } from "./provider-actions";
import { StackFacts, stackFacts, SynthesizedStack } from "./stack-facts";

/** The command kinds an identity is made for. */
export const COMMAND_KINDS = ["plan", "deploy", "destroy"] as const;
export type CommandKind = (typeof COMMAND_KINDS)[number];
/** Every policy a stack can have: one per command kind, and account B's state-read role. */
export type PolicyKind = CommandKind | "state-read";

/** Why an action is in a policy: what asks for it. */
export interface Need {
  /** A Terraform type and what is done to it (`aws_vpc` create), or a purpose of the project's own (`canary-check`, `doctor`, `state`). */
  readonly source: string;
  readonly operation?: Operation;
  /** Set when AWS authorizes it on top of what the provider calls, or only against AWS: the emulator may not see it. */
  readonly awsOnly?: AwsOnly;
  /** What else to know about it. */
  readonly note?: string;
}

/** A stack's policies, and why each action of each is there. */
export interface StackPermissions {
  readonly stack: string;
  readonly policies: Partial<Record<PolicyKind, PolicyDocument>>;
  /** For each policy, each action's needs. */
  readonly needs: Partial<Record<PolicyKind, Record<string, Need[]>>>;
}

/** A type the table does not know: its actions must be added (provider-actions.ts) before a policy can cover it. */
export class UnknownTypeError extends Error {}

/** Where an action applies: a key of SCOPES. */
type ScopeKey = keyof typeof SCOPES;

interface Grant {
  readonly action: string;
  readonly scope: ScopeKey;
  readonly need: Need;
}

interface ScopeDefinition {
  /** The statement's Sid: what the statement is for (IAM allows letters and digits only). */
  readonly sid: string;
  readonly resources: (f: StackFacts, actions: string[]) => string[];
  readonly condition?: (f: StackFacts) => Condition;
}

const ec2Arn = (f: StackFacts, type: string, account = f.accountId, region = f.region) => `arn:${f.partition}:ec2:${region}:${account}:${type}/*`;
const lambdaArns = (f: StackFacts, names: readonly string[]) => names.flatMap((n) => [`arn:${f.partition}:lambda:${f.region}:${f.accountId}:function:${n}`, `arn:${f.partition}:lambda:${f.region}:${f.accountId}:function:${n}:*`]);
const roleArns = (f: StackFacts, names: readonly string[]) => names.map((n) => `arn:${f.partition}:iam::${f.accountId}:role/${n}`);
const cfnRoleArns = (f: StackFacts) => [...new Set(f.cloudFormationStacks.flatMap((s) => s.rolePaths))].map((p) => `arn:${f.partition}:iam::${f.accountId}:role${p}*`);
const s3Object = (f: StackFacts, bucket: string, key: string) => `arn:${f.partition}:s3:::${bucket}/${key}`;

/**
 * The scopes, each one statement of a policy. `*` is used only where the service offers no
 * resource-level permission for the action: EC2's Describe* and Route 53's CreateHostedZone
 * (Service Authorization Reference: no resource types for them).
 */
const SCOPES = {
  // EC2 Describe* and Route 53's CreateHostedZone take no resource: they are authorized on "*" only.
  unscoped: { sid: "ReadsAndCreatesWithoutResourceLevelPermissions", resources: () => ["*"] },
  ec2: {
    sid: "Ec2NetworkOfThisAccountAndRegion",
    resources: (f: StackFacts, actions: string[]) => [...new Set(actions.flatMap((a) => EC2_RESOURCE_TYPES[a] ?? []))].sort().map((t) => ec2Arn(f, t)),
  },
  // The requester names the accepter's VPC, which is in the peer's account (and region).
  ec2PeerVpc: { sid: "PeeringRequestToThePeersVpc", resources: (f: StackFacts) => f.peeringRequests.map((p) => ec2Arn(f, "vpc", p.accountId, p.region)) },
  // A peering connection belongs to the requester's account: only requests from the consumers' VPCs into this account's VPCs.
  ec2AcceptPeering: {
    sid: "AcceptPeeringFromConsumerAccountsIntoOwnVpcs",
    resources: (f: StackFacts) => [`arn:${f.partition}:ec2:*:*:vpc-peering-connection/*`],
    condition: (f: StackFacts) => ({
      ArnLike: {
        "ec2:AccepterVpc": `arn:${f.partition}:ec2:${f.region}:${f.accountId}:vpc/*`,
        "ec2:RequesterVpc": f.acceptsFromAccounts.map((a) => `arn:${f.partition}:ec2:*:${a}:vpc/*`),
      },
    }),
  },
  // The accepter's tags and options are set on the connection, which the consumer's account owns.
  ec2PeeringOfConsumers: { sid: "AccepterTagsOnConsumersPeeringConnections", resources: (f: StackFacts) => f.acceptsFromAccounts.map((a) => `arn:${f.partition}:ec2:*:${a}:vpc-peering-connection/*`) },
  apigateway: {
    sid: "ApiGatewayRestApisOfThisRegion",
    resources: (f: StackFacts) => ["/restapis", "/restapis/*", "/tags/*"].map((p) => `arn:${f.partition}:apigateway:${f.region}::${p}`),
  },
  apigatewayAccount: { sid: "ApiGatewayAccountSettingOfThisRegion", resources: (f: StackFacts) => [`arn:${f.partition}:apigateway:${f.region}::/account`] },
  // Each REST API's policy; the API ids are not known before the APIs exist.
  apigatewayPolicy: { sid: "ApiGatewayRestApiResourcePolicies", resources: (f: StackFacts) => [`arn:${f.partition}:apigateway:${f.region}::/restapis/*`] },
  // DescribeLogGroups lists: it is authorized on every log group of the account and region.
  logsDescribe: { sid: "LogsDescribeGroupsOfThisRegion", resources: (f: StackFacts) => [`arn:${f.partition}:logs:${f.region}:${f.accountId}:log-group:*`] },
  logs: {
    sid: "LogsOwnLogGroups",
    resources: (f: StackFacts) => f.logGroupNames.flatMap((n) => [`arn:${f.partition}:logs:${f.region}:${f.accountId}:log-group:${n}`, `arn:${f.partition}:logs:${f.region}:${f.accountId}:log-group:${n}:*`]),
  },
  iamRoles: { sid: "IamOwnRoles", resources: (f: StackFacts) => roleArns(f, f.roleNames) },
  passRoleToLambda: {
    sid: "PassOwnRolesToLambdaOnly",
    resources: (f: StackFacts) => roleArns(f, f.lambdaRoleNames),
    condition: () => ({ StringEquals: { "iam:PassedToService": "lambda.amazonaws.com" } }),
  },
  // CloudFormation names the roles of its templates; their path is ours.
  cfnRoles: { sid: "IamRolesCloudFormationCreatesWithTheCallersCredentials", resources: (f: StackFacts) => cfnRoleArns(f) },
  passCfnRoleToApiGateway: {
    sid: "PassCloudFormationsLoggingRoleToApiGatewayOnly",
    resources: (f: StackFacts) => cfnRoleArns(f),
    condition: () => ({ StringEquals: { "iam:PassedToService": "apigateway.amazonaws.com" } }),
  },
  lambda: { sid: "LambdaOwnFunctions", resources: (f: StackFacts) => lambdaArns(f, f.functionNames) },
  canaryCheck: {
    sid: "CanaryCheckInvokesTheCanaryWheneverTerraformPlansUnlessCanaryCheckIsFalse",
    resources: (f: StackFacts) => lambdaArns(f, f.invokedFunctions.map((i) => i.name)),
  },
  // Route 53 ARNs name no account: these are the zones of the account the identity is in.
  route53Zones: { sid: "Route53HostedZonesOfThisAccount", resources: (f: StackFacts) => [`arn:${f.partition}:route53:::hostedzone/*`] },
  route53Changes: { sid: "Route53ChangesOfThisAccount", resources: (f: StackFacts) => [`arn:${f.partition}:route53:::change/*`] },
  cloudformation: { sid: "CloudFormationOwnStacks", resources: (f: StackFacts) => f.cloudFormationStacks.map((s) => `arn:${f.partition}:cloudformation:${f.region}:${f.accountId}:stack/${s.name}/*`) },
  stateBucket: {
    sid: "StateBucketListing",
    resources: (f: StackFacts) => (f.backend.s3 ? [`arn:${f.partition}:s3:::${f.backend.s3.bucket}`] : []),
    condition: (f: StackFacts) => ({ StringLike: { "s3:prefix": [f.backend.s3!.key, `${f.backend.s3!.key}*`] } }),
  },
  stateObject: { sid: "OwnStateObject", resources: (f: StackFacts) => (f.backend.s3 ? [s3Object(f, f.backend.s3.bucket, f.backend.s3.key)] : []) },
  stateLockfile: { sid: "OwnStateLockFile", resources: (f: StackFacts) => (f.backend.s3 ? [s3Object(f, f.backend.s3.bucket, `${f.backend.s3.key}.tflock`)] : []) },
  stateLockTable: {
    sid: "OwnStateLockTable",
    resources: (f: StackFacts) => (f.backend.s3?.dynamodbTable ? [`arn:${f.partition}:dynamodb:${f.backend.s3.region}:*:table/${f.backend.s3.dynamodbTable}`] : []),
  },
  // SSE-KMS is the bucket's own setting, unknown here: any key of the bucket's region, only through S3, only for this state.
  stateKms: {
    sid: "StateKmsKeyThroughS3OnlyWhenTheBucketUsesSseKms",
    resources: (f: StackFacts) => (f.backend.s3 ? [`arn:${f.partition}:kms:${f.backend.s3.region}:*:key/*`] : []),
    condition: (f: StackFacts) => ({
      StringEquals: { "kms:ViaService": `s3.${f.backend.s3!.region}.amazonaws.com` },
      StringLike: { "kms:EncryptionContext:aws:s3:arn": [s3Object(f, f.backend.s3!.bucket, `${f.backend.s3!.key}*`)] },
    }),
  },
  remoteState: { sid: "ReadsAccountBsStateWithOwnCredentials", resources: (f: StackFacts) => readsWithOwnCredentials(f).map((s) => s3Object(f, s.bucket, s.key)) },
  remoteStateKms: {
    sid: "AccountBsStateKmsKeyThroughS3OnlyWhenItsBucketUsesSseKms",
    resources: (f: StackFacts) => [...new Set(readsWithOwnCredentials(f).map((s) => `arn:${f.partition}:kms:${s.region}:*:key/*`))],
    condition: (f: StackFacts) => ({
      StringEquals: { "kms:ViaService": [...new Set(readsWithOwnCredentials(f).map((s) => `s3.${s.region}.amazonaws.com`))] },
      StringLike: { "kms:EncryptionContext:aws:s3:arn": readsWithOwnCredentials(f).map((s) => s3Object(f, s.bucket, s.key)) },
    }),
  },
} satisfies Record<string, ScopeDefinition>;

/** The scopes of `action` when `type` asks for it: most actions have one, whoever asks. */
function scopesOf(action: string, type: string): ScopeKey[] {
  // The request names both VPCs: the requester's own, and the peer's in the peer's account.
  if (action === "ec2:CreateVpcPeeringConnection") return ["ec2", "ec2PeerVpc"];
  return [scopeOf(action, type)];
}

/** The scope of `action` when `type` asks for it. */
function scopeOf(action: string, type: string): ScopeKey {
  const [service, name] = action.split(":");
  if (type === "aws_vpc_peering_connection_accepter" && action !== "ec2:DescribeVpcPeeringConnections") return action === "ec2:AcceptVpcPeeringConnection" ? "ec2AcceptPeering" : "ec2PeeringOfConsumers";
  if (type === "aws_api_gateway_account") return "apigatewayAccount";
  if (action === "apigateway:UpdateRestApiPolicy") return "apigatewayPolicy";
  if (action === "iam:PassRole") return "passRoleToLambda";
  if (action === "lambda:InvokeFunction") return "canaryCheck";
  switch (service) {
    case "ec2":
      return name.startsWith("Describe") ? "unscoped" : "ec2";
    case "apigateway":
      return "apigateway";
    case "logs":
      return name === "DescribeLogGroups" ? "logsDescribe" : "logs";
    case "iam":
      return "iamRoles";
    case "lambda":
      return "lambda";
    case "route53":
      return name === "CreateHostedZone" ? "unscoped" : name === "GetChange" ? "route53Changes" : "route53Zones";
    case "cloudformation":
      return "cloudformation";
  }
  throw new UnknownTypeError(`no scope for ${action} (asked for by ${type}): add one to lib/permissions/generate.ts`);
}

/** What `kind` does to a managed resource type, given how the stack declares its instances. */
function operationsOf(kind: CommandKind, type: string, f: StackFacts): Operation[] {
  const instances = f.resources.filter((r) => r.type === type);
  const all = (test: (r: (typeof instances)[number]) => boolean) => instances.length > 0 && instances.every(test);
  // An imported instance is read, not created; `ignore_changes = all` is never updated; `prevent_destroy` is forgotten on destroy, never deleted.
  const importedOnly = all((r) => f.imported.has(`${type}.${r.name}`));
  const neverUpdated = all((r) => r.body.lifecycle?.ignore_changes === "all");
  const neverDeleted = all((r) => r.body.lifecycle?.prevent_destroy === true);
  // What a destroy forgets first (kept-on-destroy.ts) it neither reads nor deletes.
  if (kind === "destroy" && neverDeleted) return [];
  const ops: Operation[] = ["read"];
  if (kind === "deploy") {
    if (!importedOnly) ops.push("create");
    if (!neverUpdated) ops.push("update");
  }
  if (kind !== "plan" && !neverDeleted) ops.push("delete");
  return ops;
}

/** Every grant of a command kind for the stack. */
function grantsOf(kind: CommandKind, f: StackFacts): Grant[] {
  const grants: Grant[] = [];
  const add = (action: string, scope: ScopeKey, need: Need) => grants.push({ action, scope, need });
  const resourceTypes = [...new Set(f.resources.map((r) => r.type))].sort();
  for (const type of resourceTypes) {
    const table = RESOURCE_ACTIONS[type];
    if (!table) throw new UnknownTypeError(`${f.stackId}: resource type ${type} is not in lib/permissions/provider-actions.ts: add what hashicorp/aws calls for it`);
    for (const operation of operationsOf(kind, type, f)) {
      const entry = table[operation];
      if (!entry) continue;
      for (const action of entry.actions) for (const scope of scopesOf(action, type)) add(action, scope, { source: type, operation });
      for (const [action, awsOnly] of Object.entries(entry.awsOnly ?? {})) {
        // The ENIs a VPC function leaves behind exist only where one runs.
        if (awsOnly.why.includes("AWS Lambda VPC ENI") && !f.resources.some((r) => r.type === "aws_lambda_function" && r.body.vpc_config)) continue;
        for (const scope of scopesOf(action, type)) add(action, scope, { source: type, operation, awsOnly });
      }
    }
  }
  for (const type of [...f.dataSourceTypes].sort()) {
    const table = DATA_SOURCE_ACTIONS[type];
    if (!table) throw new UnknownTypeError(`${f.stackId}: data source ${type} is not in lib/permissions/provider-actions.ts: add what hashicorp/aws calls for it`);
    for (const action of table.read?.actions ?? []) add(action, scopeOf(action, `data.${type}`), { source: `data.${type}`, operation: "read" });
  }
  // The check block's invocation runs at every plan and apply, and at the refresh before a destroy.
  for (const invoked of f.invokedFunctions) {
    add("lambda:InvokeFunction", "canaryCheck", { source: "data.aws_lambda_invocation", operation: "read", note: `the check block invokes ${invoked.name}${invoked.switchedOffBy ? ` unless ${invoked.switchedOffBy} = false` : ""}` });
  }
  if (kind === "deploy") {
    for (const stack of f.cloudFormationStacks) {
      for (const resource of stack.resources) {
        const handler = CLOUDFORMATION_TEMPLATE_ACTIONS[resource.type];
        if (!handler) throw new UnknownTypeError(`${f.stackId}: CloudFormation resource type ${resource.type} is not in lib/permissions/provider-actions.ts`);
        const retained = resource.deletionPolicy === "Retain" || resource.deletionPolicy === "RetainExceptOnCreate";
        const operations: ("create" | "update" | "delete")[] = ["create", "update", ...(resource.deletionPolicy === "Retain" ? [] : ["delete" as const])];
        for (const operation of operations) {
          const why =
            operation === "delete" && retained
              ? `CloudFormation deletes the template's ${resource.type} with the caller's credentials when the stack's creation fails and rolls back (DeletionPolicy RetainExceptOnCreate)`
              : `CloudFormation ${operation}s the template's ${resource.type} with the caller's credentials (no service role; resource type schema handlers.${operation}.permissions)`;
          for (const action of handler[operation] ?? []) {
            const scope: ScopeKey = action === "iam:PassRole" ? "passCfnRoleToApiGateway" : action.startsWith("iam:") ? "cfnRoles" : "apigatewayAccount";
            add(action, scope, { source: `aws_cloudformation_stack template ${resource.type}`, operation, awsOnly: { why } });
          }
        }
      }
    }
  }
  if (kind === "destroy") {
    for (const stack of f.cloudFormationStacks) {
      for (const resource of stack.resources.filter((r) => r.deletionPolicy !== "Retain" && r.deletionPolicy !== "RetainExceptOnCreate")) {
        for (const action of CLOUDFORMATION_TEMPLATE_ACTIONS[resource.type]?.delete ?? []) {
          add(action, action.startsWith("iam:") ? "cfnRoles" : "apigatewayAccount", { source: `aws_cloudformation_stack template ${resource.type}`, operation: "delete", awsOnly: { why: `CloudFormation deletes the template's ${resource.type} with the caller's credentials` } });
        }
      }
    }
  }
  // The doctor reads the network ACLs of every stack's subnets with the AWS SDK (lib/doctor).
  if (kind === "plan") add("ec2:DescribeNetworkAcls", "unscoped", { source: "doctor", operation: "read", note: "npm run doctor reads the network ACLs of the subnets on the path with the AWS SDK" });
  grants.push(...backendGrants(kind, f));
  return grants;
}

/** The S3 states the stack reads with its own identity: no read role, or the role the stack itself runs as. */
const readsWithOwnCredentials = (f: StackFacts) => f.remoteStates.filter((s) => !s.roleArn || s.roleArn === f.ownRoleArn);

/** What Terraform's S3 backend does with the stack's own state, and the state it reads. */
function backendGrants(kind: CommandKind, f: StackFacts): Grant[] {
  const grants: Grant[] = [];
  const need = (why: string): Need => ({ source: "state", operation: kind === "plan" ? "read" : "update", awsOnly: { why } });
  const s3 = f.backend.s3;
  if (s3) {
    const doc = "Terraform S3 backend documentation, \"Permissions Required\"";
    grants.push({ action: "s3:ListBucket", scope: "stateBucket", need: need(`the backend lists the state's key (${doc})`) });
    grants.push({ action: "s3:GetObject", scope: "stateObject", need: need(`the backend reads the state (${doc})`) });
    // A plan locks the state too (unless -lock=false), and writes nothing else.
    if (kind !== "plan") grants.push({ action: "s3:PutObject", scope: "stateObject", need: need(`the backend writes the state (${doc})`) });
    if (s3.lockfile) for (const action of ["s3:GetObject", "s3:PutObject", "s3:DeleteObject"]) grants.push({ action, scope: "stateLockfile", need: need(`S3 native locking writes and deletes <key>.tflock (${doc})`) });
    if (s3.dynamodbTable) for (const action of ["dynamodb:DescribeTable", "dynamodb:GetItem", "dynamodb:PutItem", "dynamodb:DeleteItem"]) grants.push({ action, scope: "stateLockTable", need: need(`the DynamoDB lock table (${doc})`) });
    for (const action of kind === "plan" ? ["kms:Decrypt", "kms:GenerateDataKey"] : ["kms:Decrypt", "kms:Encrypt", "kms:GenerateDataKey"]) grants.push({ action, scope: "stateKms", need: need("only when the bucket encrypts with SSE-KMS: S3 decrypts and encrypts the state with the caller's permission on the key") });
  }
  for (const state of readsWithOwnCredentials(f)) {
    const why = `terraform_remote_state reads ${state.key} with this stack's credentials (no backend.accountB.readRoleArn)`;
    grants.push({ action: "s3:GetObject", scope: "remoteState", need: { source: "state", operation: "read", awsOnly: { why } } });
    grants.push({ action: "kms:Decrypt", scope: "remoteStateKms", need: { source: "state", operation: "read", awsOnly: { why: `${why}; only when its bucket encrypts with SSE-KMS` } } });
  }
  return grants;
}

/** Turns grants into a policy: one statement per scope, actions sorted, and each action's needs. */
function policyOf(f: StackFacts, grants: Grant[]): { policy: PolicyDocument; needs: Record<string, Need[]> } {
  const byScope = new Map<ScopeKey, Set<string>>();
  const needs: Record<string, Need[]> = {};
  for (const { action, scope, need } of grants) {
    if (!byScope.has(scope)) byScope.set(scope, new Set());
    byScope.get(scope)!.add(action);
    const list = (needs[action] ??= []);
    if (!list.some((n) => n.source === need.source && n.operation === need.operation)) list.push(need);
  }
  const statements: Statement[] = [];
  for (const key of Object.keys(SCOPES) as ScopeKey[]) {
    const actions = [...(byScope.get(key) ?? [])].sort();
    if (actions.length === 0) continue;
    const scope: ScopeDefinition = SCOPES[key];
    const resources = scope.resources(f, actions);
    if (resources.length === 0) throw new Error(`${f.stackId}: ${actions.join(", ")} would apply to no resource (scope ${key}): the stack's facts lack the names it needs`);
    statements.push({ Sid: scope.sid, Effect: "Allow", Action: actions, Resource: resources.length === 1 ? resources[0] : resources, ...(scope.condition ? { Condition: scope.condition(f) } : {}) });
  }
  return { policy: { Version: "2012-10-17", Statement: statements }, needs: Object.fromEntries(Object.entries(needs).sort(([a], [b]) => a.localeCompare(b))) };
}

/** The policy of the role that reads account B's S3 state for the consumers: only the object, decrypted through S3 when it is SSE-KMS. */
function stateReadPolicy(f: StackFacts): { policy: PolicyDocument; needs: Record<string, Need[]> } | undefined {
  if (!f.backend.s3) return undefined;
  const why = "terraform_remote_state reads account B's state object, nothing else (Terraform S3 backend documentation)";
  return policyOf(f, [
    { action: "s3:GetObject", scope: "stateObject", need: { source: "state", operation: "read", awsOnly: { why } } },
    { action: "kms:Decrypt", scope: "stateKms", need: { source: "state", operation: "read", awsOnly: { why: "only when the bucket encrypts with SSE-KMS" } } },
  ]);
}

/**
 * The policies of one synthesized stack: `plan`, `deploy`, `destroy`, and for account B with an
 * S3 backend, `state-read`.
 * @throws UnknownTypeError for a type the table does not cover
 */
export function stackPermissions(stack: SynthesizedStack): StackPermissions {
  const f = stackFacts(stack);
  const policies: Partial<Record<PolicyKind, PolicyDocument>> = {};
  const needs: Partial<Record<PolicyKind, Record<string, Need[]>>> = {};
  for (const kind of COMMAND_KINDS) {
    const made = policyOf(f, grantsOf(kind, f));
    policies[kind] = made.policy;
    needs[kind] = made.needs;
  }
  const stateRead = f.acceptsFromAccounts.length > 0 ? stateReadPolicy(f) : undefined;
  if (stateRead) {
    policies["state-read"] = stateRead.policy;
    needs["state-read"] = stateRead.needs;
  }
  return { stack: stack.id, policies, needs };
}
