import { z } from "zod";
import { apiResourcePolicy } from "../constructs/api-resource-policy";
import type { ApiDefinition } from "./apis";
import { cidrsOverlap, parseIpv4Cidr } from "./cidr";
import { tooLongNames } from "./names";
import { partitionOf, unsupportedPartitionOf } from "./partition";
import { azIdPrefix, isKnownRegion, KNOWN_REGIONS, REGION_FORM as REGION } from "./regions";

// Every message below completes the sentence "<key>: got <value>; expected ...".

const AZ_ID = /^[a-z]{2,5}\d{1,2}-az\d{1,2}$/;
const NAME = /^[a-z][a-z0-9-]{0,30}[a-z0-9]$/;
const DEFAULT_NAME = "private-apigw";
/** A string matching `pattern`; a wrong type and a wrong format get the same expectation. */
const text = (pattern: RegExp, expected: string) => z.string({ error: expected }).regex(pattern, expected);

const accountId = text(/^\d{12}$/, "a 12-digit AWS account id in quotes, such as \"111111111111\"");

const region = text(REGION, "an AWS region name such as \"ap-northeast-1\"").refine((value) => partitionOf(value) !== undefined, {
  error: (issue) => `a region of the aws, aws-cn or aws-us-gov partition (${issue.input} is in ${unsupportedPartitionOf(String(issue.input))}, whose endpoints this project does not support)`,
});

/** A CIDR that an AWS VPC accepts as its primary block. */
const VPC_CIDR = "an IPv4 network CIDR with a prefix from /16 to /28, such as \"10.0.0.0/16\"";
const vpcCidr = z.string({ error: VPC_CIDR }).refine((value) => vpcBlock(value) !== undefined, VPC_CIDR);

function vpcBlock(value: unknown) {
  const block = typeof value === "string" ? parseIpv4Cidr(value) : undefined;
  return block && block[1] >= 16 && block[1] <= 28 ? block : undefined;
}

/** A caller range for the resource policy and security group: any IPv4 network but the whole internet. */
const SOURCE_CIDR = "an IPv4 network CIDR with a prefix from /8 to /32, such as \"10.0.0.0/16\" (0.0.0.0/0 and other internet-wide ranges are refused)";
const sourceCidr = z.string({ error: SOURCE_CIDR }).refine((value) => {
  const block = parseIpv4Cidr(value);
  return block !== undefined && block[1] >= 8;
}, SOURCE_CIDR);

const awsId = (prefix: string) => text(new RegExp(`^${prefix}-[0-9a-f]{8,17}$`), `an id of the form "${prefix}-0123456789abcdef0"`);

const roleArn = text(/^arn:aws(-cn|-us-gov)?:iam::\d{12}:role\/[\w+=,.@/-]{1,512}$/, "an IAM role ARN such as \"arn:aws:iam::111111111111:role/deployer\"");

const credentials = z
  .strictObject({
    /** Named profile from the shared AWS config. @default - the environment's credentials */
    profile: text(/^[\w.@+-]{1,64}$/, "a profile name from the shared AWS config").optional(),
    /** Role the provider assumes in this account. @default - no role is assumed */
    assumeRoleArn: roleArn.optional(),
    /** External id for the assumed role. @default - none */
    externalId: text(/^[\w+=,.@:\/-]{2,1224}$/, "an external id of 2 to 1224 characters").optional(),
  })
  .default({});

const availabilityZoneIds = z
  .array(text(AZ_ID, "an availability zone id such as \"apne1-az1\" (ids, not names: names differ between accounts)"))
  .min(1, "at least one availability zone id")
  .max(6, "at most six availability zone ids")
  .refine((ids) => new Set(ids).size === ids.length, "availability zone ids without repeats")
  .optional();

const existingVpcA = z.strictObject({
  /** The VPC the client workloads run in. */
  vpcId: awsId("vpc"),
  /** Client subnets for the canary (routed to B by `routeTableIds`). @default - none: then `canary` must be false */
  subnetIds: z.array(awsId("subnet")).min(1, "at least one subnet id").optional(),
  /** Route tables of the client subnets: each gets a route to B's CIDR through the peering. */
  routeTableIds: z.array(awsId("rtb")).min(1, "at least one route table id"),
});

