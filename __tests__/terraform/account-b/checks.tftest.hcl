# cases: example
# Account B's check blocks, each passing and failing once, with their scoped data sources (the
# live reads) overridden: A's request found, accepted and active (peering_accepted); no consumer
# left with nothing but a dead request (no_expired_requests); the endpoint available with private
# DNS on (endpoint_available). In a real plan or apply a failing check is a warning.

{{include mock-provider.hcl}}

{{b.cloudWatchSetting}}

override_data {
  target = data.aws_vpcs.peering_own-vpc
  values = { ids = ["{{b.vpcId}}"] }
}

run "before_account_a_has_requested_b_waits" {
  override_data {
    target = data.aws_vpc_peering_connections.peering_requests
    values = { ids = [] }
  }
  expect_failures = [check.peering_accepted]
}

run "an_expired_request_and_no_live_one_is_reported" {
  command = plan
  override_data {
    target = data.aws_vpc_peering_connections.peering_requests
    values = { ids = [] }
  }
  override_data {
    target = data.aws_vpc_peering_connections.peering_dead
    values = { ids = ["pcx-00000000000000e1"] }
  }
  expect_failures = [check.peering_accepted, check.no_expired_requests]
}

run "an_endpoint_that_is_not_available_is_reported" {
  command = plan
  override_data {
    target = data.aws_vpc_peering_connections.peering_requests
    values = { ids = [] }
  }
  override_data {
    target = data.aws_vpc_endpoint.endpoint_state
    values = { id = "{{fixture.vpceId}}", state = "pending", private_dns_enabled = true }
  }
  expect_failures = [check.peering_accepted, check.endpoint_available]
}

run "an_endpoint_without_private_dns_is_reported" {
  command = plan
  override_data {
    target = data.aws_vpc_peering_connections.peering_requests
    values = { ids = [] }
  }
  override_data {
    target = data.aws_vpc_endpoint.endpoint_state
    values = { id = "{{fixture.vpceId}}", state = "available", private_dns_enabled = false }
  }
  expect_failures = [check.peering_accepted, check.endpoint_available]
}

run "once_accepted_and_active_every_check_passes" {
  # A's request found (file-level mocks), accepted by this apply, and active when read after it.
  override_data {
    target = data.aws_vpc_peering_connections.peering_requests
    values = { ids = ["{{fixture.peeringId}}"] }
  }
  override_data {
    target = data.aws_vpc_peering_connections.peering_active
    values = { ids = ["{{fixture.peeringId}}"] }
  }
  # An old expired request of A's no longer matters once A has a live one.
  override_data {
    target = data.aws_vpc_peering_connections.peering_dead
    values = { ids = ["pcx-00000000000000e1"] }
  }

}

run "a_request_b_has_not_accepted_is_reported_as_pending_acceptance" {
  # What the doctor's refresh-only plan reads before B's second deploy: A's request found, still
  # pending (file-level mocks), and not active. (Applied, so that the check is evaluated.)
  override_data {
    target = data.aws_vpc_peering_connections.peering_requests
    values = { ids = ["{{fixture.peeringId}}"] }
  }
  override_data {
    target = data.aws_vpc_peering_connections.peering_active
    values = { ids = [] }
  }
  assert {
    condition     = local.peering_pending == { "account-a" = "{{fixture.peeringId}}" }
    error_message = "A's request is pending acceptance, the check's message must say so: ${jsonencode(local.peering_pending)}"
  }
  expect_failures = [check.peering_accepted]
}

run "accepted_but_not_active_is_reported" {
  override_data {
    target = data.aws_vpc_peering_connections.peering_requests
    values = { ids = ["{{fixture.peeringId}}"] }
  }
  # Accepted, and being activated.
  override_data {
    target = data.aws_vpc_peering_connection.peering_request
    values = { owner_id = "{{a.accountId}}", region = "{{a.region}}", vpc_id = "{{a.vpcId}}", status = "provisioning", tags = {} }
  }
  override_data {
    target = data.aws_vpc_peering_connections.peering_active
    values = { ids = [] }
  }
  assert {
    condition     = local.peering_pending == {}
    error_message = "An accepted request is not pending acceptance: ${jsonencode(local.peering_pending)}"
  }
  expect_failures = [check.peering_accepted]
}
