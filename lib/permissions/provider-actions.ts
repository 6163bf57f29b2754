/**
 * What hashicorp/aws 5.100 calls, as IAM actions, for each resource and data source type these
 * stacks use: per operation (the read of a refresh or a data source, create, update, delete).
 *
 * Sources, per entry: the provider's code for the type (internal/service/<service>/<type>.go of
 * hashicorp/terraform-provider-aws: its Create/Read/Update/Delete functions and the finders and
 * waiters they call), and the emulated `permissions` scenario, which records every action each
 * command requested (moto 5.2.3 with its IAM checks on, emulated/identities.ts). Where AWS
 * authorizes more than the provider's own calls (an action AWS checks on top of the one called,
 * or a call the provider makes only against AWS), the entry says so in `awsOnly`, with its source:
 * the emulator never sees those requests, so the scenario cannot show them needed.
 *
 * API Gateway's management API is authorized by HTTP method (`apigateway:GET` ... `DELETE`), not
 * per operation (Service Authorization Reference, Amazon API Gateway Management).
 */

/** What Terraform does to an instance of a type: read (refresh, plan, a data source), create, update, delete. */
export type Operation = "read" | "create" | "update" | "delete";

/** Why AWS needs an action the emulator never sees requested, and where that is documented. */
export interface AwsOnly {
  /** One sentence: what asks for it, and the source. */
  readonly why: string;
  /**
   * Whether the project's emulator checks it after all (a launcher correction that makes moto ask
   * for it, action only): then the scenario does see it requested.
   * @default false
   */
  readonly emulated?: boolean;
}

/** The actions of one operation of a type; `awsOnly` actions with the reason the emulator cannot see them. */
export interface OperationActions {
  readonly actions: readonly string[];
  readonly awsOnly?: Readonly<Record<string, AwsOnly>>;
}

/** A resource or data source type's actions, per operation. A data source only reads. */
export type TypeActions = Partial<Record<Operation, OperationActions>>;

const ops = (actions: string[], awsOnly?: Record<string, AwsOnly>): OperationActions => (awsOnly ? { actions, awsOnly } : { actions });

/** CreateTags for a Create* call that carries TagSpecifications: every EC2 create of the provider sends the default tags. */
const TAG_ON_CREATE: AwsOnly = {
  why: "AWS authorizes ec2:CreateTags (condition key ec2:CreateAction) on top of a create that carries TagSpecifications, which every create of the provider does with the default tags (EC2 User Guide, \"Grant permission to tag Amazon EC2 resources during creation\")",
  emulated: true,
};

/** Lambda ENIs that outlive the canary: the provider detaches and deletes them before it deletes a subnet or security group. */
const LINGERING_LAMBDA_ENIS: AwsOnly = {
  why: "the provider deletes the network interfaces a VPC Lambda function leaves behind (\"AWS Lambda VPC ENI*\", up to ~35 minutes after the function is gone) before it deletes the subnet or security group (internal/service/ec2/vpc_network_interface.go deleteLingeringENIs); the emulator runs no function and creates no such interface",
};

