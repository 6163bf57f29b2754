# cases: example, cross-region, existing-vpcs, same-account
# Account B's rollout on a mocked AWS provider (real hashicorp/aws schema, no account):
# first deploy -> account A requests the peering -> second deploy accepts it -> a policy change
# redeploys the API. scripts/terraform-test.ts fills in the double-brace placeholders from the configuration under test.
# Runs share state, so the plan-only run of the first deploy comes before any apply.

{{include mock-provider.hcl}}

{{b.cloudWatchSetting}}

# From B's second deploy on, B finds its VPC and A's request into it; the first-deploy runs
# override these with what AWS answers before that.
override_data {
  target = data.aws_vpcs.peering_own-vpc
  values = { ids = ["{{b.vpcId}}"] }
}
override_data {
  target = data.aws_vpc_peering_connections.peering_requests
  values = { ids = ["{{fixture.peeringId}}"] }
}
# The peering_accepted check's live read: A's request is active once accepted.
override_data {
  target = data.aws_vpc_peering_connections.peering_active
  values = { ids = ["{{fixture.peeringId}}"] }
}

run "first_deploy_plan_while_account_a_has_an_unrelated_request" {
  command = plan
  # B waits for A's request: peering_accepted fails (a warning in a real plan). The checks that
  # read the endpoint (and the VPC, when this plan creates it) cannot be evaluated before the
  # apply, and terraform test counts an unevaluated check in a plan-only run as a failure.
  expect_failures = {{b.firstPlanChecks}}

  # The tag look-up finds nothing before B's VPC exists (an existing VPC is found by its id),
  # and AWS returns no request into this VPC: A's other request targets another VPC.
  override_data {
    target = data.aws_vpcs.peering_own-vpc
    values = { ids = {{b.firstDeployVpcIds}} }
  }
  override_data {
    target = data.aws_vpc_peering_connections.peering_requests
    values = { ids = [] }
  }

  assert {
    condition     = length(aws_vpc_peering_connection_accepter.peering_accepter) == 0
    error_message = "Nothing may be accepted before account A has requested a peering into this VPC."
  }
  assert {
    condition     = length(aws_route.peering_route-1) == 0
    error_message = "No route to account A may be planned before the peering is accepted."
  }
}

run "first_deploy" {
  expect_failures = [check.peering_accepted]

  override_data {
    target = data.aws_vpcs.peering_own-vpc
    values = { ids = {{b.firstDeployVpcIds}} }
  }
  override_data {
    target = data.aws_vpc_peering_connections.peering_requests
    values = { ids = [] }
  }

  assert {
    condition     = length(aws_vpc_peering_connection_accepter.peering_accepter) == 0 && length(aws_route.peering_route-1) == 0
    error_message = "The first deploy must accept nothing and route nothing to account A."
  }
  assert {
    condition     = aws_vpc_endpoint.execute-api_endpoint.service_name == "{{b.serviceName}}" && aws_vpc_endpoint.execute-api_endpoint.vpc_endpoint_type == "Interface"
    error_message = "The endpoint must be the execute-api interface endpoint of {{accountB.region}}."
  }
  assert {
    condition     = aws_vpc_endpoint.execute-api_endpoint.private_dns_enabled && aws_vpc_endpoint.execute-api_endpoint.vpc_id == "{{b.vpcId}}"
    error_message = "The endpoint must have private DNS on and sit in B's VPC."
  }
  assert {
    condition     = toset(aws_vpc_endpoint.execute-api_endpoint.subnet_ids) == toset({{b.endpointSubnetIds}})
    error_message = "The endpoint must have a network interface in each of B's endpoint subnets."
  }
  assert {
    condition     = contains(keys(aws_vpc_security_group_ingress_rule.execute-api_https-from-allowed-cidrs), "{{accountA.vpcCidr}}")
    error_message = "The endpoint's security group must admit account A's CIDR {{accountA.vpcCidr}}."
  }
  assert {
    condition     = alltrue([for rule in aws_vpc_security_group_ingress_rule.execute-api_https-from-allowed-cidrs : rule.ip_protocol == "tcp" && rule.from_port == 443 && rule.to_port == 443 && rule.security_group_id == aws_security_group.execute-api_security-group.id])
    error_message = "The endpoint's security group may admit TCP 443 only."
  }
  assert {
    condition     = toset(keys(aws_vpc_security_group_ingress_rule.execute-api_https-from-allowed-cidrs)) == toset(["{{accountA.vpcCidr}}", "{{accountB.vpcCidr}}"])
    error_message = "By default the security group admits exactly A's and B's CIDRs."
  }
  assert {
    condition = jsondecode(aws_api_gateway_rest_api_policy.rest-api_policy.policy).Statement[1].Condition.StringNotEquals["aws:SourceVpce"] == "{{fixture.vpceId}}"
    error_message = "The resource policy must deny every endpoint but B's."
  }
  assert {
    condition     = contains(jsondecode(aws_api_gateway_rest_api_policy.rest-api_policy.policy).Statement[2].Condition.NotIpAddress["aws:VpcSourceIp"], "{{accountA.vpcCidr}}")
    error_message = "The resource policy must admit account A's CIDR."
  }
  assert {
    condition     = jsondecode(aws_vpc_endpoint_policy.execute-api_policy.policy).Statement[0].Resource == "arn:{{b.partition}}:execute-api:{{accountB.region}}:{{accountB.accountId}}:{{fixture.apiId}}/*"
    error_message = "The endpoint policy must allow invoking this API only."
  }
  assert {
    condition     = aws_api_gateway_rest_api.rest-api_api.endpoint_configuration[0].types == tolist(["PRIVATE"]) && aws_api_gateway_rest_api.rest-api_api.endpoint_configuration[0].vpc_endpoint_ids == toset(["{{fixture.vpceId}}"])
    error_message = "The API must be PRIVATE and associated with B's endpoint."
  }
  assert {
    condition     = aws_api_gateway_stage.rest-api_stage.stage_name == "{{api.stageName}}" && aws_api_gateway_stage.rest-api_stage.deployment_id == aws_api_gateway_deployment.rest-api_deployment.id
    error_message = "Stage {{api.stageName}} must serve the deployment."
  }
  assert {
    condition     = aws_cloudwatch_log_group.rest-api_access-logs.retention_in_days == {{api.accessLogRetentionDays}} && aws_api_gateway_stage.rest-api_stage.access_log_settings[0].destination_arn == aws_cloudwatch_log_group.rest-api_access-logs.arn
    error_message = "The stage must log access to a log group kept {{api.accessLogRetentionDays}} days."
  }
  assert {
    condition     = jsondecode(aws_api_gateway_integration_response.rest-api_get-pets_integration-response-200.response_templates["application/json"]) == [{ id = 1, type = "dog", price = 249.99 }, { id = 2, type = "cat", price = 124.99 }, { id = 3, type = "fish", price = 0.99 }]
    error_message = "GET /pets must answer the article's PetStore list."
  }
  assert {
    condition     = length(output.accepted_peering_connection_ids) == 0
    error_message = "No peering is accepted on the first deploy."
  }
}

