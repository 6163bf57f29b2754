# cases: example
# A stray request: account A's account has another pending request into B's VPC that B cannot
# tell from A's. B does not stop its plan (which would block every other consumer): it leaves A
# unaccepted and its check names A and the requests. With one of them already active (A's, accepted
# before the stray one appeared), B keeps accepting that one.

{{include mock-provider.hcl}}

{{b.cloudWatchSetting}}

override_data {
  target = data.aws_vpcs.peering_own-vpc
  values = { ids = ["{{b.vpcId}}"] }
}

override_data {
  target = data.aws_vpc_peering_connections.peering_requests
  values = { ids = ["pcx-00000000000000a1", "pcx-00000000000000a2"] }
}

run "two_pending_requests_leave_a_unaccepted_and_the_plan_goes_on" {
  expect_failures = [check.peering_unambiguous]

  assert {
    condition     = length(aws_vpc_peering_connection_accepter.peering_accepter) == 0 && length(aws_route.peering_route-1) == 0
    error_message = "B accepts neither request and routes nothing to A."
  }
  assert {
    condition     = jsonencode(output.ambiguous_peering_requests) == jsonencode({ "account-a" = ["pcx-00000000000000a1", "pcx-00000000000000a2"] })
    error_message = "B's output names A and its two requests, for the doctor."
  }
}

run "the_request_accepted_before_stays_accepted" {
  override_data {
    target = data.aws_vpc_peering_connection.peering_request["pcx-00000000000000a2"]
    values = { owner_id = "{{a.accountId}}", region = "{{a.region}}", vpc_id = "{{a.vpcId}}", tags = {}, status = "active" }
  }
  override_data {
    target = data.aws_vpc_peering_connections.peering_active
    values = { ids = ["pcx-00000000000000a2"] }
  }

  assert {
    condition     = aws_vpc_peering_connection_accepter.peering_accepter["account-a"].vpc_peering_connection_id == "pcx-00000000000000a2" && aws_route.peering_route-1["account-a"].vpc_peering_connection_id == "pcx-00000000000000a2"
    error_message = "B keeps accepting (and routing to) the active request."
  }
  assert {
    condition     = length(output.ambiguous_peering_requests) == 0
    error_message = "Nothing is ambiguous when one of the requests is the active one."
  }
}
