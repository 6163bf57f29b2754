# cases: two-apis
# A consumer reaches every API of B: a private hosted zone per API in its own VPC, each aliasing
# B's endpoint, and the calls of each API as outputs.

{{include mock-provider.hcl}}

run "a_zone_per_api" {
  assert {
    condition     = aws_route53_zone.api-dns-orders_zone.name == "{{fixture.apiId}}.{{b.apiDomain}}" && aws_route53_zone.api-dns-ledger_zone.name == "a1l2e3d4g5.{{b.apiDomain}}"
    error_message = "Each API's name has a private hosted zone in the consumer's VPC: the created one's id from B's state, the existing one's from the configuration."
  }
  assert {
    condition     = alltrue([for r in [aws_route53_record.api-dns-orders_alias, aws_route53_record.api-dns-ledger_alias] : r.type == "A" && [for t in r.alias : t.name] == ["{{fixture.endpointDnsName}}"]])
    error_message = "Each zone's apex aliases B's endpoint."
  }
  assert {
    condition     = output.api_calls["ledger"].curl_host_header == "curl -s -H 'Host: a1l2e3d4g5.{{b.apiDomain}}' https://{{fixture.endpointDnsName}}/prod/ping"
    error_message = "The calls of each API are outputs, on its probe."
  }
}
