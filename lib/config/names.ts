/**
 * Every AWS name this project derives from the configuration, in one place: the stacks name their
 * resources with these functions, and the configuration is checked against each name's limit
 * (`derivedNames`), so that a long `name` fails at synth with one line rather than at apply.
 */
import { azIdPrefix } from "./regions";

/** Name of the CloudFormation stack that holds API Gateway's CloudWatch role in account B. */
export const apiGatewayCloudWatchStackName = (name: string) => `${name}-apigateway-cloudwatch-role`;

/** IAM path of that role: the stack recognizes its own role by it (CloudFormation names the role). */
export const apiGatewayCloudWatchRolePath = (name: string) => `/${name}/apigateway-cloudwatch/`;

/** Name of a consumer stack's canary: its Lambda function, security group and log group (each regional). */
export const canaryName = (name: string, stackId: string) => `${name}-${stackId}-canary`;

/**
 * Name of the canary's IAM role: IAM names are account-wide, so it carries the region's short
 * form (`apne1`), and the same configuration name in two regions of one account does not collide.
 */
export const canaryRoleName = (name: string, stackId: string, region: string) => `${canaryName(name, stackId)}-${azIdPrefix(region)}`;

/** Session name of a stack's provider when it assumes a role. */
export const providerSessionName = (name: string, stackId: string) => `${name}-${stackId}`;

/** A name AWS limits in length, as derived from the configuration. */
export interface DerivedName {
  /** The configuration key whose value it is made from, for the message. */
  readonly key: string;
  /** What it names, for the message. */
  readonly what: string;
  readonly value: string;
  /** The longest value AWS accepts. */
  readonly limit: number;
}

/** What the derived names are made of. */
export interface NameInputs {
  /** The configuration's `name`. */
  readonly name: string;
  /** The stacks (`account-a`, `account-b`, `consumer-<name>`), the configuration key that names each, and its region. */
  readonly stacks: { readonly stackId: string; readonly key: string; readonly region: string }[];
}

/** Every derived name with a length limit, for `inputs`. */
export function derivedNames({ name, stacks }: NameInputs): DerivedName[] {
  return [
    { key: "name", what: "CloudFormation stack name", value: apiGatewayCloudWatchStackName(name), limit: 128 },
    { key: "name", what: "IAM role path", value: apiGatewayCloudWatchRolePath(name), limit: 512 },
    ...stacks.map(({ stackId, key }) => ({ key, what: "STS role session name", value: providerSessionName(name, stackId), limit: 64 })),
    // Lambda function names and IAM role names: 64 characters.
    ...stacks.filter(({ stackId }) => stackId !== "account-b").flatMap(({ stackId, key, region }) => [
      { key, what: "canary's Lambda function name", value: canaryName(name, stackId), limit: 64 },
      { key, what: "canary's IAM role name", value: canaryRoleName(name, stackId, region), limit: 64 },
    ]),
  ];
}

/** The derived names longer than AWS allows. */
export function tooLongNames(inputs: NameInputs): DerivedName[] {
  return derivedNames(inputs).filter((derived) => derived.value.length > derived.limit);
}
