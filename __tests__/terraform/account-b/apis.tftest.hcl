# cases: two-apis
# Two APIs in B: one from an OpenAPI file, created, deployed and logged by B's stack; one that
# exists, managed by someone else, read at plan time (its deployed stage, then the API by the name
# it carries). Both behind B's existing endpoint, in its existing VPC.

{{include mock-provider.hcl}}

{{b.cloudWatchSetting}}

override_data {
  target = data.aws_vpcs.peering_own-vpc
  values = { ids = ["{{b.vpcId}}"] }
}
override_data {
  target = data.aws_vpc_endpoint.execute-api_existing
  values = {
    id                = "vpce-0b2b2b2b2b2b2b2b2"
    vpc_id            = "{{b.vpcId}}"
    service_name      = "{{b.serviceName}}"
    vpc_endpoint_type = "Interface"
    state             = "available"
    dns_entry         = [{ dns_name = "{{fixture.endpointDnsName}}", hosted_zone_id = "{{fixture.endpointZoneId}}" }]
  }
}
override_data {
  target = data.aws_api_gateway_export.api-ledger_stage-definition
  values = { body = "{\"swagger\":\"2.0\",\"info\":{\"title\":\"ledger-api\"},\"paths\":{\"/ping\":{\"get\":{}}}}" }
}

run "both_apis_are_reached_through_the_existing_endpoint" {
  # No consumer has requested a peering yet: B waits for them.
  expect_failures = [check.peering_accepted]
  override_data {
    target = data.aws_api_gateway_rest_api.api-ledger_api
    values = { id = "a1l2e3d4g5", name = "ledger-api", endpoint_configuration = [{ types = ["PRIVATE"], vpc_endpoint_ids = ["vpce-0b2b2b2b2b2b2b2b2"] }], execution_arn = "arn:{{b.partition}}:execute-api:{{accountB.region}}:{{accountB.accountId}}:a1l2e3d4g5" }
  }

  assert {
    condition     = data.aws_api_gateway_rest_api.api-ledger_api.name == "ledger-api"
    error_message = "The existing API is read by the name its deployed stage carries."
  }
  assert {
    condition     = aws_api_gateway_rest_api.api-orders_api.endpoint_configuration[0].types == tolist(["PRIVATE"]) && aws_api_gateway_rest_api.api-orders_api.endpoint_configuration[0].vpc_endpoint_ids == toset(["vpce-0b2b2b2b2b2b2b2b2"])
    error_message = "The OpenAPI API is private and associated with the existing endpoint."
  }
  assert {
    condition     = jsondecode(aws_api_gateway_rest_api.api-orders_api.body).paths["/health"].get["x-amazon-apigateway-integration"].type == "mock"
    error_message = "The OpenAPI API is created from its definition."
  }
  assert {
    condition     = aws_api_gateway_stage.api-orders_stage.deployment_id == aws_api_gateway_deployment.api-orders_deployment.id && aws_api_gateway_stage.api-orders_stage.stage_name == "v1"
    error_message = "The OpenAPI API's stage serves its deployment."
  }
  assert {
    condition     = aws_vpc_endpoint_security_group_association.execute-api_security-group-association.vpc_endpoint_id == "vpce-0b2b2b2b2b2b2b2b2"
    error_message = "B's security group (HTTPS from the allowed CIDRs) is associated with the existing endpoint."
  }
  assert {
    condition     = length(jsondecode(output.api_resource_policies["ledger"]).Statement) == 3
    error_message = "The statements the existing API's owner must add are an output."
  }
}

run "an_existing_api_that_is_not_private_stops_the_plan" {
  command = plan
  override_data {
    target = data.aws_api_gateway_rest_api.api-ledger_api
    values = { id = "a1l2e3d4g5", name = "ledger-api", endpoint_configuration = [{ types = ["REGIONAL"], vpc_endpoint_ids = [] }] }
  }
  expect_failures = [check.peering_accepted, data.aws_api_gateway_rest_api.api-ledger_api]
}

run "an_existing_api_not_associated_with_the_endpoint_stops_the_plan" {
  command = plan
  override_data {
    target = data.aws_api_gateway_rest_api.api-ledger_api
    values = { id = "a1l2e3d4g5", name = "ledger-api", endpoint_configuration = [{ types = ["PRIVATE"], vpc_endpoint_ids = ["vpce-0999999999999999a"] }] }
  }
  expect_failures = [check.peering_accepted, data.aws_api_gateway_rest_api.api-ledger_api]
}

run "a_probe_the_deployed_stage_does_not_serve_stops_the_plan" {
  command = plan
  override_data {
    target = data.aws_api_gateway_export.api-ledger_stage-definition
    values = { body = "{\"swagger\":\"2.0\",\"info\":{\"title\":\"ledger-api\"},\"paths\":{\"/status\":{\"get\":{}}}}" }
  }
  override_data {
    target = data.aws_api_gateway_rest_api.api-ledger_api
    values = { id = "a1l2e3d4g5", name = "ledger-api", endpoint_configuration = [{ types = ["PRIVATE"], vpc_endpoint_ids = ["vpce-0b2b2b2b2b2b2b2b2"] }] }
  }
  expect_failures = [check.peering_accepted, data.aws_api_gateway_export.api-ledger_stage-definition]
}

run "an_existing_endpoint_of_another_vpc_stops_the_plan" {
  command = plan
  override_data {
    target = data.aws_vpc_endpoint.execute-api_existing
    values = { id = "vpce-0b2b2b2b2b2b2b2b2", vpc_id = "vpc-0ffffffffffffffff", service_name = "{{b.serviceName}}", vpc_endpoint_type = "Interface", state = "available" }
  }
  override_data {
    target = data.aws_api_gateway_rest_api.api-ledger_api
    values = { id = "a1l2e3d4g5", name = "ledger-api", endpoint_configuration = [{ types = ["PRIVATE"], vpc_endpoint_ids = ["vpce-0b2b2b2b2b2b2b2b2"] }] }
  }
  expect_failures = [check.peering_accepted, data.aws_vpc_endpoint.execute-api_existing]
}
