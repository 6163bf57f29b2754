import { TerraformOutput, TerraformVariable } from "cdktf";
import { ExecuteApiEndpoint } from "../../lib/constructs/execute-api-endpoint";
import { synthConstruct } from "../helpers/synth-construct";

function synth(): any {
  return synthConstruct((scope) => {
      const cidrs = new TerraformVariable(scope, "cidrs", { type: "list(string)", default: ["10.0.0.0/16"] });
      const endpoint = new ExecuteApiEndpoint(scope, "endpoint", {
        name: "demo",
        serviceName: "com.amazonaws.eu-west-1.execute-api",
        vpcId: "vpc-1",
        subnetIds: ["subnet-1", "subnet-2"],
        allowedSourceCidrs: cidrs.listValue,
      });
      endpoint.allowOnlyInvoking(["arn:aws:execute-api:eu-west-1:222222222222:abc123"]);
  });
}

describe("ExecuteApiEndpoint", () => {
  test("is an interface endpoint for the execute-api service with private DNS on", () => {
    expect(Object.values(synth().resource.aws_vpc_endpoint)).toEqual([
      expect.objectContaining({
        service_name: "com.amazonaws.eu-west-1.execute-api",
        vpc_endpoint_type: "Interface",
        private_dns_enabled: true,
        subnet_ids: ["subnet-1", "subnet-2"],
        security_group_ids: ["${aws_security_group.endpoint_security-group.id}"],
      }),
    ]);
  });

  test("admits TCP 443 from each allowed CIDR and nothing else", () => {
    const json = synth();
    const group = Object.values(json.resource.aws_security_group)[0] as any;
    expect(group.ingress).toBeUndefined();
    expect(group.egress).toBeUndefined();
    const rules = Object.values(json.resource.aws_vpc_security_group_ingress_rule) as any[];
    expect(rules).toEqual([
      expect.objectContaining({ for_each: "${toset(var.cidrs)}", cidr_ipv4: "${each.value}", ip_protocol: "tcp", from_port: 443, to_port: 443 }),
    ]);
    expect(json.resource.aws_vpc_security_group_egress_rule).toBeUndefined();
  });

  test("exposes the regional DNS entry, not a zonal one", () => {
    const endpoint = synthConstruct((scope) => {
      const e = new ExecuteApiEndpoint(scope, "endpoint", { name: "d", serviceName: "com.amazonaws.eu-west-1.execute-api", vpcId: "v", subnetIds: ["s"], allowedSourceCidrs: ["10.0.0.0/16"] });
      new TerraformOutput(scope, "dns", { value: e.dnsName });
      new TerraformOutput(scope, "zone", { value: e.hostedZoneId });
    });
    expect(endpoint.output.dns.value).toBe("${aws_vpc_endpoint.endpoint_endpoint.dns_entry[0].dns_name}");
    expect(endpoint.output.zone.value).toBe("${aws_vpc_endpoint.endpoint_endpoint.dns_entry[0].hosted_zone_id}");
  });

  test("its policy allows only invoking the one API, each statement on lines of its own in the synthesized JSON", () => {
    const json = synth();
    expect((Object.values(json.resource.aws_vpc_endpoint_policy)[0] as any).policy).toBe("${jsonencode(local.endpoint_policy-document)}");
    expect(json.locals["endpoint_policy-document"]).toEqual({
      Version: "2012-10-17",
      Statement: [{ Sid: "InvokeThisApiOnly", Effect: "Allow", Principal: "*", Action: "execute-api:Invoke", Resource: "arn:aws:execute-api:eu-west-1:222222222222:abc123/*" }],
    });
  });
});
