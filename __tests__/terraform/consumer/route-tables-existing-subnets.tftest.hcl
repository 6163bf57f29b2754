# cases: existing-vpcs
# The route table each existing client subnet uses (its own association, else the VPC's main
# table) must be one of the consumer's existingVpc.routeTableIds, which get the route to B: one
# that is not stops the plan, naming the subnet and its table.

{{include mock-provider.hcl}}

override_data {
  target = data.aws_route_tables.network_existing-vpc-main-route-table
  values = { ids = ["rtb-0a0a0a0a0a0a0a0a2"] }
}

run "subnets_on_listed_tables_deploy_the_main_one_included" {
  override_data {
    target = data.aws_route_tables.network_existing-subnet-1-route-table
    values = { ids = ["rtb-0a0a0a0a0a0a0a0a1"] }
  }
  override_data {
    target = data.aws_route_tables.network_existing-subnet-2-route-table
    values = { ids = [] }
  }
}

# Once deployed: a later plan reads the subnets' tables again, and stops on one that moved.
run "a_subnet_on_an_unlisted_main_table_stops_the_plan" {
  command = plan
  override_data {
    target = data.aws_route_tables.network_existing-vpc-main-route-table
    values = { ids = ["rtb-0a0a0a0a0a0a0a0a9"] }
  }
  override_data {
    target = data.aws_route_tables.network_existing-subnet-1-route-table
    values = { ids = [] }
  }
  expect_failures = [data.aws_route_tables.network_existing-subnet-1-route-table]
}

run "a_subnet_associated_with_another_table_stops_the_plan" {
  command = plan
  override_data {
    target = data.aws_route_tables.network_existing-subnet-2-route-table
    values = { ids = ["rtb-0a0a0a0a0a0a0a0a8"] }
  }
  expect_failures = [data.aws_route_tables.network_existing-subnet-2-route-table]
}
