# cases: example, same-account
# The execute-api endpoint service is not offered in every zone: B's default subnets go into the
# first two zones that offer it, and the plan stops when fewer than two do.

{{include mock-provider.hcl}}

{{b.cloudWatchSetting}}

override_data {
  target = data.aws_vpcs.peering_own-vpc
  values = { ids = [] }
}

run "subnets_skip_a_zone_without_the_service" {
  # No request from A yet: B waits for it.
  expect_failures = [check.peering_accepted]
  override_data {
    target = data.aws_vpc_endpoint_service.network_endpoint-service
    values = { availability_zones = ["{{b.zoneName.2}}", "{{b.zoneName.3}}"] }
  }

  assert {
    condition     = [aws_subnet.network_private-1.availability_zone_id, aws_subnet.network_private-2.availability_zone_id] == ["{{b.zoneId.2}}", "{{b.zoneId.3}}"]
    error_message = "The subnets must go into the zones that offer {{b.serviceName}} ({{b.zoneId.1}} does not)."
  }
  assert {
    condition     = data.aws_vpc_endpoint_service.network_endpoint-service.service_name == "{{b.serviceName}}" && data.aws_vpc_endpoint_service.network_endpoint-service.service_type == "Interface"
    error_message = "The zones are those of the execute-api interface endpoint service."
  }
}

# Once deployed, the subnets (and the endpoint's interfaces in them) stay where they are when the
# zones that offer the service change: a zone that sorts first now would otherwise replace them.
run "deployed_subnets_keep_their_zones_when_the_offered_zones_change" {
  command         = plan
  expect_failures = [check.peering_accepted]
  override_data {
    target = data.aws_vpc_endpoint_service.network_endpoint-service
    values = { availability_zones = ["{{b.zoneName.1}}", "{{b.zoneName.2}}", "{{b.zoneName.3}}"] }
  }

  assert {
    condition     = [aws_subnet.network_private-1.availability_zone_id, aws_subnet.network_private-2.availability_zone_id] == ["{{b.zoneId.2}}", "{{b.zoneId.3}}"]
    error_message = "Deployed subnets stay in their zones; moving them is a deliberate change (accountB.availabilityZoneIds)."
  }
}

run "one_zone_with_the_service_stops_the_plan" {
  command = plan
  override_data {
    target = data.aws_vpc_endpoint_service.network_endpoint-service
    values = { availability_zones = ["{{b.zoneName.3}}"] }
  }
  expect_failures = [aws_subnet.network_private-2, check.peering_accepted]
}
