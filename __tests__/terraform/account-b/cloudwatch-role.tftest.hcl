# cases: example
# API Gateway's CloudWatch role is one setting per account and region. B reads it (an imported
# aws_api_gateway_account, overridden here since mocks cannot import) and sets its own role only
# when the setting is empty or already names a role of B's; the role and the setting live in a
# CloudFormation stack that retains both when it is deleted.

{{include mock-provider.hcl}}

override_data {
  target = data.aws_vpcs.peering_own-vpc
  values = { ids = [] }
}

# Each run is another account, with a state of its own (state_key). B finds no VPC of its own and
# no request: it waits for account A (the peering_accepted check).
run "another_role_is_left_alone" {
  state_key       = "account-with-another-role"
  expect_failures = [check.peering_accepted]
  override_resource {
    target = aws_api_gateway_account.apigateway-cloudwatch_current
    values = { cloudwatch_role_arn = "arn:{{b.partition}}:iam::{{accountB.accountId}}:role/platform-apigateway-logs" }
  }

  assert {
    condition     = length(aws_cloudformation_stack.apigateway-cloudwatch_role) == 0
    error_message = "A region whose setting names another role must not be repointed."
  }
  assert {
    condition     = output.apigateway_cloudwatch_role_arn == "arn:{{b.partition}}:iam::{{accountB.accountId}}:role/platform-apigateway-logs"
    error_message = "The stage logs through the role already set."
  }
}

run "its_own_role_is_kept" {
  state_key       = "account-with-its-own-role"
  expect_failures = [check.peering_accepted]
  override_resource {
    target = aws_api_gateway_account.apigateway-cloudwatch_current
    values = { cloudwatch_role_arn = "{{b.cloudWatchRolePrefix}}{{name}}-apigateway-Role-0123456789AB" }
  }

  assert {
    condition     = length(aws_cloudformation_stack.apigateway-cloudwatch_role) == 1
    error_message = "Once the setting names B's own role (by its path), B keeps managing it: later deploys change nothing."
  }
}

run "a_new_account_gets_a_retained_role" {
  state_key       = "new-account"
  expect_failures = [check.peering_accepted]
  override_resource {
    target = aws_api_gateway_account.apigateway-cloudwatch_current
    values = { cloudwatch_role_arn = "" }
  }

  assert {
    condition     = length(aws_cloudformation_stack.apigateway-cloudwatch_role) == 1
    error_message = "An account with no CloudWatch role gets one, so that the stage's access logs work with no extra configuration."
  }
  assert {
    condition     = alltrue([for r in values(jsondecode(aws_cloudformation_stack.apigateway-cloudwatch_role[0].template_body).Resources) : r.DeletionPolicy == "RetainExceptOnCreate" && r.UpdateReplacePolicy == "Retain"])
    error_message = "Deleting the stack must keep the role and the setting (other APIs of the region may log through them); a failed first creation must not (RetainExceptOnCreate)."
  }
  assert {
    condition     = jsondecode(aws_cloudformation_stack.apigateway-cloudwatch_role[0].template_body).Resources.Account.Properties.CloudWatchRoleArn == { "Fn::GetAtt" = ["Role", "Arn"] }
    error_message = "The setting must name the stack's role."
  }
  assert {
    condition     = jsondecode(aws_cloudformation_stack.apigateway-cloudwatch_role[0].template_body).Resources.Role.Properties.AssumeRolePolicyDocument.Statement == [{ Effect = "Allow", Principal = { Service = "apigateway.amazonaws.com" }, Action = "sts:AssumeRole" }]
    error_message = "Only API Gateway may assume the role, with the trust policy AWS documents."
  }
  assert {
    condition     = "arn:{{b.partition}}:iam::{{accountB.accountId}}:role${jsondecode(aws_cloudformation_stack.apigateway-cloudwatch_role[0].template_body).Resources.Role.Properties.Path}" == "{{b.cloudWatchRolePrefix}}"
    error_message = "The role's path is how B recognizes its own role later."
  }
  assert {
    condition     = jsondecode(aws_cloudformation_stack.apigateway-cloudwatch_role[0].template_body).Resources.Role.Properties.Policies[0].PolicyDocument.Statement[0].Resource == "arn:{{b.partition}}:logs:{{accountB.region}}:{{accountB.accountId}}:log-group:*"
    error_message = "The role may write only to this account's log groups in this region."
  }
  assert {
    condition     = output.apigateway_cloudwatch_role_arn == "{{b.cloudWatchRolePrefix}}mock-Role-0123456789AB"
    error_message = "The stage logs through the stack's role."
  }
}
