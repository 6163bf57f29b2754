# cases: existing-vpcs
# Existing subnets for the endpoint must be in zones that offer the execute-api endpoint service:
# one that is not stops the plan, naming the subnet, its zone and the service.

{{include mock-provider.hcl}}

{{b.cloudWatchSetting}}

override_data {
  target = data.aws_vpcs.peering_own-vpc
  values = { ids = [] }
}
override_data {
  target = data.aws_vpc_endpoint_service.network_endpoint-service
  values = { availability_zones = ["{{b.zoneName.1}}", "{{b.zoneName.2}}"] }
}

run "existing_subnets_in_zones_with_the_service" {
  # No request from A yet: B waits for it.
  expect_failures = [check.peering_accepted]
  override_data {
    target = data.aws_subnet.network_existing-subnet-1
    values = { availability_zone = "{{b.zoneName.1}}" }
  }
  override_data {
    target = data.aws_subnet.network_existing-subnet-2
    values = { availability_zone = "{{b.zoneName.2}}" }
  }
}

run "an_existing_subnet_in_a_zone_without_the_service_stops_the_plan" {
  command = plan
  override_data {
    target = data.aws_subnet.network_existing-subnet-1
    values = { availability_zone = "{{b.zoneName.1}}" }
  }
  override_data {
    target = data.aws_subnet.network_existing-subnet-2
    values = { availability_zone = "{{b.zoneName.3}}" }
  }
  expect_failures = [data.aws_subnet.network_existing-subnet-2, check.peering_accepted]
}
