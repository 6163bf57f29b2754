# cases: example, existing-vpcs
# The consumer's canary and check blocks: the canary is wired to B's outputs (targets, headers,
# URLs) and may only open HTTPS to B's VPC; each check passes once and fails once, with its scoped
# data source (the live read) overridden.

{{include mock-provider.hcl}}

run "the_canary_calls_every_method_and_every_check_passes" {
  assert {
    condition     = [for t in jsondecode(aws_lambda_function.canary_function.environment[0].variables.CANARY_TARGETS) : t.method] == ["private-dns", "host-header", "api-id-header", "endpoint-alias"]
    error_message = "The canary must call the API by every access method the stack outputs."
  }
  assert {
    condition     = [for t in jsondecode(aws_lambda_function.canary_function.environment[0].variables.CANARY_TARGETS) : t.url] == ["https://{{fixture.apiId}}.{{b.apiDomain}}/{{api.stageName}}/pets", "https://{{fixture.endpointDnsName}}/{{api.stageName}}/pets", "https://{{fixture.endpointDnsName}}/{{api.stageName}}/pets", "https://{{fixture.apiId}}-{{fixture.vpceId}}.{{b.apiDomain}}/{{api.stageName}}/pets"]
    error_message = "The canary's URLs: the API's own name, B's endpoint DNS name (twice), and the <api-id>-<vpce-id> alias."
  }
  assert {
    condition     = jsondecode(aws_lambda_function.canary_function.environment[0].variables.CANARY_TARGETS)[1].headers == { Host = "{{fixture.apiId}}.{{b.apiDomain}}" } && jsondecode(aws_lambda_function.canary_function.environment[0].variables.CANARY_TARGETS)[2].headers == { "x-apigw-api-id" = "{{fixture.apiId}}" }
    error_message = "The endpoint-name methods must send the API's Host header, and its x-apigw-api-id header."
  }
  assert {
    condition     = alltrue([for t in jsondecode(aws_lambda_function.canary_function.environment[0].variables.CANARY_TARGETS) : jsondecode(t.expectBody) == [{ id = 1, type = "dog", price = 249.99 }, { id = 2, type = "cat", price = 124.99 }, { id = 3, type = "fish", price = 0.99 }]])
    error_message = "Each method must expect the PetStore list, so that a stale deployment shows as a body failure."
  }
  assert {
    condition     = aws_lambda_function.canary_function.runtime == "nodejs22.x" && aws_lambda_function.canary_function.handler == "index.handler" && startswith(aws_lambda_function.canary_function.filename, "assets/canary_package/") && aws_lambda_function.canary_function.source_code_hash != ""
    error_message = "The canary runs canary/index.js on Node.js 22, from the zip the app builds."
  }
  assert {
    condition     = toset(aws_lambda_function.canary_function.vpc_config[0].security_group_ids) == toset([aws_security_group.canary_security-group.id]) && length(aws_lambda_function.canary_function.vpc_config[0].subnet_ids) > 0
    error_message = "The canary must run in A's client subnets, with its own security group."
  }
  assert {
    condition     = aws_vpc_security_group_egress_rule.canary_https-to-endpoint-vpc.cidr_ipv4 == "{{accountB.vpcCidr}}" && aws_vpc_security_group_egress_rule.canary_https-to-endpoint-vpc.ip_protocol == "tcp" && aws_vpc_security_group_egress_rule.canary_https-to-endpoint-vpc.from_port == 443 && aws_vpc_security_group_egress_rule.canary_https-to-endpoint-vpc.to_port == 443
    error_message = "The canary may open TCP 443 to B's VPC only."
  }
  assert {
    condition     = length(aws_security_group.canary_security-group.ingress) == 0 && length(aws_security_group.canary_security-group.egress) == 0
    error_message = "The canary's security group has no inline rules: no ingress at all."
  }
  assert {
    condition     = jsondecode(aws_iam_role.canary_role.assume_role_policy).Statement == [{ Effect = "Allow", Principal = { Service = "lambda.amazonaws.com" }, Action = "sts:AssumeRole" }]
    error_message = "Only Lambda may assume the canary's role."
  }
  assert {
    condition     = [for s in jsondecode(aws_iam_role_policy.canary_permissions.policy).Statement : s.Resource] == ["*", "${aws_cloudwatch_log_group.canary_logs.arn}:*"]
    error_message = "The canary may manage its network interfaces (no resource scope exists for them) and write to its own log group only."
  }
  assert {
    condition     = aws_cloudwatch_log_group.canary_logs.retention_in_days == 14 && aws_lambda_function.canary_function.logging_config[0].log_group == aws_cloudwatch_log_group.canary_logs.name
    error_message = "The canary logs to its own log group, kept 14 days."
  }
}

