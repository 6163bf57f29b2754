import { SecurityGroup } from "@cdktf/provider-aws/lib/security-group";
import { VpcEndpoint } from "@cdktf/provider-aws/lib/vpc-endpoint";
import { VpcEndpointPolicy } from "@cdktf/provider-aws/lib/vpc-endpoint-policy";
import { VpcSecurityGroupIngressRule } from "@cdktf/provider-aws/lib/vpc-security-group-ingress-rule";
import { TerraformIterator } from "cdktf";
import { Construct } from "constructs";
import { addCheckBlock } from "../terraform/check-block";
import { policyLocal } from "../terraform/policy-document";

export interface ExecuteApiEndpointProps {
  /** Prefix of names and `Name` tags. */
  readonly name: string;
  /** The endpoint service, `com.amazonaws.<region>.execute-api` (see `executeApiServiceName`). */
  readonly serviceName: string;
  /** VPC of the endpoint. */
  readonly vpcId: string;
  /** Subnets for the endpoint's network interfaces, one per availability zone. */
  readonly subnetIds: string[];
  /** Source CIDRs admitted on TCP 443 (a list token, one ingress rule each). */
  readonly allowedSourceCidrs: string[];
}

/**
 * The interface VPC endpoint for execute-api with private DNS on, and its security group, which
 * admits HTTPS from the allowed CIDRs only (no egress rule: the endpoint only answers).
 */
export class ExecuteApiEndpoint extends Construct {
  /** Id of the endpoint (`vpce-…`). */
  readonly vpcEndpointId: string;
  /** The endpoint's regional public DNS name (`vpce-….execute-api.<region>.vpce.amazonaws.com`). */
  readonly dnsName: string;
  /** Route 53 hosted zone id of that name, for alias records. */
  readonly hostedZoneId: string;
  /** Id of the endpoint's security group. */
  readonly securityGroupId: string;

  private readonly endpoint: VpcEndpoint;

  constructor(scope: Construct, id: string, props: ExecuteApiEndpointProps) {
    super(scope, id);
    const securityGroup = new SecurityGroup(this, "security-group", {
      name: `${props.name}-execute-api-endpoint`,
      description: "HTTPS to the execute-api endpoint from the allowed source CIDRs",
      vpcId: props.vpcId,
      tags: { Name: `${props.name}-execute-api-endpoint` },
    });
    const cidrs = TerraformIterator.fromList(props.allowedSourceCidrs);
    new VpcSecurityGroupIngressRule(this, "https-from-allowed-cidrs", {
      forEach: cidrs,
      securityGroupId: securityGroup.id,
      description: "HTTPS from an allowed source CIDR",
      ipProtocol: "tcp",
      fromPort: 443,
      toPort: 443,
      cidrIpv4: cidrs.value,
    });
    this.endpoint = new VpcEndpoint(this, "endpoint", {
      vpcId: props.vpcId,
      serviceName: props.serviceName,
      vpcEndpointType: "Interface",
      privateDnsEnabled: true,
      subnetIds: props.subnetIds,
      securityGroupIds: [securityGroup.id],
      tags: { Name: `${props.name}-execute-api` },
    });
    this.vpcEndpointId = this.endpoint.id;
    // Entry 0 is the regional name; the zonal entries would pin callers to one zone.
    this.dnsName = this.endpoint.dnsEntry.get(0).dnsName;
    this.hostedZoneId = this.endpoint.dnsEntry.get(0).hostedZoneId;
    this.securityGroupId = securityGroup.id;

    const live = "data.aws_vpc_endpoint.endpoint_state";
    addCheckBlock(this, "endpoint_available", {
      data: { type: "aws_vpc_endpoint", name: "endpoint_state", config: { id: this.endpoint.id } },
      assertions: [{
        condition: `\${${live}.state == "available" && ${live}.private_dns_enabled == true}`,
        errorMessage: `The execute-api endpoint \${try(${live}.id, "")} is \${try(coalesce(${live}.state, "unknown"), "unknown")}\${try(${live}.private_dns_enabled == true, false) ? "" : ", with private DNS off"}: callers in B's VPC cannot resolve the API's name to it, nor reach it. Wait while it is pending; otherwise deploy account-b again.`,
      }],
    });
  }

  /** Replaces the default full-access endpoint policy with one that only invokes `executionArn`. */
  allowOnlyInvoking(executionArn: string): void {
    const document = policyLocal(this, "policy-document", {
      Version: "2012-10-17",
      Statement: [{ Sid: "InvokeThisApiOnly", Effect: "Allow", Principal: "*", Action: "execute-api:Invoke", Resource: `${executionArn}/*` }],
    });
    new VpcEndpointPolicy(this, "policy", { vpcEndpointId: this.endpoint.id, policy: document.json });
  }
}