run "second_deploy_accepts_account_a_request" {
  # B now finds its own VPC, and A's pending request into it (the file-level overrides).

  assert {
    condition     = keys(aws_vpc_peering_connection_accepter.peering_accepter) == ["account-a"]
    error_message = "Exactly one accepter, for account-a."
  }
  assert {
    condition     = aws_vpc_peering_connection_accepter.peering_accepter["account-a"].vpc_peering_connection_id == "{{fixture.peeringId}}" && aws_vpc_peering_connection_accepter.peering_accepter["account-a"].auto_accept
    error_message = "The accepter must accept A's request {{fixture.peeringId}}."
  }
  assert {
    condition     = aws_vpc_peering_connection_accepter.peering_accepter["account-a"].tags == tomap({{a.accepterTags}})
    error_message = "The accepter must tag the peering as account-a's (in one account: exactly as A's request does)."
  }
  assert {
    condition     = one([for f in data.aws_vpc_peering_connections.peering_requests[0].filter : f.values if f.name == "accepter-vpc-info.vpc-id"]) == toset(["{{b.vpcId}}"])
    error_message = "The look-up must only find requests into B's own VPC."
  }
  assert {
    condition     = one([for f in data.aws_vpc_peering_connections.peering_requests[0].filter : f.values if f.name == "requester-vpc-info.owner-id"]) == toset(["{{accountA.accountId}}"])
    error_message = "The look-up must only find requests from account A."
  }
  assert {
    condition     = toset(one([for f in data.aws_vpc_peering_connections.peering_requests[0].filter : f.values if f.name == "status-code"])) == toset(["pending-acceptance", "active"])
    error_message = "The look-up must find pending requests, and keep finding them once active."
  }
  assert {
    condition     = aws_route.peering_route-{{each.b.routeTable}}["account-a"].destination_cidr_block == "{{accountA.vpcCidr}}" && aws_route.peering_route-{{each.b.routeTable}}["account-a"].vpc_peering_connection_id == "{{fixture.peeringId}}"
    error_message = "Route table {{each.b.routeTable}} of B's endpoint subnets must route {{accountA.vpcCidr}} through the peering."
  }
  assert {
    condition     = output.api_deployment_trigger == run.first_deploy.api_deployment_trigger
    error_message = "Accepting the peering must not redeploy the API."
  }
  assert {
    condition     = keys(output.accepted_peering_connection_ids) == ["account-a"] && output.accepted_peering_connection_ids["account-a"] == "{{fixture.peeringId}}"
    error_message = "The output must list the accepted peering, by consumer."
  }
}

run "policy_change_redeploys_the_api" {
  variables {
    allowed_source_cidrs = ["{{accountA.vpcCidr}}", "{{accountB.vpcCidr}}", "192.168.100.0/24"]
  }

  assert {
    condition     = contains(jsondecode(aws_api_gateway_rest_api_policy.rest-api_policy.policy).Statement[2].Condition.NotIpAddress["aws:VpcSourceIp"], "192.168.100.0/24")
    error_message = "The policy must admit the added CIDR."
  }
  assert {
    condition     = contains(keys(aws_vpc_security_group_ingress_rule.execute-api_https-from-allowed-cidrs), "192.168.100.0/24")
    error_message = "The security group must admit the added CIDR."
  }
  assert {
    condition     = output.api_deployment_trigger != run.second_deploy_accepts_account_a_request.api_deployment_trigger
    error_message = "A policy change must change the deployment's trigger, so that the API is redeployed."
  }
  assert {
    condition     = aws_api_gateway_deployment.rest-api_deployment.triggers.redeployment == output.api_deployment_trigger && aws_api_gateway_stage.rest-api_stage.deployment_id == aws_api_gateway_deployment.rest-api_deployment.id
    error_message = "The stage must serve the deployment made for the new trigger."
  }
}

run "bad_allowed_cidr_is_refused" {
  command = plan
  variables {
    allowed_source_cidrs = ["0.0.0.0/0"]
  }
  expect_failures = [var.allowed_source_cidrs]
}