/** Names of EC2 resource types by the actions that create, change or delete them (Service Authorization Reference, Amazon EC2). */
export const EC2_RESOURCE_TYPES: Readonly<Record<string, readonly string[]>> = {
  "ec2:CreateVpc": ["vpc"],
  "ec2:ModifyVpcAttribute": ["vpc"],
  "ec2:DeleteVpc": ["vpc"],
  "ec2:CreateSubnet": ["subnet", "vpc"],
  "ec2:ModifySubnetAttribute": ["subnet"],
  "ec2:DeleteSubnet": ["subnet"],
  "ec2:CreateRouteTable": ["route-table", "vpc"],
  "ec2:DeleteRouteTable": ["route-table"],
  "ec2:AssociateRouteTable": ["route-table", "subnet"],
  "ec2:ReplaceRouteTableAssociation": ["route-table"],
  "ec2:DisassociateRouteTable": ["route-table", "subnet"],
  "ec2:CreateRoute": ["route-table", "vpc-peering-connection"],
  "ec2:ReplaceRoute": ["route-table", "vpc-peering-connection"],
  "ec2:DeleteRoute": ["route-table"],
  "ec2:CreateSecurityGroup": ["security-group", "vpc"],
  "ec2:DeleteSecurityGroup": ["security-group"],
  "ec2:AuthorizeSecurityGroupIngress": ["security-group", "security-group-rule"],
  "ec2:AuthorizeSecurityGroupEgress": ["security-group", "security-group-rule"],
  "ec2:RevokeSecurityGroupIngress": ["security-group", "security-group-rule"],
  "ec2:RevokeSecurityGroupEgress": ["security-group", "security-group-rule"],
  "ec2:ModifySecurityGroupRules": ["security-group", "security-group-rule"],
  "ec2:CreateVpcEndpoint": ["vpc-endpoint", "vpc", "subnet", "security-group"],
  "ec2:ModifyVpcEndpoint": ["vpc-endpoint", "subnet", "security-group"],
  "ec2:DeleteVpcEndpoints": ["vpc-endpoint"],
  "ec2:CreateVpcPeeringConnection": ["vpc-peering-connection", "vpc"],
  "ec2:ModifyVpcPeeringConnectionOptions": ["vpc-peering-connection"],
  "ec2:DeleteVpcPeeringConnection": ["vpc-peering-connection"],
  "ec2:DetachNetworkInterface": ["network-interface", "instance"],
  "ec2:DeleteNetworkInterface": ["network-interface"],
  "ec2:CreateTags": ["vpc", "subnet", "route-table", "security-group", "security-group-rule", "vpc-endpoint", "vpc-peering-connection"],
  "ec2:DeleteTags": ["vpc", "subnet", "route-table", "security-group", "security-group-rule", "vpc-endpoint", "vpc-peering-connection"],
};

/** Tag updates of a type that takes tags: the provider's tags interceptor (UpdateTags) adds and removes them. */
const EC2_TAGS = ["ec2:CreateTags", "ec2:DeleteTags"];

/**
 * The table. Every type the stacks of any configuration synthesize must be here (the generator
 * refuses a stack with a type it does not know: a new type needs its actions first).
 */
