/**
 * Identities for an emulator with moto's IAM checks on (the `permissions` scenario): in each
 * emulated account an admin user, for the suite's own reads and as the base identity that assumes
 * roles, and one role per stack and command kind holding a policy's actions; and the record of
 * every authorization the emulator decided (the launcher's /_emulator/authorizations).
 *
 * moto's IAM checks (moto/iam/access_control.py) evaluate a policy on the action alone: the
 * resource a request acts on is `*` for all but a few IAM, STS and S3 calls, so a statement scoped
 * to ARNs never matches, and a condition passes unless a StringEquals key has a value in the
 * request, which only trust policies get. A role here therefore holds `actionsOnly(policy)`: each
 * statement's actions on `*`, without conditions. What that leaves unchecked is docs/permissions.md's.
 */
import { CreateAccessKeyCommand, CreateRoleCommand, CreateUserCommand, PutRolePolicyCommand, PutUserPolicyCommand } from "@aws-sdk/client-iam";
import type { PolicyDocument } from "../lib/permissions/policy";
import { account, Account } from "./aws";
import type { Emulator } from "./emulator/emulator";
import type { EmulatedIdentity } from "./workspace";

/** The admin user of each emulated account (the suite's reads, and the base of every role). */
const ADMIN = "emulated-admin";

/** One decision of moto's IAM checks, counted: who, which action, how often allowed and denied. */
export interface Authorization {
  /** `arn:aws:iam::<account>:user/<name>` or `arn:aws:sts::<account>:assumed-role/<role>/<session>`. */
  readonly principal: string;
  /** `ec2:DescribeVpcs`, as the launcher names it (with its corrections toward AWS's names). */
  readonly action: string;
  readonly allowed: number;
  readonly denied: number;
  /** Requests whose signature or key did not verify: their action was never evaluated. */
  readonly invalid: number;
}

/**
 * Turns moto's IAM checks on or off for every later request (moto's INITIAL_NO_AUTH_ACTION_COUNT,
 * set through its /moto-api/reset-auth: 0 checks every request, inf none). One emulator process.
 */
export async function setIamChecks(emulator: Emulator, on: boolean): Promise<void> {
  const response = await fetch(`${emulator.url}/moto-api/reset-auth`, { method: "POST", body: on ? "0" : "inf", headers: { "content-type": "text/plain" } });
  if (!response.ok) throw new Error(`emulator /moto-api/reset-auth: ${response.status} ${await response.text()}`);
}

/** Every authorization the emulator decided since they were last forgotten. */
export async function authorizations(emulator: Emulator): Promise<Authorization[]> {
  const response = await fetch(`${emulator.url}/_emulator/authorizations`);
  if (!response.ok) throw new Error(`emulator /_emulator/authorizations: ${response.status}; is it the project's launcher?`);
  return (await response.json()) as Authorization[];
}

/** Forgets the recorded authorizations. */
export async function forgetAuthorizations(emulator: Emulator): Promise<void> {
  const response = await fetch(`${emulator.url}/_emulator/authorizations`, { method: "DELETE" });
  if (!response.ok) throw new Error(`emulator /_emulator/authorizations: ${response.status}`);
}

/** What was recorded between two readings (`before` earlier), the zero rows left out. */
export function recordedSince(before: Authorization[], after: Authorization[]): Authorization[] {
  const earlier = new Map(before.map((a) => [`${a.principal} ${a.action}`, a]));
  return after
    .map((a) => {
      const was = earlier.get(`${a.principal} ${a.action}`);
      return { ...a, allowed: a.allowed - (was?.allowed ?? 0), denied: a.denied - (was?.denied ?? 0), invalid: a.invalid - (was?.invalid ?? 0) };
    })
    .filter((a) => a.allowed > 0 || a.denied > 0 || a.invalid > 0);
}

/** The role name in an assumed-role principal (`arn:aws:sts::1:assumed-role/<role>/<session>`), else undefined. */
export function assumedRole(principal: string): string | undefined {
  return /:assumed-role\/([^/]+)\//.exec(principal)?.[1];
}

/**
 * `policy` as moto can check it: each statement's actions (every action it names, once), on
 * Resource `*`, without conditions. Deny statements stay deny statements.
 */
export function actionsOnly(policy: PolicyDocument): PolicyDocument {
  return {
    Version: "2012-10-17",
    Statement: policy.Statement.map((s, i) => ({ Sid: s.Sid ?? `S${i}`, Effect: s.Effect, Action: [...new Set(s.Action)], Resource: "*" })),
  };
}

