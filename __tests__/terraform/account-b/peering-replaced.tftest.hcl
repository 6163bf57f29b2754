# cases: example
# Account A's peering is replaced (A destroyed and deployed again, or a request that expired):
# B's next deploy finds a new pcx- id. Its accepter and routes are keyed by the consumer, so the
# routes keep their addresses and change their target in place (ReplaceRoute), instead of a new
# route to the same CIDR being created while the old one still exists (RouteAlreadyExists).

{{include mock-provider.hcl}}

{{b.cloudWatchSetting}}

override_data {
  target = data.aws_vpcs.peering_own-vpc
  values = { ids = ["{{b.vpcId}}"] }
}

run "accepts_pcx_1" {
  override_data {
    target = data.aws_vpc_peering_connections.peering_requests
    values = { ids = ["pcx-0000000000000001"] }
  }
  override_data {
    target = data.aws_vpc_peering_connections.peering_active
    values = { ids = ["pcx-0000000000000001"] }
  }

  assert {
    condition     = aws_vpc_peering_connection_accepter.peering_accepter["account-a"].vpc_peering_connection_id == "pcx-0000000000000001"
    error_message = "B must accept A's first request."
  }
  assert {
    condition     = keys(aws_route.peering_route-1) == ["account-a"] && aws_route.peering_route-1["account-a"].vpc_peering_connection_id == "pcx-0000000000000001"
    error_message = "B's route to A's CIDR is keyed by the consumer and targets the first request."
  }
}

run "request_replaced_accepts_pcx_2_with_the_same_route_addresses" {
  # The old connection was deleted with A's stack (AWS lists it as deleted, not pending or
  # active, so the look-up no longer finds it); A's new request is pending.
  override_data {
    target = data.aws_vpc_peering_connections.peering_requests
    values = { ids = ["pcx-0000000000000002"] }
  }
  override_data {
    target = data.aws_vpc_peering_connections.peering_active
    values = { ids = ["pcx-0000000000000002"] }
  }

  assert {
    condition     = keys(aws_vpc_peering_connection_accepter.peering_accepter) == ["account-a"] && aws_vpc_peering_connection_accepter.peering_accepter["account-a"].vpc_peering_connection_id == "pcx-0000000000000002"
    error_message = "B must accept A's new request, under the same key."
  }
  assert {
    condition     = keys(aws_route.peering_route-1) == ["account-a"] && aws_route.peering_route-1["account-a"].vpc_peering_connection_id == "pcx-0000000000000002"
    error_message = "The route must keep its address (keyed account-a, as before) and point at the new request."
  }
  assert {
    condition     = aws_route.peering_route-1["account-a"].destination_cidr_block == "{{accountA.vpcCidr}}"
    error_message = "The route still leads to A's CIDR."
  }
  assert {
    condition     = keys(output.accepted_peering_connection_ids) == keys(run.accepts_pcx_1.accepted_peering_connection_ids) && output.accepted_peering_connection_ids["account-a"] != run.accepts_pcx_1.accepted_peering_connection_ids["account-a"]
    error_message = "The same consumer key, a new peering id."
  }
}
