import { credentialSourceOf, describeCredentialSource } from "../../lib/aws/credential-source";
import { config } from "../helpers/example";
import { synthProject } from "../helpers/project";

const PETS = config({ name: "pets" });
const account = (credentials: Record<string, string>) => ({ accountId: "222222222222", region: "ap-northeast-1", credentials });

describe("credentialSourceOf: the credentials a stack's provider and the project's SDK clients use", () => {
  test("no credentials configured: the environment's default chain, in the account's region", () => {
    const source = credentialSourceOf(PETS, "account-b", account({}));
    expect(source).toEqual({ region: "ap-northeast-1", accountId: "222222222222" });
    expect(describeCredentialSource(source)).toBe("the environment's credentials");
  });

  test("a profile: that profile of the shared config", () => {
    expect(credentialSourceOf(PETS, "account-b", account({ profile: "ops" }))).toEqual({ region: "ap-northeast-1", accountId: "222222222222", profile: "ops" });
  });

  test("a role with an external id: assumed from the environment's credentials, with the stack's session name", () => {
    const source = credentialSourceOf(PETS, "consumer-payments", account({ assumeRoleArn: "arn:aws:iam::222222222222:role/deploy", externalId: "ext-1" }));
    expect(source.assumeRole).toEqual({ roleArn: "arn:aws:iam::222222222222:role/deploy", externalId: "ext-1", sessionName: "pets-consumer-payments" });
    expect(describeCredentialSource(source)).toBe("role arn:aws:iam::222222222222:role/deploy assumed from the environment's credentials");
  });

  test("a profile and a role: the role assumed from the profile", () => {
    const source = credentialSourceOf(PETS, "account-a", account({ profile: "base", assumeRoleArn: "arn:aws:iam::222222222222:role/deploy" }));
    expect(source).toMatchObject({ profile: "base", assumeRole: { roleArn: "arn:aws:iam::222222222222:role/deploy", sessionName: "pets-account-a" } });
    expect(source.assumeRole).not.toHaveProperty("externalId");
    expect(describeCredentialSource(source)).toBe('role arn:aws:iam::222222222222:role/deploy assumed from profile "base"');
  });

  test("each stack's provider is configured from the same mapping", () => {
    const cfg = config({
      accountA: { accountId: "111111111111", region: "ap-northeast-1", vpcCidr: "10.0.0.0/16", credentials: { profile: "base", assumeRoleArn: "arn:aws:iam::111111111111:role/deploy", externalId: "ext-1" } },
    });
    const provider = synthProject(cfg).a.provider.aws[0];
    const source = credentialSourceOf(cfg, "account-a", cfg.accountA);
    expect(provider).toMatchObject({
      region: source.region,
      allowed_account_ids: [source.accountId],
      profile: source.profile,
      assume_role: [{ role_arn: source.assumeRole!.roleArn, external_id: source.assumeRole!.externalId, session_name: source.assumeRole!.sessionName }],
    });
  });
});
