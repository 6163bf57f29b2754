import { APIGatewayClient } from "@aws-sdk/client-api-gateway";
import { CloudFormationClient } from "@aws-sdk/client-cloudformation";
import { EC2Client } from "@aws-sdk/client-ec2";
import { IAMClient } from "@aws-sdk/client-iam";
import { LambdaClient } from "@aws-sdk/client-lambda";
import { Route53Client } from "@aws-sdk/client-route-53";
import type { Emulator } from "./emulator/emulator";

// The pinned SDK supports this project's Node.js 20; its notice about later versions is not for this suite.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = "true";

/** The suite's own credentials: any strings do for the emulator; never the caller's. */
export const EMULATOR_CREDENTIALS = { accessKeyId: "AKIAEMULATEDSUITE000", secretAccessKey: "emulated-secret" };

/** What AWS holds in one emulated account and region, read with the AWS SDK. */
export interface Account {
  readonly accountId: string;
  readonly region: string;
  readonly ec2: EC2Client;
  readonly apigateway: APIGatewayClient;
  readonly route53: Route53Client;
  readonly lambda: LambdaClient;
  readonly iam: IAMClient;
  readonly cloudformation: CloudFormationClient;
}

/**
 * SDK clients for `accountId` in `region`, on the emulator. moto answers a request for the account
 * named in its `x-moto-account-id` header (the stacks reach theirs through assume_role instead).
 * `credentials`: the suite's own, unless an emulator with IAM checks needs an identity's
 * (emulated/identities.ts).
 */
export function account(emulator: Emulator, accountId: string, region: string, credentials: { accessKeyId: string; secretAccessKey: string } = EMULATOR_CREDENTIALS): Account {
  const options = { endpoint: emulator.url, region, credentials, maxAttempts: 2 };
  const inAccount = <T extends { middlewareStack: any }>(client: T): T => {
    client.middlewareStack.add(
      (next: any) => (args: any) => {
        args.request.headers["x-moto-account-id"] = accountId;
        return next(args);
      },
      { step: "build", name: "emulatedAccount" },
    );
    return client;
  };
  return {
    accountId,
    region,
    ec2: inAccount(new EC2Client(options)),
    apigateway: inAccount(new APIGatewayClient(options)),
    route53: inAccount(new Route53Client(options)),
    lambda: inAccount(new LambdaClient(options)),
    iam: inAccount(new IAMClient(options)),
    cloudformation: inAccount(new CloudFormationClient(options)),
  };
}