export const RESOURCE_ACTIONS: Readonly<Record<string, TypeActions>> = {
  // internal/service/ec2/vpc_.go: the read also finds the default network ACL, the main route table and the default security group.
  aws_vpc: {
    read: ops(["ec2:DescribeVpcs", "ec2:DescribeVpcAttribute", "ec2:DescribeNetworkAcls", "ec2:DescribeRouteTables", "ec2:DescribeSecurityGroups"]),
    create: ops(["ec2:CreateVpc", "ec2:ModifyVpcAttribute"], { "ec2:CreateTags": TAG_ON_CREATE }),
    update: ops(["ec2:ModifyVpcAttribute", ...EC2_TAGS]),
    delete: ops(["ec2:DeleteVpc"]),
  },
  aws_subnet: {
    read: ops(["ec2:DescribeSubnets"]),
    create: ops(["ec2:CreateSubnet"], { "ec2:CreateTags": TAG_ON_CREATE }),
    update: ops(["ec2:ModifySubnetAttribute", ...EC2_TAGS]),
    delete: ops(["ec2:DeleteSubnet", "ec2:DescribeNetworkInterfaces"], { "ec2:DetachNetworkInterface": LINGERING_LAMBDA_ENIS, "ec2:DeleteNetworkInterface": LINGERING_LAMBDA_ENIS }),
  },
  aws_route_table: {
    read: ops(["ec2:DescribeRouteTables"]),
    create: ops(["ec2:CreateRouteTable"], { "ec2:CreateTags": TAG_ON_CREATE }),
    update: ops(EC2_TAGS),
    delete: ops(["ec2:DeleteRouteTable"]),
  },
  aws_route_table_association: {
    read: ops(["ec2:DescribeRouteTables"]),
    create: ops(["ec2:AssociateRouteTable"]),
    update: ops(["ec2:ReplaceRouteTableAssociation"]),
    delete: ops(["ec2:DisassociateRouteTable"]),
  },
  aws_route: {
    read: ops(["ec2:DescribeRouteTables"]),
    create: ops(["ec2:CreateRoute"]),
    // A new peering id for the same destination (a request expired and was made again): ReplaceRoute.
    update: ops(["ec2:ReplaceRoute"]),
    delete: ops(["ec2:DeleteRoute"]),
  },
  // internal/service/ec2/vpc_security_group.go: a new group loses AWS's default egress rule (no egress blocks).
  aws_security_group: {
    read: ops(["ec2:DescribeSecurityGroups"]),
    create: ops(["ec2:CreateSecurityGroup", "ec2:RevokeSecurityGroupEgress"], { "ec2:CreateTags": TAG_ON_CREATE }),
    update: ops(EC2_TAGS),
    delete: ops(["ec2:DeleteSecurityGroup", "ec2:DescribeNetworkInterfaces"], { "ec2:DetachNetworkInterface": LINGERING_LAMBDA_ENIS, "ec2:DeleteNetworkInterface": LINGERING_LAMBDA_ENIS }),
  },
  aws_vpc_security_group_ingress_rule: {
    read: ops(["ec2:DescribeSecurityGroupRules"]),
    create: ops(["ec2:AuthorizeSecurityGroupIngress"], { "ec2:CreateTags": TAG_ON_CREATE }),
    update: ops(["ec2:ModifySecurityGroupRules", ...EC2_TAGS]),
    delete: ops(["ec2:RevokeSecurityGroupIngress"]),
  },
  aws_vpc_security_group_egress_rule: {
    read: ops(["ec2:DescribeSecurityGroupRules"]),
    create: ops(["ec2:AuthorizeSecurityGroupEgress"], { "ec2:CreateTags": TAG_ON_CREATE }),
    update: ops(["ec2:ModifySecurityGroupRules", ...EC2_TAGS]),
    delete: ops(["ec2:RevokeSecurityGroupEgress"]),
  },
  // internal/service/ec2/vpc_endpoint.go: the read also looks up the service's prefix list and each endpoint network interface (subnet_configuration).
  aws_vpc_endpoint: {
    read: ops(["ec2:DescribeVpcEndpoints", "ec2:DescribePrefixLists", "ec2:DescribeNetworkInterfaces"]),
    create: ops(["ec2:CreateVpcEndpoint"], {
      "ec2:CreateTags": TAG_ON_CREATE,
      "route53:AssociateVPCWithHostedZone": {
        why: "with private DNS on, AWS associates the VPC with the service's private hosted zone for the caller (Service Authorization Reference, Amazon EC2, lists it as a dependent action of CreateVpcEndpoint; not confirmed against AWS here); moto does not",
      },
    }),
    update: ops(["ec2:ModifyVpcEndpoint", ...EC2_TAGS]),
    delete: ops(["ec2:DeleteVpcEndpoints"]),
  },
  aws_vpc_endpoint_policy: {
    read: ops(["ec2:DescribeVpcEndpoints"]),
    create: ops(["ec2:ModifyVpcEndpoint"]),
    update: ops(["ec2:ModifyVpcEndpoint"]),
    // Deleting it resets the endpoint's policy to the default (ResetPolicy).
    delete: ops(["ec2:ModifyVpcEndpoint"]),
  },
  aws_vpc_endpoint_security_group_association: {
    read: ops(["ec2:DescribeVpcEndpoints"]),
    create: ops(["ec2:ModifyVpcEndpoint"]),
    delete: ops(["ec2:ModifyVpcEndpoint"]),
  },
  aws_vpc_peering_connection: {
    read: ops(["ec2:DescribeVpcPeeringConnections"]),
    create: ops(["ec2:CreateVpcPeeringConnection"], { "ec2:CreateTags": TAG_ON_CREATE }),
    update: ops(["ec2:ModifyVpcPeeringConnectionOptions", ...EC2_TAGS]),
    delete: ops(["ec2:DeleteVpcPeeringConnection"]),
  },
  // internal/service/ec2/vpc_peering_connection_accepter.go: accepting takes no tags (they are set after it); deleting only forgets it.
  aws_vpc_peering_connection_accepter: {
    read: ops(["ec2:DescribeVpcPeeringConnections"]),
    create: ops(["ec2:AcceptVpcPeeringConnection", "ec2:CreateTags"]),
    update: ops(["ec2:ModifyVpcPeeringConnectionOptions", ...EC2_TAGS]),
  },

  // API Gateway: every operation is a method on a path under /restapis.
  aws_api_gateway_rest_api: {
    read: ops(["apigateway:GET"]),
    // POST creates it; PUT imports an OpenAPI body (PutRestApi) and sets tags; PATCH sets what CreateRestApi takes not.
    create: ops(["apigateway:POST", "apigateway:PUT", "apigateway:PATCH"]),
    update: ops(["apigateway:PATCH", "apigateway:PUT", "apigateway:DELETE"]),
    delete: ops(["apigateway:DELETE"]),
  },
  aws_api_gateway_rest_api_policy: {
    read: ops(["apigateway:GET"]),
    create: ops(["apigateway:PATCH"], { "apigateway:UpdateRestApiPolicy": { why: "\"To update an API Gateway resource policy, you'll need the apigateway:UpdateRestApiPolicy permission and the apigateway:PATCH permission\" (API Gateway developer guide, \"Create and attach an API Gateway resource policy to an API\")", emulated: true } }),
    update: ops(["apigateway:PATCH"], { "apigateway:UpdateRestApiPolicy": { why: "as for create", emulated: true } }),
    delete: ops(["apigateway:PATCH"], { "apigateway:UpdateRestApiPolicy": { why: "removing the policy is an update of it (as for create)", emulated: true } }),
  },
  aws_api_gateway_resource: { read: ops(["apigateway:GET"]), create: ops(["apigateway:POST"]), update: ops(["apigateway:PATCH"]), delete: ops(["apigateway:DELETE"]) },
  aws_api_gateway_method: { read: ops(["apigateway:GET"]), create: ops(["apigateway:PUT"]), update: ops(["apigateway:PATCH"]), delete: ops(["apigateway:DELETE"]) },
  aws_api_gateway_method_response: { read: ops(["apigateway:GET"]), create: ops(["apigateway:PUT"]), update: ops(["apigateway:PATCH"]), delete: ops(["apigateway:DELETE"]) },
  aws_api_gateway_integration: { read: ops(["apigateway:GET"]), create: ops(["apigateway:PUT"]), update: ops(["apigateway:PATCH"]), delete: ops(["apigateway:DELETE"]) },
  aws_api_gateway_integration_response: { read: ops(["apigateway:GET"]), create: ops(["apigateway:PUT"]), update: ops(["apigateway:PATCH"]), delete: ops(["apigateway:DELETE"]) },
  // internal/service/apigateway/deployment.go: deleting one first reads the stages that may still use it.
  aws_api_gateway_deployment: { read: ops(["apigateway:GET"]), create: ops(["apigateway:POST"]), update: ops(["apigateway:PATCH"]), delete: ops(["apigateway:DELETE", "apigateway:GET"]) },
  // CreateStage takes no access log settings: the provider PATCHes them in after.
  aws_api_gateway_stage: { read: ops(["apigateway:GET"]), create: ops(["apigateway:POST", "apigateway:PATCH"]), update: ops(["apigateway:PATCH", "apigateway:PUT", "apigateway:DELETE"]), delete: ops(["apigateway:DELETE"]) },
  // Imported and never changed (ignore_changes = all) nor destroyed (forgotten first): the project only reads it.
  aws_api_gateway_account: { read: ops(["apigateway:GET"]), create: ops(["apigateway:PATCH"]), update: ops(["apigateway:PATCH"]) },

  // internal/service/cloudformation/stack.go; the IAM and API Gateway actions of the template are the caller's too (see CLOUDFORMATION_TEMPLATE_ACTIONS).
  aws_cloudformation_stack: {
    read: ops(["cloudformation:DescribeStacks", "cloudformation:GetTemplate"]),
    create: ops(["cloudformation:CreateStack"], {
      "cloudformation:DescribeStackEvents": { why: "read only when a create or update fails, for the error message (internal/service/cloudformation/stack.go)" },
    }),
    update: ops(["cloudformation:UpdateStack"], { "cloudformation:DescribeStackEvents": { why: "as for create" } }),
    delete: ops(["cloudformation:DeleteStack"]),
  },
  aws_cloudwatch_log_group: {
    read: ops(["logs:DescribeLogGroups", "logs:ListTagsForResource"]),
    create: ops(["logs:CreateLogGroup", "logs:PutRetentionPolicy"], {
      "logs:TagResource": { why: "a CreateLogGroup with tags (the provider's default tags) may be authorized for logs:TagResource too, as tag-on-create is in other services (unconfirmed; deploy grants it for tag updates anyway)" },
    }),
    update: ops(["logs:PutRetentionPolicy", "logs:DeleteRetentionPolicy", "logs:TagResource", "logs:UntagResource"]),
    delete: ops(["logs:DeleteLogGroup"]),
  },
  // internal/service/iam/role.go: the read lists inline and attached policies; the delete detaches and deletes them first.
  aws_iam_role: {
    read: ops(["iam:GetRole", "iam:ListRolePolicies", "iam:ListAttachedRolePolicies"]),
    create: ops(["iam:CreateRole"], { "iam:TagRole": { why: "a CreateRole with tags (the provider's default tags) is authorized for iam:TagRole too (IAM User Guide, tagging IAM resources; not confirmed against AWS here)" } }),
    update: ops(["iam:UpdateRole", "iam:UpdateRoleDescription", "iam:UpdateAssumeRolePolicy", "iam:TagRole", "iam:UntagRole"]),
    delete: ops(["iam:ListInstanceProfilesForRole", "iam:ListRolePolicies", "iam:ListAttachedRolePolicies", "iam:DeleteRolePolicy", "iam:DeleteRole"]),
  },
  aws_iam_role_policy: {
    read: ops(["iam:GetRolePolicy"]),
    create: ops(["iam:PutRolePolicy"]),
    update: ops(["iam:PutRolePolicy"]),
    delete: ops(["iam:DeleteRolePolicy"]),
  },
  // internal/service/lambda/function.go: the read also gets the code signing configuration and lists versions.
  aws_lambda_function: {
    read: ops(["lambda:GetFunction", "lambda:GetFunctionCodeSigningConfig", "lambda:ListVersionsByFunction"]),
    create: ops(["lambda:CreateFunction"], {
      "iam:PassRole": { why: "CreateFunction passes the execution role to Lambda (Lambda developer guide, \"Lambda execution role\": iam:PassRole)", emulated: true },
      "lambda:TagResource": { why: "a CreateFunction with tags (the provider's default tags) may be authorized for lambda:TagResource too (Lambda developer guide, tags; unconfirmed; deploy grants it for tag updates anyway)" },
    }),
    update: ops(["lambda:UpdateFunctionCode", "lambda:UpdateFunctionConfiguration", "lambda:TagResource", "lambda:UntagResource"], {
      "iam:PassRole": { why: "UpdateFunctionConfiguration passes the execution role again", emulated: true },
    }),
    delete: ops(["lambda:DeleteFunction"]),
  },
  // internal/service/route53/zone.go: changes are waited for (GetChange); deleting a zone deletes its records first.
  aws_route53_zone: {
    read: ops(["route53:GetHostedZone", "route53:ListTagsForResource"]),
    create: ops(["route53:CreateHostedZone", "route53:GetChange", "route53:ChangeTagsForResource"], {
      "ec2:DescribeVpcs": { why: "Route 53 checks a private zone's VPC with the caller's credentials (Route 53 API permissions reference for CreateHostedZone with a VPC; not confirmed against AWS here; plan grants it anyway)" },
    }),
    update: ops(["route53:UpdateHostedZoneComment", "route53:AssociateVPCWithHostedZone", "route53:DisassociateVPCFromHostedZone", "route53:ChangeTagsForResource", "route53:GetChange"]),
    delete: ops(["route53:ListResourceRecordSets", "route53:ChangeResourceRecordSets", "route53:DeleteHostedZone", "route53:GetChange"]),
  },
  aws_route53_record: {
    read: ops(["route53:ListResourceRecordSets"]),
    create: ops(["route53:ChangeResourceRecordSets", "route53:GetChange"]),
    update: ops(["route53:ChangeResourceRecordSets", "route53:GetChange"]),
    delete: ops(["route53:ChangeResourceRecordSets", "route53:GetChange"]),
  },
};

