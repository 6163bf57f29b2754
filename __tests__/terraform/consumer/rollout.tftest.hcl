# cases: example, cross-region, existing-vpcs, same-account, many-consumers
# A consumer's deploy (account A's, or another consumer's) on a mocked AWS provider, with B's outputs given as B's remote state.
# scripts/terraform-test.ts fills in the double-brace placeholders from the configuration under test and B's outputs.

{{include mock-provider.hcl}}

run "consumer_deploy" {
  assert {
    condition     = aws_vpc_peering_connection.peering_connection.peer_vpc_id == "{{b.vpcId}}" && aws_vpc_peering_connection.peering_connection.vpc_id == "{{a.vpcId}}"
    error_message = "The peering must connect A's VPC to B's VPC."
  }
  assert {
    condition     = aws_vpc_peering_connection.peering_connection.peer_owner_id == "{{accountB.accountId}}" && aws_vpc_peering_connection.peering_connection.peer_region == "{{accountB.region}}"
    error_message = "The peering request must go to account {{accountB.accountId}} in {{accountB.region}}."
  }
  assert {
    condition     = aws_vpc_peering_connection.peering_connection.tags == tomap({{a.requestTags}})
    error_message = "The request must carry the tags account B tells it apart by in one account, and mirrors."
  }
  assert {
    condition     = aws_vpc_peering_connection.peering_connection.auto_accept != true
    error_message = "Account A must not try to accept its own cross-account request."
  }
  assert {
    condition     = aws_route.peering_route-{{each.a.routeTable}}.destination_cidr_block == "{{accountB.vpcCidr}}" && aws_route.peering_route-{{each.a.routeTable}}.vpc_peering_connection_id == "{{fixture.peeringId}}"
    error_message = "Client route table {{each.a.routeTable}} must route {{accountB.vpcCidr}} through the peering."
  }
  assert {
    condition     = aws_route53_zone.api-dns_zone.name == "{{fixture.apiId}}.{{b.apiDomain}}"
    error_message = "The private hosted zone must be named after the API in B's region."
  }
  assert {
    condition     = [for v in aws_route53_zone.api-dns_zone.vpc : [v.vpc_id, v.vpc_region]] == [["{{a.vpcId}}", "{{consumer.region}}"]]
    error_message = "The private hosted zone must be associated with A's VPC."
  }
  assert {
    condition     = aws_route53_record.api-dns_alias.type == "A" && aws_route53_record.api-dns_alias.name == "{{fixture.apiId}}.{{b.apiDomain}}" && aws_route53_record.api-dns_alias.zone_id == aws_route53_zone.api-dns_zone.zone_id
    error_message = "The zone's apex must hold the A alias record."
  }
  assert {
    condition     = [for t in aws_route53_record.api-dns_alias.alias : [t.name, t.zone_id, t.evaluate_target_health]] == [["{{fixture.endpointDnsName}}", "{{fixture.endpointZoneId}}", false]]
    error_message = "The alias must target B's endpoint regional DNS name and its hosted zone."
  }
  assert {
    condition     = output.curl_host_header == "curl -s -H 'Host: {{fixture.apiId}}.{{b.apiDomain}}' https://{{fixture.endpointDnsName}}/{{api.stageName}}/pets"
    error_message = "curl_host_header must call the endpoint's DNS name with the API's Host header."
  }
  assert {
    condition     = output.curl_api_id_header == "curl -s -H 'x-apigw-api-id: {{fixture.apiId}}' https://{{fixture.endpointDnsName}}/{{api.stageName}}/pets"
    error_message = "curl_api_id_header must call the endpoint's DNS name with the x-apigw-api-id header."
  }
  assert {
    condition     = output.curl_private_dns == "curl -s https://{{fixture.apiId}}.{{b.apiDomain}}/{{api.stageName}}/pets" && output.invoke_url == "https://{{fixture.apiId}}.{{b.apiDomain}}/{{api.stageName}}/pets"
    error_message = "curl_private_dns and invoke_url must use the API's own name."
  }
  assert {
    condition     = output.curl_endpoint_alias == "curl -s https://{{fixture.apiId}}-{{fixture.vpceId}}.{{b.apiDomain}}/{{api.stageName}}/pets"
    error_message = "curl_endpoint_alias must use the <api-id>-<vpce-id> name."
  }
}
