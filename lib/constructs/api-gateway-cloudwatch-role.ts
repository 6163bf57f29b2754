import { ApiGatewayAccount } from "@cdktf/provider-aws/lib/api-gateway-account";
import { CloudformationStack } from "@cdktf/provider-aws/lib/cloudformation-stack";
import { ITerraformDependable, TerraformProvider, Token } from "cdktf";
import { Construct } from "constructs";
import { apiGatewayCloudWatchRolePath, apiGatewayCloudWatchStackName } from "../config/names";
import { requirePartition } from "../config/partition";
import { addImportBlock } from "../terraform/import-block";

export interface ApiGatewayCloudWatchRoleProps {
  /** The configuration's `name`: prefix of the CloudFormation stack name and of the role's IAM path. */
  readonly name: string;
  /** The account whose setting this is. */
  readonly accountId: string;
  /** The region whose setting this is (one setting per account and region). */
  readonly region: string;
  /** The stack's provider: the import block must name it (it does not follow the resource's). */
  readonly provider: TerraformProvider;
}

/**
 * API Gateway's CloudWatch role, which stage logging needs. It is one setting per account and
 * region, shared by every API there, so this construct:
 *
 * - reads the current setting on every plan: an `aws_api_gateway_account` imported, with
 *   `ignore_changes = all`, records the setting (no data source reads it in the provider) and
 *   never writes it. Without ignore_changes, Terraform plans its unset `cloudwatch_role_arn` as
 *   null, and the provider's update sends `replace /cloudwatchRoleArn` with no value, which clears
 *   the setting: every API of the region would stop logging on the next deploy;
 * - sets it only when it is empty, or already names a role this construct made (recognized by its
 *   IAM path): an account whose setting names another role is not repointed, and its stages log
 *   through that role;
 * - creates the role and the setting in a CloudFormation stack whose resources are retained when
 *   the stack is deleted, because Terraform cannot keep a resource it destroys: once made, the role
 *   may serve every API of the region, so destroying this project must not delete it nor clear the
 *   setting (AWS CDK's RestApi retains it too: cloudWatchRoleRemovalPolicy RETAIN). The policy is
 *   RetainExceptOnCreate: with plain Retain, CloudFormation would also keep what it made when the
 *   stack's own creation fails and rolls back, leaving a role behind at every failed attempt. The
 *   setting itself is read by a resource that is never destroyed (see `current`).
 *   CloudFormation names the role, so a later deployment never collides with a retained one.
 */
export class ApiGatewayCloudWatchRole extends Construct {
  /** The stack that sets the role, when this deployment sets it: stages with logging are created after it. */
  readonly dependable: ITerraformDependable;
  /** The role the region's setting names once applied: this construct's, or the one found. */
  readonly roleArn: string;

  constructor(scope: Construct, id: string, props: ApiGatewayCloudWatchRoleProps) {
    super(scope, id);
    const partition = requirePartition(props.region).name;
    // Never destroyed: hashicorp/aws documents that a future major version resets the region's
    // account settings when this resource is destroyed (today's 5.x leaves them), which would
    // clear the logging role of every API of the region. A destroy of the stack forgets it first
    // (lib/deploy/kept-on-destroy.ts); a plain `terraform destroy` stops with an error naming it.
    const current = new ApiGatewayAccount(this, "current", { lifecycle: { ignoreChanges: "all", preventDestroy: true } });
    // Import, not create: creating would be an UpdateAccount call. After the first apply the import is a no-op.
    addImportBlock(current, "api-gateway-account", props.provider);
    const setting = `${current.terraformResourceType}.${current.friendlyUniqueId}.cloudwatch_role_arn`;
    const currentRole = `(${setting} == null ? "" : ${setting})`;
    const ownRolePrefix = `arn:${partition}:iam::${props.accountId}:role${apiGatewayCloudWatchRolePath(props.name)}`;

    const stack = new CloudformationStack(this, "role", {
      count: Token.asNumber(`\${${currentRole} == "" || startswith(${currentRole}, "${ownRolePrefix}") ? 1 : 0}`),
      name: apiGatewayCloudWatchStackName(props.name),
      // CloudFormation names the role; CAPABILITY_IAM is enough for an unnamed role.
      capabilities: ["CAPABILITY_IAM"],
      // A failed first creation rolls back, and CloudFormation deletes RetainExceptOnCreate
      // resources "if the stack operation that created the resource is rolled back" (DeletionPolicy
      // attribute); with DELETE the stack is deleted instead, where the policy retains like Retain.
      // Terraform marks the failed stack tainted: the next apply replaces it from nothing.
      onFailure: "ROLLBACK",
      // on_failure forces a new stack and only matters when one is created: a stack made with
      // DELETE by an earlier version is kept, not replaced (a replacement would make a new role).
      lifecycle: { ignoreChanges: ["on_failure"] },
      templateBody: JSON.stringify(template(props, partition)),
    });
    this.dependable = stack;
    this.roleArn = `\${length(${stack.terraformResourceType}.${stack.friendlyUniqueId}) > 0 ? ${stack.terraformResourceType}.${stack.friendlyUniqueId}[0].outputs["RoleArn"] : ${currentRole}}`;
  }
}

/** The CloudFormation template: the role (only API Gateway may assume it) and the region's setting, both retained once made. */
function template(props: ApiGatewayCloudWatchRoleProps, partition: string): Record<string, unknown> {
  // UpdateReplacePolicy has no RetainExceptOnCreate: a replacement keeps the old resource.
  const retained = { DeletionPolicy: "RetainExceptOnCreate", UpdateReplacePolicy: "Retain" };
  return {
    AWSTemplateFormatVersion: "2010-09-09",
    Description: "API Gateway's CloudWatch role for this account and region. Retained when this stack is deleted: other APIs of the region may log through it.",
    Resources: {
      Role: {
        Type: "AWS::IAM::Role",
        ...retained,
        Properties: {
          Path: apiGatewayCloudWatchRolePath(props.name),
          Description: "Lets API Gateway write access and execution logs to CloudWatch Logs",
          // The trust policy AWS documents for this role; no AWS page says API Gateway sends
          // aws:SourceAccount when it assumes it, so a condition on it could break logging.
          AssumeRolePolicyDocument: {
            Version: "2012-10-17",
            Statement: [{ Effect: "Allow", Principal: { Service: "apigateway.amazonaws.com" }, Action: "sts:AssumeRole" }],
          },
          // The actions of the AWS managed AmazonAPIGatewayPushToCloudWatchLogs, narrowed from "*"
          // to this account's log groups in this region (the only ones API Gateway here writes to).
          Policies: [{
            PolicyName: "write-logs",
            PolicyDocument: {
              Version: "2012-10-17",
              Statement: [{
                Effect: "Allow",
                Action: [
                  "logs:CreateLogGroup", "logs:CreateLogStream", "logs:DescribeLogGroups", "logs:DescribeLogStreams",
                  "logs:PutLogEvents", "logs:GetLogEvents", "logs:FilterLogEvents",
                ],
                Resource: `arn:${partition}:logs:${props.region}:${props.accountId}:log-group:*`,
              }],
            },
          }],
        },
      },
      Account: {
        Type: "AWS::ApiGateway::Account",
        ...retained,
        Properties: { CloudWatchRoleArn: { "Fn::GetAtt": ["Role", "Arn"] } },
      },
    },
    Outputs: { RoleArn: { Value: { "Fn::GetAtt": ["Role", "Arn"] } } },
  };
}