/** Data sources: each only reads. */
export const DATA_SOURCE_ACTIONS: Readonly<Record<string, TypeActions>> = {
  aws_availability_zones: { read: ops(["ec2:DescribeAvailabilityZones"]) },
  aws_vpc: { read: ops(["ec2:DescribeVpcs", "ec2:DescribeVpcAttribute", "ec2:DescribeRouteTables"]) },
  aws_vpcs: { read: ops(["ec2:DescribeVpcs"]) },
  aws_subnet: { read: ops(["ec2:DescribeSubnets"]) },
  aws_network_interface: { read: ops(["ec2:DescribeNetworkInterfaces"]) },
  aws_network_interfaces: { read: ops(["ec2:DescribeNetworkInterfaces"]) },
  aws_route_tables: { read: ops(["ec2:DescribeRouteTables"]) },
  aws_vpc_endpoint: { read: ops(["ec2:DescribeVpcEndpoints", "ec2:DescribePrefixLists"]) },
  aws_vpc_endpoint_service: { read: ops(["ec2:DescribeVpcEndpointServices"]) },
  aws_vpc_peering_connection: { read: ops(["ec2:DescribeVpcPeeringConnections"]) },
  aws_vpc_peering_connections: { read: ops(["ec2:DescribeVpcPeeringConnections"]) },
  aws_api_gateway_rest_api: { read: ops(["apigateway:GET"]) },
  aws_api_gateway_export: { read: ops(["apigateway:GET"]) },
  // lambda:InvokeFunction on the function a check block invokes: generate.ts grants it for that function only.
  aws_lambda_invocation: {},
  // Reads another stack's state through its backend, with the backend's own credentials (see generate.ts).
  terraform_remote_state: {},
};