const existingVpcB = z.strictObject({
  /** The VPC that hosts the execute-api endpoint. */
  vpcId: awsId("vpc"),
  /** Subnets for the endpoint's network interfaces, one per availability zone. */
  subnetIds: z.array(awsId("subnet")).min(1, "at least one subnet id"),
  /** Route tables of those subnets: each gets a route to A's CIDR once the peering is accepted. */
  routeTableIds: z.array(awsId("rtb")).min(1, "at least one route table id"),
});

const existingEndpoint = z.strictObject({
  /**
   * The VPC's execute-api interface endpoint, which the APIs are reached through. The project
   * changes neither its policy nor its private DNS: it associates a security group of its own
   * with it (HTTPS from the allowed CIDRs) and says, in outputs and checks, what the endpoint's
   * policy must allow.
   */
  vpcEndpointId: awsId("vpce"),
});

/** A check of an API through B's endpoint, by the canary and the doctor. */
const probe = z.strictObject({
  /** The resource path to call, such as "/health" (the stage is added). */
  path: text(/^\/[A-Za-z0-9\-._~!$&'()*+,;=:@%/]*$/, "a path starting with \"/\", such as \"/health\""),
  /** @default "GET" */
  method: z.enum(["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"], { error: "one of GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS" }).default("GET"),
  /** @default 200 */
  expectStatus: z.number({ error: "an HTTP status code from 100 to 599" }).int("an HTTP status code from 100 to 599").min(100, "an HTTP status code from 100 to 599").max(599, "an HTTP status code from 100 to 599").default(200),
  /** The body that counts as success, surrounding whitespace ignored. @default - any body */
  expectBody: z.string({ error: "a text value in quotes (the whole body)" }).optional(),
});

const API_NAME = /^[a-z0-9](?:[a-z0-9-]{0,30}[a-z0-9])?$/;
const STAGE_NAME = text(/^[A-Za-z0-9_-]{1,128}$/, "1 to 128 letters, digits, - and _ (API Gateway's stage name characters)");

const apiFields = {
  /** The API's name in this project: its resources' addresses, its outputs and its canary methods. */
  name: text(API_NAME, "1 to 32 lower-case letters, digits and hyphens, such as \"orders\""),
  /** The stage the consumers call. */
  stageName: STAGE_NAME,
  /** What the canary and the doctor call to prove the path. */
  probe,
};

/** One of the APIs in account B that every consumer reaches through B's endpoint. */
const apiEntry = z.union(
  [
    z.strictObject({
      ...apiFields,
      /**
       * An OpenAPI 3 file (JSON or YAML, relative to the configuration file) with
       * x-amazon-apigateway-integration extensions: B's stack creates the private REST API from it.
       */
      openApi: text(/^[^\0]{1,1024}$/, "the path of an OpenAPI 3 file, relative to the configuration file"),
    }),
    z.strictObject({
      ...apiFields,
      /** A private REST API in account B that something else manages: the project reads it, never changes it but for its policy (see resourcePolicy). */
      restApiId: text(/^[a-z0-9]{10}$/, "a REST API id of 10 lower-case letters and digits, such as \"a1b2c3d4e5\""),
      /**
       * "owner": the API's owner keeps its resource policy; the statements every consumer needs are
       * an output, and preflight and the doctor say whether the policy admits them. "attach": the
       * project attaches its resource policy, replacing the owner's (the owner redeploys the stage
       * for it to take effect). @default "owner"
       */
      resourcePolicy: z.enum(["owner", "attach"], { error: "\"owner\" (the owner keeps its resource policy) or \"attach\" (the project replaces it)" }).default("owner"),
    }),
  ],
  { error: "an object with name, stageName, probe and either openApi (an API defined here) or restApiId (an existing API)" },
);

const accountFields = {
  accountId,
  region,
  vpcCidr,
  credentials,
  availabilityZoneIds,
};

/** What a consumer of the API configures: account A, and each of `consumers`. */
const consumerFields = {
  ...accountFields,
  existingVpc: existingVpcA.optional(),
  /**
   * A Lambda function in the consumer's client subnets that calls the API by every method, invoked
   * by a check block on every plan. @default true
   */
  canary: z.boolean({ error: "true or false" }).default(true),
};

const CONSUMER_NAME = /^[a-z0-9](?:[a-z0-9-]*[a-z0-9])?$/;
const consumer = z.strictObject({
  /** Names its stack, `consumer-<name>`. */
  name: text(CONSUMER_NAME, "lower-case letters, digits and hyphens, such as \"payments\" (the stack is consumer-<name>)"),
  ...consumerFields,
});

/** AWS's default quota of active VPC peering connections per VPC, and the most it can be raised to. */
export const VPC_PEERING_QUOTA = { default: 50, max: 125 } as const;

/**
 * AWS's default quota of inbound rules per security group, and the most it can be raised to (the
 * quota times "security groups per network interface", 5 by default, may not exceed 1,000).
 */
export const SECURITY_GROUP_RULES_QUOTA = { default: 60, max: 1000 } as const;

const RETENTION_DAYS = [1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653] as const;

const s3Fields = {
  bucket: text(/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/, "an S3 bucket name"),
  key: text(/^[^\s]{1,1024}$/, "an object key such as \"account-a/terraform.tfstate\"").optional(),
  /** @default - the account's region */
  region: region.optional(),
  /** DynamoDB lock table. @default - S3 native locking (`use_lockfile`, Terraform >= 1.10) */
  dynamodbTable: text(/^[\w.-]{3,255}$/, "a DynamoDB table name").optional(),
};
const s3State = z.strictObject(s3Fields);
/** Account B's state, which every consumer reads. */
const s3StateB = z.strictObject({
  ...s3Fields,
  /**
   * A role that may only read B's state, which consumers assume to read it.
   * @default - each consumer reads it with its own credentials (B's bucket policy grants them that)
   */
  readRoleArn: roleArn.optional(),
});

const workspaceName = text(/^[\w-]{1,90}$/, "a workspace name of 1 to 90 letters, digits, - and _");

const backend = z
  .discriminatedUnion(
    "type",
    [
      z.strictObject({ type: z.literal("local") }),
      z.strictObject({
        type: z.literal("s3"),
        accountA: s3State,
        accountB: s3StateB,
        /** The state of each consumer, by its name. @default {} */
        consumers: z.record(z.string(), s3State).default({}),
      }),
      z.strictObject({
        type: z.literal("cloud"),
        organization: text(/^[\w-]{1,64}$/, "a Terraform Cloud organization name"),
        hostname: text(/^[a-z0-9.-]+$/, "a host name such as \"app.terraform.io\"").optional(),
        workspaces: z.strictObject({
          accountA: workspaceName,
          accountB: workspaceName,
          /** The workspace of each consumer, by its name. @default {} */
          consumers: z.record(z.string(), workspaceName).default({}),
        }),
      }),
    ],
    { error: "one of \"local\", \"s3\" or \"cloud\" for backend.type" },
  )
  .default({ type: "local" });

export const configSchema = z
  .strictObject({
    /** Prefix of resource names and of the tag that lets account B find its own VPC. @default "private-apigw" */
    name: text(NAME, "2 to 32 lower-case letters, digits and hyphens, starting with a letter").default(DEFAULT_NAME),
    accountA: z.strictObject(consumerFields),
    accountB: z.strictObject({
      ...accountFields,
      existingVpc: existingVpcB.optional(),
      /** Use the VPC's existing execute-api endpoint instead of creating one (needs existingVpc). @default - a new endpoint */
      existingEndpoint: existingEndpoint.optional(),
      /**
       * Whether this stack sets the region's API Gateway CloudWatch role, which access logging needs.
       * It is one setting per account and region: turn it off when something else manages it.
       * @default true
       */
      manageApiGatewayAccount: z.boolean({ error: "true or false" }).default(true),
      /**
       * Active VPC peering connections B's VPC may have (AWS's quota per VPC: 50 by default, up to
       * 125 on request): one per consumer. @default 50
       */
      vpcPeeringQuota: z
        .number({ error: `a whole number of peerings from 1 to ${VPC_PEERING_QUOTA.max}` })
        .int(`a whole number of peerings from 1 to ${VPC_PEERING_QUOTA.max}`)
        .min(1, `a whole number of peerings from 1 to ${VPC_PEERING_QUOTA.max}`)
        .max(VPC_PEERING_QUOTA.max, `at most ${VPC_PEERING_QUOTA.max}, the most AWS allows per VPC`)
        .default(VPC_PEERING_QUOTA.default),
      /**
       * Inbound rules B's endpoint security group may have (AWS's quota "Inbound or outbound rules
       * per security group": 60 by default): one per allowed source CIDR. @default 60
       */
      securityGroupRulesQuota: z
        .number({ error: `a whole number of rules from 1 to ${SECURITY_GROUP_RULES_QUOTA.max}` })
        .int(`a whole number of rules from 1 to ${SECURITY_GROUP_RULES_QUOTA.max}`)
        .min(1, `a whole number of rules from 1 to ${SECURITY_GROUP_RULES_QUOTA.max}`)
        .max(SECURITY_GROUP_RULES_QUOTA.max, `at most ${SECURITY_GROUP_RULES_QUOTA.max}, the most AWS allows (rules per group times groups per network interface)`)
        .default(SECURITY_GROUP_RULES_QUOTA.default),
    }),
    /** Further consumers of the API, each with a stack of its own (`consumer-<name>`). @default [] */
    consumers: z.array(consumer).default([]),
    /**
     * The APIs in account B that every consumer reaches through B's endpoint: defined here from an
     * OpenAPI file, or existing ones. @default - the article's PetStore (`api`)
     */
    apis: z.array(apiEntry).min(1, "at least one API; leave apis out for the article's PetStore").optional(),
    /** What every API shares, and the PetStore's name and stage when `apis` is not set. */
    api: z.strictObject({
      /** The PetStore's name (no `apis` only). @default "petstore" */
      name: text(/^[A-Za-z0-9][\w-]{0,63}$/, "1 to 64 letters, digits, - and _").optional(),
      /** The PetStore's stage (no `apis` only). @default "v1" */
      stageName: text(/^[A-Za-z0-9_-]{1,128}$/, "1 to 128 letters, digits, - and _ (API Gateway's stage name characters)").optional(),
      /** Source ranges the resource policy and endpoint security group admit. @default - A's and B's VPC CIDRs */
      allowedSourceCidrs: z.array(sourceCidr).min(1, "at least one CIDR").optional(),
      /** @default 30 */
      accessLogRetentionDays: z
        .number({ error: "a number of days" })
        .refine((days) => (RETENTION_DAYS as readonly number[]).includes(days), `one of CloudWatch Logs' retention periods: ${RETENTION_DAYS.join(", ")}`)
        .default(30),
    }).default({ accessLogRetentionDays: 30 }),
    /**
     * Regions newer than this project's list (lib/config/regions.ts), accepted as they are. Their
     * partition follows from their name. @default []
     */
    additionalRegions: z.array(text(REGION, "an AWS region name such as \"ap-northeast-1\"")).default([]),
    /** Tags on every resource of both stacks (provider default tags). @default {} */
    tags: z
      .record(
        // AWS's tag characters: Unicode letters, digits, spaces and _ . : / = + - @.
        text(/^(?!aws:)[\p{L}\p{Z}\p{N}_.:/=+\-@]{1,128}$/u, "a tag key of 1 to 128 letters, digits, spaces and _.:/=+-@, not starting with \"aws:\""),
        text(/^[\p{L}\p{Z}\p{N}_.:/=+\-@]{0,256}$/u, "a tag value of at most 256 letters, digits, spaces and _.:/=+-@"),
      )
      .default({}),
    backend,
  })
  // Cross-field checks also run when other keys are invalid, so that one run reports every problem.
  .superRefine(checkAcrossKeys, { when: () => true })
  .transform((config) => ({
    ...config,
    api: {
      ...config.api,
      name: config.api.name ?? "petstore",
      stageName: config.api.stageName ?? "v1",
      allowedSourceCidrs: config.api.allowedSourceCidrs ?? [config.accountA.vpcCidr, ...config.consumers.map((c) => c.vpcCidr), config.accountB.vpcCidr],
    },
  }));

/** A value of the input as written, if it is a string. */
const str = (value: unknown) => (typeof value === "string" ? value : undefined);

/** The shape `checkAcrossKeys` may see: the input as written, any key possibly missing or mistyped. */
type Unchecked = { [key: string]: Unchecked | undefined } | undefined;

/** An account of the configuration, as written: accountA, accountB, or consumers.<i>. */
interface AccountEntry {
  readonly path: (string | number)[];
  /** `accountA`, `consumers.0`: how messages name it. */
  readonly label: string;
  readonly value: Unchecked;
  /** A consumer of the API (accountA or one of `consumers`), not account B. */
  readonly consumer: boolean;
  /** Its stack's id. */
  readonly stackId?: string;
}

function checkAcrossKeys(input: unknown, ctx: z.RefinementCtx): void {
  const config = input as Unchecked;
  const issue = (path: (string | number)[], value: unknown, message: string) => ctx.addIssue({ code: "custom", path, input: value, message });
  const consumers = Array.isArray(config?.consumers) ? (config.consumers as unknown as Unchecked[]) : [];
  const entries: AccountEntry[] = [
    { path: ["accountA"], label: "accountA", value: config?.accountA, consumer: true, stackId: "account-a" },
    { path: ["accountB"], label: "accountB", value: config?.accountB, consumer: false, stackId: "account-b" },
    ...consumers.map((c, i) => ({ path: ["consumers", i], label: `consumers.${i}`, value: c, consumer: true, stackId: typeof c?.name === "string" ? `consumer-${c.name}` : undefined })),
  ];

  // Account B routes to every consumer's VPC: every VPC CIDR must be disjoint from every other.
  entries.forEach((entry, k) => {
    const block = vpcBlock(str(entry.value?.vpcCidr));
    const earlier = block && entries.slice(0, k).find((other) => {
      const otherBlock = vpcBlock(str(other.value?.vpcCidr));
      return otherBlock && cidrsOverlap(block, otherBlock);
    });
    if (earlier) {
      issue([...entry.path, "vpcCidr"], str(entry.value?.vpcCidr), `a CIDR that does not overlap ${earlier.label}.vpcCidr "${str(earlier.value?.vpcCidr)}" (VPC peering needs disjoint ranges)`);
    }
  });

  // A region of the right form that AWS does not have (us-east-3) would fail at plan time, in every stack.
  const additional = Array.isArray(config?.additionalRegions) ? (config.additionalRegions as unknown[]) : [];
  for (const entry of entries) {
    const region = str(entry.value?.region);
    if (!region || !REGION.test(region) || !partitionOf(region) || isKnownRegion(region) || additional.includes(region)) continue;
    const partition = partitionOf(region)!.name;
    const near = (KNOWN_REGIONS as Record<string, readonly string[]>)[partition].filter((known) => known.startsWith(region.replace(/-\d+$/, "-")));
    issue([...entry.path, "region"], region, `a region of the ${partition} partition${near.length ? `, such as ${near.map((r) => `"${r}"`).join(" or ")}` : ""}; a region newer than this project's list goes in additionalRegions`);
  }

  const regionA = str(config?.accountA?.region);
  const partitionA = regionA && REGION.test(regionA) ? partitionOf(regionA) : undefined;
  for (const entry of entries.slice(1)) {
    const region = str(entry.value?.region);
    const partition = region && REGION.test(region) ? partitionOf(region) : undefined;
    if (partitionA && partition && partitionA.name !== partition.name) {
      issue([...entry.path, "region"], region, `a region of the ${partitionA.name} partition, like accountA.region "${regionA}" (a VPC peering cannot cross partitions)`);
    }
  }

  const name = config?.name === undefined ? DEFAULT_NAME : str(config.name);
  if (name && NAME.test(name)) {
    const stacks = entries.filter((e) => e.stackId).map((e) => ({ stackId: e.stackId!, key: e.label.startsWith("consumers.") ? `${e.label}.name` : "name", region: str(e.value?.region) ?? "" }));
    for (const derived of tooLongNames({ name, stacks })) {
      const path = derived.key.split(".").map((part) => (/^\d+$/.test(part) ? Number(part) : part));
      issue(path, derived.key === "name" ? name : str(consumers[Number(path[1])]?.name), `a shorter name: the ${derived.what} "${derived.value}" has ${derived.value.length} characters, and AWS allows ${derived.limit}`);
    }
  }

  for (const { path, label, value: account, consumer } of entries) {
    const accountId = str(account?.accountId);
    const role = str(account?.credentials?.assumeRoleArn);
    const roleAccount = role?.split(":")[4];
    if (accountId && /^\d{12}$/.test(accountId) && roleAccount && roleAccount !== accountId) {
      issue([...path, "credentials", "assumeRoleArn"], role, `a role in ${label}.accountId "${accountId}", not in account ${roleAccount}`);
    }
    const region = str(account?.region);
    const zones = Array.isArray(account?.availabilityZoneIds) ? (account.availabilityZoneIds as unknown[]) : undefined;
    if (region && REGION.test(region)) {
      const prefix = azIdPrefix(region);
      zones?.forEach((id, index) => {
        if (typeof id === "string" && AZ_ID.test(id) && !id.startsWith(`${prefix}-`)) {
          issue([...path, "availabilityZoneIds", index], id, `an availability zone id of ${label}.region "${region}", such as "${prefix}-az1"`);
        }
      });
    }
    const cidr = str(account?.vpcCidr);
    const block = vpcBlock(cidr);
    const subnets = zones?.length || 2;
    if (!account?.existingVpc && block && block[1] + Math.ceil(Math.log2(subnets)) > 28) {
      issue([...path, "vpcCidr"], cidr, `a CIDR large enough for ${subnets} subnets of at least /28 (a new VPC gets one subnet per availability zone)`);
    }
    const existing = account?.existingVpc;
    if (consumer && existing && typeof existing === "object" && existing.subnetIds === undefined && (account?.canary as unknown) !== false) {
      issue([...path, "existingVpc", "subnetIds"], undefined, `the client subnets the canary runs in (${label}.canary is on), such as ["subnet-0123456789abcdef0"]; or set ${label}.canary to false`);
    }
  }

  checkConsumers(config, entries, issue);
  checkApis(config, entries, issue);
}

/** AWS's default quota of hosted zones per account (Route 53): each consumer account holds one private zone per API and consumer. */
export const HOSTED_ZONES_QUOTA = 500;
/** API Gateway's limit on a REST API's resource policy, in bytes. */
export const RESOURCE_POLICY_BYTES = 8192;

/** API names and ids are unique; the PetStore's keys are not mixed with `apis`; an existing endpoint has its VPC; quotas that a list of APIs meets. */
function checkApis(config: Unchecked, entries: AccountEntry[], issue: (path: (string | number)[], value: unknown, message: string) => void): void {
  const b = config?.accountB;
  if (b?.existingEndpoint !== undefined && b?.existingVpc === undefined) {
    issue(["accountB", "existingEndpoint"], b.existingEndpoint, "accountB.existingVpc too: the endpoint's VPC, its endpoint subnets and their route tables ({ \"vpcId\", \"subnetIds\", \"routeTableIds\" })");
  }
  // The resource policy B's stack writes for each API: its CIDR list must fit API Gateway's 8 KB.
  const configured = Array.isArray(config?.api?.allowedSourceCidrs) ? (config!.api!.allowedSourceCidrs as unknown as string[]) : entries.map((e) => str(e.value?.vpcCidr) ?? "10.255.255.0/24");
  const bytes = resourcePolicyBytes(configured.map(String));
  if (bytes > RESOURCE_POLICY_BYTES) {
    issue(["api", "allowedSourceCidrs"], configured.length, `fewer, wider ranges: with ${configured.length} CIDRs each API's resource policy takes about ${bytes} bytes, and API Gateway allows ${RESOURCE_POLICY_BYTES}`);
  }
  const apis = Array.isArray(config?.apis) ? (config.apis as unknown as Unchecked[]) : undefined;
  if (!apis) return;
  for (const key of ["name", "stageName"]) {
    if (config?.api?.[key] !== undefined) issue(["api", key], config.api[key], `nothing while apis is set: api.${key} describes the PetStore, which apis replaces; give each API its own name and stageName (api keeps allowedSourceCidrs and accessLogRetentionDays, which every API shares)`);
  }
  apis.forEach((api, k) => {
    for (const key of ["name", "restApiId"]) {
      const value = str(api?.[key]);
      const first = value ? apis.slice(0, k).findIndex((other) => str(other?.[key]) === value) : -1;
      if (value && first >= 0) issue(["apis", k, key], value, `${key === "name" ? "a name" : "an API"} no other entry has (apis.${first}.${key} is "${value}")`);
    }
  });

  // One private hosted zone per API in each consumer's VPC, all in its account's quota.
  const perAccount = new Map<string, string[]>();
  for (const entry of entries.filter((e) => e.consumer)) {
    const accountId = str(entry.value?.accountId);
    if (accountId) perAccount.set(accountId, [...(perAccount.get(accountId) ?? []), entry.label]);
  }
  for (const [accountId, labels] of perAccount) {
    const zones = labels.length * apis.length;
    if (zones > HOSTED_ZONES_QUOTA) {
      issue(["apis"], apis.length, `at most ${Math.floor(HOSTED_ZONES_QUOTA / labels.length)} APIs: account ${accountId} (${labels.join(", ")}) would hold ${zones} private hosted zones, one per API and consumer, and Route 53 allows ${HOSTED_ZONES_QUOTA} per account by default: request a higher "Hosted zones" quota for it, or split the APIs`);
    }
  }

}

/**
 * About how many bytes the resource policy of one API takes with these admitted CIDRs (the
 * statements of lib/constructs/api-resource-policy.ts, with ids and ARNs at their longest).
 */
export function resourcePolicyBytes(cidrs: string[]): number {
  const arn = `arn:aws-us-gov:execute-api:us-gov-west-1:123456789012:a1b2c3d4e5/*`;
  return JSON.stringify(apiResourcePolicy({ executionArn: arn.replace(/\/\*$/, ""), vpcEndpointId: "vpce-0123456789abcdef0", allowedSourceCidrs: cidrs })).length;
}

/** Consumer names are unique; requests from one account and region can be told apart; B's VPC has enough peerings; every consumer has a state. */
function checkConsumers(config: Unchecked, entries: AccountEntry[], issue: (path: (string | number)[], value: unknown, message: string) => void): void {
  const consumers = entries.filter((e) => e.label.startsWith("consumers."));
  consumers.forEach((entry, k) => {
    const name = str(entry.value?.name);
    const first = consumers.slice(0, k).find((other) => str(other.value?.name) === name);
    if (name && first) issue([...entry.path, "name"], name, `a name no other consumer has (${first.label}.name is "${name}")`);
  });

  // What B can see of a pending request: its account, region and VPC; tags only in B's own account.
  const b = config?.accountB;
  const groups = new Map<string, AccountEntry[]>();
  for (const entry of entries.filter((e) => e.consumer)) {
    const accountId = str(entry.value?.accountId);
    const region = str(entry.value?.region);
    if (!accountId || !region || (accountId === str(b?.accountId) && region === str(b?.region))) continue;
    groups.set(`${accountId} ${region}`, [...(groups.get(`${accountId} ${region}`) ?? []), entry]);
  }
  for (const group of groups.values()) {
    if (group.length < 2) continue;
    for (const entry of group) {
      if (str(entry.value?.existingVpc?.vpcId)) continue;
      const others = group.filter((other) => other !== entry).map((other) => other.label).join(", ");
      issue([...entry.path, "existingVpc"], undefined, `its VPC named, { "vpcId", "routeTableIds", "subnetIds" }: ${others} also requests from account ${str(entry.value?.accountId)} in ${str(entry.value?.region)}, and account B can tell their peering requests apart only by VPC id`);
    }
  }

  const count = consumers.length;
  const rawQuota = b?.vpcPeeringQuota;
  const quota = typeof rawQuota === "number" && Number.isInteger(rawQuota) && rawQuota >= 1 && rawQuota <= VPC_PEERING_QUOTA.max ? rawQuota : VPC_PEERING_QUOTA.default;
  if (count + 1 > VPC_PEERING_QUOTA.max) {
    issue(["consumers"], count, `at most ${VPC_PEERING_QUOTA.max - 1} consumers (with accountA's, one peering each): AWS allows at most ${VPC_PEERING_QUOTA.max} active VPC peering connections per VPC; beyond that, see "Beyond peering" in docs/consumers.md`);
  } else if (count + 1 > quota) {
    issue(["consumers"], count, `at most ${quota - 1} consumers (with accountA's, one peering each) while accountB.vpcPeeringQuota is ${quota}: request a higher quota of "Active VPC peering connections per VPC" for account B (up to ${VPC_PEERING_QUOTA.max}) and of "Routes per route table" to match (each consumer adds a route to B's route tables), then set accountB.vpcPeeringQuota to it`);
  }

  // One inbound rule per allowed CIDR on B's endpoint security group: beyond the quota the apply fails
  // (RulesPerSecurityGroupLimitExceeded) although everything else is valid.
  const configured = Array.isArray(config?.api?.allowedSourceCidrs) ? (config.api.allowedSourceCidrs as unknown[]).length : undefined;
  const cidrs = configured ?? entries.length;
  const rawRules = b?.securityGroupRulesQuota;
  const rules = typeof rawRules === "number" && Number.isInteger(rawRules) && rawRules >= 1 && rawRules <= SECURITY_GROUP_RULES_QUOTA.max ? rawRules : SECURITY_GROUP_RULES_QUOTA.default;
  if (cidrs > rules) {
    const raise = `request a higher "Inbound or outbound rules per security group" quota for account B (at most ${SECURITY_GROUP_RULES_QUOTA.max} divided by its "Security groups per network interface"), then set accountB.securityGroupRulesQuota to it`;
    if (configured === undefined) {
      issue(["consumers"], count, `at most ${rules - 2} consumers while accountB.securityGroupRulesQuota is ${rules}: every consumer's CIDR, A's and B's are admitted by default, ${cidrs} here, one inbound rule each on B's endpoint security group: ${raise}; or admit fewer, wider ranges in api.allowedSourceCidrs`);
    } else {
      issue(["api", "allowedSourceCidrs"], cidrs, `at most ${rules} CIDRs, one inbound rule each on B's endpoint security group, while accountB.securityGroupRulesQuota is ${rules}: ${raise}; or admit fewer, wider ranges`);
    }
  }

  const backend = config?.backend;
  const stateKey = str(backend?.type) === "s3" ? ["backend", "consumers"] : str(backend?.type) === "cloud" ? ["backend", "workspaces", "consumers"] : undefined;
  if (!stateKey) return;
  const states = stateKey.reduce<Unchecked>((value, key) => value?.[key], config) ?? {};
  const names = consumers.map((c) => str(c.value?.name)).filter((n): n is string => n !== undefined);
  const what = stateKey.length === 2 ? "an S3 state like backend.accountA's" : "a workspace name like backend.workspaces.accountA";
  for (const n of names) if (!(n in states)) issue([...stateKey, n], undefined, `${what}, for consumer ${n} (backend.type is "${str(backend?.type)}")`);
  for (const n of Object.keys(states)) if (!names.includes(n)) issue([...stateKey, n], states[n], `the name of a consumer in consumers, or nothing (no consumer is named "${n}")`);
  checkStatesApart(config, stateKey.slice(0, -1), names, issue);
}

/**
 * Every stack has a state of its own: two stacks in one Terraform Cloud workspace, or in one S3
 * bucket and key, would write over each other's state (and a consumer's remote state of B would
 * read itself).
 */
function checkStatesApart(config: Unchecked, at: string[], consumers: string[], issue: (path: (string | number)[], value: unknown, message: string) => void): void {
  const cloud = at[at.length - 1] === "workspaces";
  const holder = at.reduce<Unchecked>((value, key) => value?.[key], config);
  const name = config?.name === undefined ? DEFAULT_NAME : str(config.name);
  const stacks = [
    { path: [...at, "accountA"], stackId: "account-a", value: holder?.accountA },
    { path: [...at, "accountB"], stackId: "account-b", value: holder?.accountB },
    ...consumers.map((n) => ({ path: [...at, "consumers", n], stackId: `consumer-${n}`, value: holder?.consumers?.[n] })),
  ];
  const where = (s: (typeof stacks)[number]) => {
    if (cloud) return str(s.value as unknown);
    const bucket = str(s.value?.bucket);
    return bucket ? `s3://${bucket}/${str(s.value?.key) ?? `${name}/${s.stackId}.tfstate`}` : undefined;
  };
  stacks.forEach((s, k) => {
    const value = where(s);
    const first = value && stacks.slice(0, k).find((other) => where(other) === value);
    if (first) {
      issue(s.path, cloud ? value : s.value, `a ${cloud ? "workspace" : "bucket and key"} of its own: ${first.path.join(".")} ${cloud ? "names" : "uses"} ${JSON.stringify(value)} too, and two stacks with one state overwrite each other's (a consumer reading B's state would read its own)`);
    }
  });
}

/** The configuration as the schema validates it, before its API definitions are read. */
export type ValidatedConfig = z.output<typeof configSchema>;

/** The validated configuration, defaults applied, each API's definition read (`apis`: the PetStore when none is configured). */
export type Config = Omit<ValidatedConfig, "apis"> & { readonly apis: ApiDefinition[] };
/** What a consumer of the API configures: account A, or one of `consumers`. */
export type ConsumerSettings = Config["accountA"];