run "a_pending_request_is_reported" {
  command = plan
  override_data {
    target = data.aws_vpc_peering_connection.peering_status
    values = { id = "{{fixture.peeringId}}", status = "pending-acceptance" }
  }
  expect_failures = [check.peering_active]
}

run "an_expired_request_is_reported" {
  command = plan
  override_data {
    target = data.aws_vpc_peering_connection.peering_status
    values = { id = "{{fixture.peeringId}}", status = "expired" }
  }
  expect_failures = [check.peering_active]
}

# The canary's check lives in a module of its own, counted by var.canary_check: a workspace whose
# plans run with a read-only identity turns the invocation off without a new synth.
run "canary_check_false_invokes_nothing" {
  command   = plan
  variables { canary_check = false }
  assert {
    condition     = length(module.canary_reaches-api) == 0
    error_message = "With canary_check = false, a plan must not invoke the canary (no instance of its check module)."
  }
}

run "canary_check_on_by_default" {
  command = plan
  assert {
    condition     = length(module.canary_reaches-api) == 1
    error_message = "By default every plan invokes the canary through its check module."
  }
}

# The check module on its own (terraform test cannot expect failures of a module's checks from
# the root): each run plans the module with the function's name, its invocation overridden.
run "a_method_that_fails_is_reported" {
  command   = plan
  module { source = "{{consumer.canaryCheckModule}}" }
  providers = { aws = aws.{{consumer.providerAlias}} }
  variables { function_name = "{{name}}-{{consumer.stackId}}-canary" }
  override_data {
    target = data.aws_lambda_invocation.canary
    values = { result = "{\"ok\":false,\"results\":[{\"method\":\"private-dns\",\"url\":\"https://{{fixture.apiId}}.{{b.apiDomain}}/{{api.stageName}}/pets\",\"ok\":false,\"ms\":12,\"error\":\"dns: ENOTFOUND getaddrinfo ENOTFOUND {{fixture.apiId}}.{{b.apiDomain}}\"},{\"method\":\"host-header\",\"url\":\"https://{{fixture.endpointDnsName}}/{{api.stageName}}/pets\",\"ok\":true,\"status\":200,\"ms\":40}]}" }
  }
  expect_failures = [check.canary_reaches_api]
}

# A check never fails a plan or an apply: an answer that is not the canary's (moto echoes the
# request, an old function answers something else) fails the check, and says so, without an error.
run "an_answer_without_a_verdict_fails_the_check_not_the_run" {
  command   = plan
  module { source = "{{consumer.canaryCheckModule}}" }
  providers = { aws = aws.{{consumer.providerAlias}} }
  variables { function_name = "{{name}}-{{consumer.stackId}}-canary" }
  override_data {
    target = data.aws_lambda_invocation.canary
    values = { result = "{}" }
  }
  expect_failures = [check.canary_reaches_api]
}

run "a_peering_without_a_status_fails_the_check_not_the_run" {
  command = plan
  override_data {
    target = data.aws_vpc_peering_connection.peering_status
    values = { id = "{{fixture.peeringId}}", status = null }
  }
  expect_failures = [check.peering_active]
}
