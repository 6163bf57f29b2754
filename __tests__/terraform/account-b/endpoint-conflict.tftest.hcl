# cases: existing-vpcs
# An existing VPC may already have an execute-api endpoint with private DNS on (one per VPC is the
# norm): AWS refuses a second ("conflicting DNS domain"), so B's plan stops before creating one,
# naming the endpoint and the setting that uses it instead. Its own endpoint, on later plans, is
# not a conflict.

{{include mock-provider.hcl}}

{{b.cloudWatchSetting}}

override_data {
  target = data.aws_vpcs.peering_own-vpc
  values = { ids = {{b.firstDeployVpcIds}} }
}
override_data {
  target = data.aws_network_interfaces.execute-api_vpc-endpoint-interfaces
  values = { ids = ["eni-0e0e0e0e0e0e0e0e0"] }
}
override_data {
  target = data.aws_network_interface.execute-api_vpc-endpoint-interface
  values = { description = "VPC Endpoint Interface vpce-0c0c0c0c0c0c0c0c0" }
}

run "a_vpc_with_an_execute_api_endpoint_of_its_own_stops_the_plan" {
  command = plan
  override_data {
    target = data.aws_vpc_endpoint.execute-api_vpc-endpoint
    values = { id = "vpce-0c0c0c0c0c0c0c0c0", service_name = "{{b.serviceName}}", private_dns_enabled = true, tags = { Name = "platform-shared" } }
  }
  expect_failures = [aws_vpc_endpoint.execute-api_endpoint, check.peering_accepted]
}

run "another_service_or_private_dns_off_is_no_conflict" {
  command = plan
  override_data {
    target = data.aws_vpc_endpoint.execute-api_vpc-endpoint
    values = { id = "vpce-0c0c0c0c0c0c0c0c0", service_name = "com.amazonaws.{{accountB.region}}.s3", private_dns_enabled = true, tags = {} }
  }
  # A plan-only run cannot evaluate the checks that read the endpoint it would create.
  expect_failures = {{b.firstPlanChecks}}
}

run "this_stacks_own_endpoint_is_no_conflict" {
  command = plan
  override_data {
    target = data.aws_vpc_endpoint.execute-api_vpc-endpoint
    values = { id = "vpce-0c0c0c0c0c0c0c0c0", service_name = "{{b.serviceName}}", private_dns_enabled = true, tags = {{b.defaultTags}} }
  }
  # A plan-only run cannot evaluate the checks that read the endpoint it would create.
  expect_failures = {{b.firstPlanChecks}}
}
