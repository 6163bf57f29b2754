# cases: existing-vpcs
# The route table each existing endpoint subnet uses (its own association, else the VPC's main
# table) must be one of accountB.existingVpc.routeTableIds, which get the routes to the consumers:
# one that is not stops the plan, naming the subnet and its table.

{{include mock-provider.hcl}}

{{b.cloudWatchSetting}}

override_data {
  target = data.aws_vpcs.peering_own-vpc
  values = { ids = [] }
}
override_data {
  target = data.aws_route_tables.network_existing-vpc-main-route-table
  values = { ids = ["rtb-0b0b0b0b0b0b0b0b2"] }
}

run "subnets_on_listed_tables_deploy_the_main_one_included" {
  # The first subnet is associated with a listed table; the second has no association of its own
  # and uses the VPC's main table, which is listed too.
  override_data {
    target = data.aws_route_tables.network_existing-subnet-1-route-table
    values = { ids = ["rtb-0b0b0b0b0b0b0b0b1"] }
  }
  override_data {
    target = data.aws_route_tables.network_existing-subnet-2-route-table
    values = { ids = [] }
  }
  # No request from A yet: B waits for it.
  expect_failures = [check.peering_accepted]
}

# Once deployed: a later plan reads the subnets' tables again, and stops on one that moved.
run "a_subnet_on_an_unlisted_main_table_stops_the_plan" {
  command = plan
  override_data {
    target = data.aws_route_tables.network_existing-vpc-main-route-table
    values = { ids = ["rtb-0b0b0b0b0b0b0b0b9"] }
  }
  override_data {
    target = data.aws_route_tables.network_existing-subnet-2-route-table
    values = { ids = [] }
  }
  expect_failures = [data.aws_route_tables.network_existing-subnet-2-route-table, check.peering_accepted]
}

run "a_subnet_associated_with_another_table_stops_the_plan" {
  command = plan
  override_data {
    target = data.aws_route_tables.network_existing-subnet-1-route-table
    values = { ids = ["rtb-0b0b0b0b0b0b0b0b8"] }
  }
  expect_failures = [data.aws_route_tables.network_existing-subnet-1-route-table, check.peering_accepted]
}
