# cases: many-consumers
# Account B with four consumers (account A; payments in another region; orders and billing in one
# account and region, told apart by VPC id): B's first deploy waits for all of them; after they
# have requested, B's second deploy accepts each request once and routes each CIDR, under each
# consumer's own key; an unrelated request from the shared account changes nothing; then billing
# is removed from the configuration, and B's next deploy removes its acceptance and routes.

{{include mock-provider.hcl}}

{{b.cloudWatchSetting}}

# What AWS answers once every consumer has requested: four requests, and one that is no
# consumer's (same account and region as orders and billing, another VPC).
override_data {
  target = data.aws_vpcs.peering_own-vpc
  values = { ids = ["{{b.vpcId}}"] }
}
override_data {
  target = data.aws_vpc_peering_connections.peering_requests
  values = { ids = ["pcx-000000000000000a", "pcx-00000000000000b1", "pcx-00000000000000c2", "pcx-00000000000000c3", "pcx-0000000000000bad"] }
}
override_data {
  target = data.aws_vpc_peering_connection.peering_request["pcx-000000000000000a"]
  values = {{c.account-a.requestDetails}}
}
override_data {
  target = data.aws_vpc_peering_connection.peering_request["pcx-00000000000000b1"]
  values = {{c.consumer-payments.requestDetails}}
}
override_data {
  target = data.aws_vpc_peering_connection.peering_request["pcx-00000000000000c2"]
  values = {{c.consumer-orders.requestDetails}}
}
override_data {
  target = data.aws_vpc_peering_connection.peering_request["pcx-00000000000000c3"]
  values = {{c.consumer-billing.requestDetails}}
}
override_data {
  target = data.aws_vpc_peering_connection.peering_request["pcx-0000000000000bad"]
  values = { owner_id = "{{c.consumer-orders.accountId}}", region = "{{c.consumer-orders.region}}", vpc_id = "vpc-0dddddddddddddddd", tags = {} }
}
override_data {
  target = data.aws_vpc_peering_connections.peering_active
  values = { ids = ["pcx-000000000000000a", "pcx-00000000000000b1", "pcx-00000000000000c2", "pcx-00000000000000c3"] }
}

run "first_deploy_waits_for_every_consumer" {
  state_key = "account-b"
  override_data {
    target = data.aws_vpcs.peering_own-vpc
    values = { ids = [] }
  }
  expect_failures = [check.peering_accepted]

  assert {
    condition     = length(aws_vpc_peering_connection_accepter.peering_accepter) == 0 && length(aws_route.peering_route-1) == 0
    error_message = "Nothing is accepted or routed before the consumers have requested."
  }
  assert {
    condition     = toset(keys(aws_vpc_security_group_ingress_rule.execute-api_https-from-allowed-cidrs)) == toset(["{{c.account-a.vpcCidr}}", "{{c.consumer-payments.vpcCidr}}", "{{c.consumer-orders.vpcCidr}}", "{{c.consumer-billing.vpcCidr}}", "{{accountB.vpcCidr}}"])
    error_message = "B's endpoint admits every consumer's CIDR, and B's."
  }
  assert {
    condition     = alltrue([for cidr in ["{{c.account-a.vpcCidr}}", "{{c.consumer-payments.vpcCidr}}", "{{c.consumer-orders.vpcCidr}}", "{{c.consumer-billing.vpcCidr}}"] : contains(jsondecode(aws_api_gateway_rest_api_policy.rest-api_policy.policy).Statement[2].Condition.NotIpAddress["aws:VpcSourceIp"], cidr)])
    error_message = "B's resource policy admits every consumer's CIDR."
  }
}

run "second_deploy_accepts_each_request_once_and_routes_each_cidr" {
  state_key = "account-b"

  assert {
    condition     = { for key, a in aws_vpc_peering_connection_accepter.peering_accepter : key => a.vpc_peering_connection_id } == { "account-a" = "pcx-000000000000000a", "consumer-payments" = "pcx-00000000000000b1", "consumer-orders" = "pcx-00000000000000c2", "consumer-billing" = "pcx-00000000000000c3" }
    error_message = "Each consumer's request is accepted once, under the consumer's key; the unrelated request is not."
  }
  assert {
    condition     = { for key, r in aws_route.peering_route-1 : key => [r.destination_cidr_block, r.vpc_peering_connection_id] } == { "account-a" = ["{{c.account-a.vpcCidr}}", "pcx-000000000000000a"], "consumer-payments" = ["{{c.consumer-payments.vpcCidr}}", "pcx-00000000000000b1"], "consumer-orders" = ["{{c.consumer-orders.vpcCidr}}", "pcx-00000000000000c2"], "consumer-billing" = ["{{c.consumer-billing.vpcCidr}}", "pcx-00000000000000c3"] }
    error_message = "Each consumer's CIDR is routed through its own peering."
  }
  assert {
    condition     = local.peering_matches["consumer-orders"] == tolist(["pcx-00000000000000c2"]) && local.peering_matches["consumer-billing"] == tolist(["pcx-00000000000000c3"])
    error_message = "Orders and billing share an account and region: their VPC ids tell their requests apart (and from the unrelated one)."
  }
}

run "a_consumer_removed_from_the_configuration_loses_its_acceptance_and_routes" {
  state_key = "account-b"
  # The same state, applied with account-b as synthesized without billing.
  module {
    source = "./tests/consumer-removed"
  }

  assert {
    condition     = toset(keys(aws_vpc_peering_connection_accepter.peering_accepter)) == toset(["account-a", "consumer-payments", "consumer-orders"]) && toset(keys(aws_route.peering_route-1)) == toset(["account-a", "consumer-payments", "consumer-orders"])
    error_message = "B's next deploy removes billing's acceptance and routes and keeps the others."
  }
  assert {
    condition     = !contains(keys(aws_vpc_security_group_ingress_rule.execute-api_https-from-allowed-cidrs), "{{c.consumer-billing.vpcCidr}}")
    error_message = "B's endpoint no longer admits billing's CIDR."
  }
}