/**
 * CloudFormation creates a template's resources with the caller's credentials when the stack has
 * no service role (CloudFormation User Guide, "CloudFormation service role": "CloudFormation uses
 * a temporary session that it generates from your user credentials"). So the deploying identity
 * needs each resource handler's actions (the resource type schemas' `handlers.<op>.permissions`,
 * in the CloudFormation registry: these lists follow them as published for AWS::IAM::Role and
 * AWS::ApiGateway::Account, not checked against AWS here); moto creates them without asking. Resources kept on delete (DeletionPolicy Retain or
 * RetainExceptOnCreate) need their delete actions only when the stack's own creation rolls back.
 */
export const CLOUDFORMATION_TEMPLATE_ACTIONS: Readonly<Record<string, Partial<Record<"create" | "update" | "delete", readonly string[]>>>> = {
  "AWS::IAM::Role": {
    create: ["iam:CreateRole", "iam:GetRole", "iam:PutRolePolicy", "iam:GetRolePolicy", "iam:TagRole"],
    update: ["iam:GetRole", "iam:UpdateRole", "iam:UpdateRoleDescription", "iam:UpdateAssumeRolePolicy", "iam:PutRolePolicy", "iam:GetRolePolicy", "iam:DeleteRolePolicy", "iam:TagRole", "iam:UntagRole"],
    delete: ["iam:GetRole", "iam:ListRolePolicies", "iam:ListAttachedRolePolicies", "iam:ListInstanceProfilesForRole", "iam:DeleteRolePolicy", "iam:DeleteRole"],
  },
  "AWS::ApiGateway::Account": {
    create: ["apigateway:PATCH", "apigateway:GET", "iam:GetRole", "iam:PassRole"],
    update: ["apigateway:PATCH", "apigateway:GET", "iam:GetRole", "iam:PassRole"],
    delete: [],
  },
};