/**
 * Runs `body` as a new user of `accountId` allowed exactly `actions` (on `*`), with the
 * emulator's IAM checks on, and turns them off again after. The user is made while the checks
 * are off, with the suite's own key. For probes of how the emulator authorizes.
 */
export async function asUserAllowed<T>(emulator: Emulator, accountId: string, region: string, actions: string[], body: (as: Account) => Promise<T>): Promise<T> {
  const { iam } = account(emulator, accountId, region);
  const name = `probe-${Math.random().toString(36).slice(2, 10)}`;
  await iam.send(new CreateUserCommand({ UserName: name }));
  await iam.send(new PutUserPolicyCommand({ UserName: name, PolicyName: "probe", PolicyDocument: JSON.stringify({ Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: actions, Resource: "*" }] }) }));
  const { AccessKey } = await iam.send(new CreateAccessKeyCommand({ UserName: name }));
  await setIamChecks(emulator, true);
  try {
    return await body(account(emulator, accountId, region, { accessKeyId: AccessKey!.AccessKeyId!, secretAccessKey: AccessKey!.SecretAccessKey! }));
  } finally {
    await setIamChecks(emulator, false);
  }
}

/** The error `call` fails with, or a failure saying it succeeded. */
export async function deniedWith(call: Promise<unknown>, what: string): Promise<Error> {
  const error = await call.then(() => undefined, (e: Error) => e);
  if (!error) throw new Error(`${what} succeeded; AWS denies it`);
  return error;
}

/**
 * The identities of an emulator with IAM checks: an admin user per account (made while the checks
 * are off), and the roles `grant` makes. Create it before turning the checks on.
 */
export class Identities {
  private constructor(
    private readonly emulator: Emulator,
    private readonly admins: Map<string, { accessKeyId: string; secretAccessKey: string }>,
  ) {}

  /** An admin user with keys in each of `accountIds`, made with the suite's own key while the emulator checks nothing. */
  static async create(emulator: Emulator, accountIds: string[], region: string): Promise<Identities> {
    const admins = new Map<string, { accessKeyId: string; secretAccessKey: string }>();
    for (const accountId of [...new Set(accountIds)]) {
      const { iam } = account(emulator, accountId, region);
      await iam.send(new CreateUserCommand({ UserName: ADMIN }));
      await iam.send(new PutUserPolicyCommand({ UserName: ADMIN, PolicyName: "everything", PolicyDocument: JSON.stringify({ Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: "*", Resource: "*" }] }) }));
      const { AccessKey } = await iam.send(new CreateAccessKeyCommand({ UserName: ADMIN }));
      admins.set(accountId, { accessKeyId: AccessKey!.AccessKeyId!, secretAccessKey: AccessKey!.SecretAccessKey! });
    }
    return new Identities(emulator, admins);
  }

  /** SDK clients for `accountId` acting as its admin user (what the suite reads with while checks are on). */
  admin(accountId: string, region: string): Account {
    return account(this.emulator, accountId, region, this.adminKeys(accountId));
  }

  /** The admin user's ARN in `accountId`: the principal of its own requests (sts:AssumeRole among them). */
  adminArn(accountId: string): string {
    return `arn:aws:iam::${accountId}:user/${ADMIN}`;
  }

  /**
   * Makes (or updates) role `roleName` in `accountId` holding `actionsOnly(policy)`, assumable by
   * the account's admin user; returns the identity a stack's provider acts as to use it.
   */
  async grant(accountId: string, region: string, roleName: string, policy: PolicyDocument): Promise<EmulatedIdentity> {
    const { iam } = this.admin(accountId, region);
    const trust = { Version: "2012-10-17", Statement: [{ Effect: "Allow", Principal: { AWS: this.adminArn(accountId) }, Action: "sts:AssumeRole" }] };
    await iam.send(new CreateRoleCommand({ RoleName: roleName, AssumeRolePolicyDocument: JSON.stringify(trust) })).catch((error: Error) => {
      if (error.name !== "EntityAlreadyExistsException" && error.name !== "EntityAlreadyExists") throw error;
    });
    await iam.send(new PutRolePolicyCommand({ RoleName: roleName, PolicyName: "permissions", PolicyDocument: JSON.stringify(actionsOnly(policy)) }));
    return { ...this.adminKeys(accountId), roleArn: `arn:aws:iam::${accountId}:role/${roleName}` };
  }

  private adminKeys(accountId: string): { accessKeyId: string; secretAccessKey: string } {
    const keys = this.admins.get(accountId);
    if (!keys) throw new Error(`no admin identity in emulated account ${accountId}: create Identities with it`);
    return keys;
  }
}
