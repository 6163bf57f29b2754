# cases: cross-region
# Configured zone ids must offer the execute-api endpoint service: a zone that does not stops the
# plan, naming the zone and the service.

{{include mock-provider.hcl}}

{{b.cloudWatchSetting}}

override_data {
  target = data.aws_vpcs.peering_own-vpc
  values = { ids = [] }
}

run "configured_zones_that_offer_the_service" {
  # No request from A yet: B waits for it.
  expect_failures = [check.peering_accepted]
  override_data {
    target = data.aws_vpc_endpoint_service.network_endpoint-service
    values = { availability_zones = {{b.zoneNames}} }
  }

  assert {
    condition     = [aws_subnet.network_private-1.availability_zone_id, aws_subnet.network_private-2.availability_zone_id, aws_subnet.network_private-3.availability_zone_id] == {{b.zoneIds}}
    error_message = "The subnets must be in the configured zones, in order."
  }
}

run "a_configured_zone_without_the_service_stops_the_plan" {
  command = plan
  override_data {
    target = data.aws_vpc_endpoint_service.network_endpoint-service
    values = { availability_zones = ["{{b.zoneName.1}}", "{{b.zoneName.3}}"] }
  }
  expect_failures = [aws_subnet.network_private-2, check.peering_accepted]
}
