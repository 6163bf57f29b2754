import { ApiGatewayAccount } from "@cdktf/provider-aws/lib/api-gateway-account";
import { IamRole } from "@cdktf/provider-aws/lib/iam-role";
import { IamRolePolicy } from "@cdktf/provider-aws/lib/iam-role-policy";
import { Fn } from "cdktf";
import { Construct } from "constructs";
import { partitionOf } from "../config/schema";

export interface ApiGatewayLoggingRoleProps {
  /** Prefix of the role name. */
  readonly name: string;
  /** Account the role may write logs in. */
  readonly accountId: string;
  /** Region the role may write logs in. */
  readonly region: string;
}

/**
 * API Gateway's account-level CloudWatch role, which stage access logging needs. One setting per
 * account and region: the config can leave it to something else.
 */
export class ApiGatewayLoggingRole extends Construct {
  /** The account setting; stages with logging must be created after it. */
  readonly account: ApiGatewayAccount;

  constructor(scope: Construct, id: string, props: ApiGatewayLoggingRoleProps) {
    super(scope, id);
    const role = new IamRole(this, "role", {
      name: `${props.name}-apigateway-cloudwatch-${props.region}`,
      description: "Lets API Gateway write access and execution logs to CloudWatch Logs",
      assumeRolePolicy: Fn.jsonencode({
        Version: "2012-10-17",
        Statement: [{
          Effect: "Allow",
          Principal: { Service: "apigateway.amazonaws.com" },
          Action: "sts:AssumeRole",
          Condition: { StringEquals: { "aws:SourceAccount": props.accountId } },
        }],
      }),
    });
    // The actions of the AWS managed AmazonAPIGatewayPushToCloudWatchLogs, narrowed from "*" to
    // this account's log groups in this region (the only ones API Gateway here writes to).
    const writeLogs = new IamRolePolicy(this, "write-logs", {
      role: role.name,
      name: "write-logs",
      policy: Fn.jsonencode({
        Version: "2012-10-17",
        Statement: [{
          Effect: "Allow",
          Action: [
            "logs:CreateLogGroup", "logs:CreateLogStream", "logs:DescribeLogGroups", "logs:DescribeLogStreams",
            "logs:PutLogEvents", "logs:GetLogEvents", "logs:FilterLogEvents",
          ],
          Resource: `arn:${partitionOf(props.region)}:logs:${props.region}:${props.accountId}:log-group:*`,
        }],
      }),
    });
    this.account = new ApiGatewayAccount(this, "account", {
      cloudwatchRoleArn: role.arn,
      // On destroy, clear the setting rather than leave it naming the deleted role.
      resetOnDelete: true,
      // API Gateway checks the role's permissions when the setting is made.
      dependsOn: [writeLogs],
    });
  }
}
