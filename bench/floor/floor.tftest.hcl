mock_provider "aws" {}

run "vpc" {
  assert {
    condition     = aws_vpc.vpc.cidr_block == "10.0.0.0/16"
    error_message = "the floor's VPC"
  }
}
