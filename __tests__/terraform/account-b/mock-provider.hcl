# The mocked AWS provider of account B's Terraform tests: what AWS would answer on a second deploy.
# Included by the test files ({{include mock-provider.hcl}}); a run overrides what it needs to.
mock_provider "aws" {
  alias = "account_b"

  mock_resource "aws_vpc" {
    defaults = { id = "{{b.vpcId}}" }
  }
  mock_data "aws_vpc" {
    defaults = {
      enable_dns_support   = true
      enable_dns_hostnames = true
      cidr_block_associations = [{ association_id = "vpc-cidr-assoc-0b", cidr_block = "{{accountB.vpcCidr}}", state = "associated" }]
    }
  }
  mock_data "aws_availability_zones" {
    defaults = { names = {{b.zoneNames}}, zone_ids = {{b.zoneIds}} }
  }
  mock_data "aws_vpc_endpoint_service" {
    defaults = { availability_zones = {{b.zoneNames}} }
  }
  mock_data "aws_subnet" {
    defaults = { availability_zone = "{{b.zoneName.1}}" }
  }
  # An existing VPC's endpoint subnets, each associated with a configured route table.
  mock_data "aws_route_tables" {
    defaults = { ids = {{b.subnetRouteTableIds}} }
  }
  # A's request, as account B sees it.
  mock_data "aws_vpc_peering_connection" {
    defaults = {{a.requestDetails}}
  }
  mock_resource "aws_vpc_endpoint" {
    defaults = {
      id        = "{{fixture.vpceId}}"
      dns_entry = [{ dns_name = "{{fixture.endpointDnsName}}", hosted_zone_id = "{{fixture.endpointZoneId}}" }]
    }
  }
  mock_resource "aws_api_gateway_rest_api" {
    defaults = {
      id               = "{{fixture.apiId}}"
      root_resource_id = "root0b"
      execution_arn    = "arn:{{b.partition}}:execute-api:{{accountB.region}}:{{accountB.accountId}}:{{fixture.apiId}}"
    }
  }
  mock_resource "aws_cloudformation_stack" {
    defaults = { outputs = { RoleArn = "{{b.cloudWatchRolePrefix}}mock-Role-0123456789AB" } }
  }
  # The endpoint as the endpoint_available check reads it on a healthy deployment.
  mock_data "aws_vpc_endpoint" {
    defaults = { id = "{{fixture.vpceId}}", state = "available", private_dns_enabled = true }
  }
  mock_resource "aws_cloudwatch_log_group" {
    defaults = { arn = "arn:{{b.partition}}:logs:{{accountB.region}}:{{accountB.accountId}}:log-group:mock" }
  }
}
