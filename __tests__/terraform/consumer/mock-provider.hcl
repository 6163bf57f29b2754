# The mocked AWS provider of the consumer stack's Terraform tests: a healthy deployment, B's side
# included (the peering is active, the canary reaches the API by every method).
# Included by the test files ({{include mock-provider.hcl}}); a run overrides what it needs to.
mock_provider "aws" {
  alias = "{{consumer.providerAlias}}"

  mock_resource "aws_vpc" {
    defaults = { id = "{{a.vpcId}}" }
  }
  mock_data "aws_vpc" {
    defaults = {
      enable_dns_support   = true
      enable_dns_hostnames = true
      cidr_block_associations = [{ association_id = "vpc-cidr-assoc-0a", cidr_block = "{{consumer.vpcCidr}}", state = "associated" }]
    }
  }
  mock_data "aws_availability_zones" {
    defaults = { names = {{a.zoneNames}}, zone_ids = {{a.zoneIds}} }
  }
  # An existing VPC's client subnets, each associated with a configured route table.
  mock_data "aws_route_tables" {
    defaults = { ids = {{a.subnetRouteTableIds}} }
  }
  mock_resource "aws_vpc_peering_connection" {
    defaults = { id = "{{fixture.peeringId}}" }
  }
  mock_resource "aws_iam_role" {
    defaults = { arn = "arn:{{b.partition}}:iam::{{consumer.accountId}}:role/{{name}}-{{consumer.stackId}}-canary" }
  }
  mock_resource "aws_cloudwatch_log_group" {
    defaults = { arn = "arn:{{b.partition}}:logs:{{consumer.region}}:{{consumer.accountId}}:log-group:/aws/lambda/{{name}}-{{consumer.stackId}}-canary" }
  }
  # What the check blocks read live.
  mock_data "aws_vpc_peering_connection" {
    defaults = { id = "{{fixture.peeringId}}", status = "active" }
  }
  mock_data "aws_lambda_invocation" {
    defaults = { result = "{\"ok\":true,\"results\":[{\"method\":\"private-dns\",\"url\":\"https://{{fixture.apiId}}.{{b.apiDomain}}/{{api.stageName}}/pets\",\"ok\":true,\"status\":200,\"ms\":41}]}" }
  }
}

override_data {
  target = data.terraform_remote_state.cross-stack-reference-input-account-b
  values = {
    outputs = {{b.remoteStateOutputs}}
  }
}
