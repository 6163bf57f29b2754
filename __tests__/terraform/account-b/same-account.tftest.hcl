# cases: same-account
# A and B in one account, with another peering of B's VPC in that account, from the same region:
# B must accept A's request only, tell it apart by the tag A's request carries (the accepter sees
# its own account's tags), and tag the connection exactly as A does so that neither stack undoes
# the other's tags on the next deploy.

{{include mock-provider.hcl}}

{{b.cloudWatchSetting}}

override_data {
  target = data.aws_vpcs.peering_own-vpc
  values = { ids = ["{{b.vpcId}}"] }
}
override_data {
  target = data.aws_vpc_peering_connections.peering_requests
  values = { ids = ["pcx-0000000000000bad", "{{fixture.peeringId}}"] }
}
# The unrelated peering: same account, same region, another VPC, none of A's tags.
override_data {
  target = data.aws_vpc_peering_connection.peering_request["pcx-0000000000000bad"]
  values = { owner_id = "{{accountA.accountId}}", region = "{{accountA.region}}", vpc_id = "vpc-0ccccccccccccccc0", tags = { Name = "shared-services" } }
}
override_data {
  target = data.aws_vpc_peering_connection.peering_request["{{fixture.peeringId}}"]
  values = {{a.requestDetails}}
}
override_data {
  target = data.aws_vpc_peering_connections.peering_active
  values = { ids = ["pcx-0000000000000bad", "{{fixture.peeringId}}"] }
}

run "second_deploy_accepts_only_account_a_request" {
  assert {
    condition     = keys(aws_vpc_peering_connection_accepter.peering_accepter) == ["account-a"] && aws_vpc_peering_connection_accepter.peering_accepter["account-a"].vpc_peering_connection_id == "{{fixture.peeringId}}"
    error_message = "B must accept A's request and not the other peering of its VPC."
  }
  assert {
    condition     = keys(local.peering_matches) == ["account-a"] && local.peering_matches["account-a"] == tolist(["{{fixture.peeringId}}"])
    error_message = "Only A's request may match account-a (the other peering has no account-a tag)."
  }
  assert {
    condition     = keys(aws_route.peering_route-1) == ["account-a"] && aws_route.peering_route-1["account-a"].destination_cidr_block == "{{accountA.vpcCidr}}"
    error_message = "B routes A's CIDR only."
  }
}

run "accepter_tags_equal_the_requester_tags" {
  command = plan

  assert {
    condition     = merge(tomap({{b.defaultTags}}), aws_vpc_peering_connection_accepter.peering_accepter["account-a"].tags) == tomap({{a.effectiveRequestTags}})
    error_message = "B's provider default tags plus the accepter's tags must be exactly A's tags on the request (A's default tags included), or each deploy undoes the other."
  }
}
