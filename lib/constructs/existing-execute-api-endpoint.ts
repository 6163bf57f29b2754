import { DataAwsVpcEndpoint } from "@cdktf/provider-aws/lib/data-aws-vpc-endpoint";
import { SecurityGroup } from "@cdktf/provider-aws/lib/security-group";
import { VpcEndpointSecurityGroupAssociation } from "@cdktf/provider-aws/lib/vpc-endpoint-security-group-association";
import { VpcSecurityGroupIngressRule } from "@cdktf/provider-aws/lib/vpc-security-group-ingress-rule";
import { Fn, TerraformIterator, TerraformOutput } from "cdktf";
import { Construct } from "constructs";
import { addCheckBlock } from "../terraform/check-block";
import { ApiEndpoint, invokeOnlyStatement } from "./execute-api-endpoint";

export interface ExistingExecuteApiEndpointProps {
  /** Prefix of names and `Name` tags. */
  readonly name: string;
  /** The endpoint's id (`accountB.existingEndpoint.vpcEndpointId`). */
  readonly vpcEndpointId: string;
  /** The VPC it must be in (`accountB.existingVpc.vpcId`). */
  readonly vpcId: string;
  /** The endpoint service it must serve, `com.amazonaws.<region>.execute-api`. */
  readonly serviceName: string;
  /** Source CIDRs admitted on TCP 443 (a list token, one ingress rule each). */
  readonly allowedSourceCidrs: string[];
}

/**
 * B's VPC's own execute-api endpoint, used as it is: one per VPC is the norm, and its private DNS
 * and policy serve every other caller of the VPC, so the project changes neither. The plan stops
 * unless it is an available execute-api interface endpoint in the configured VPC. The project adds
 * a security group of its own to it (HTTPS from the allowed CIDRs; removed with the stack), and
 * says in an output and a check what the endpoint's policy must allow.
 */
export class ExistingExecuteApiEndpoint extends Construct implements ApiEndpoint {
  readonly vpcEndpointId: string;
  readonly dnsName: string;
  readonly hostedZoneId: string;
  /** The endpoint as read at every plan (its policy, its security groups). */
  readonly current: DataAwsVpcEndpoint;

  constructor(scope: Construct, id: string, private readonly props: ExistingExecuteApiEndpointProps) {
    super(scope, id);
    const key = "accountB.existingEndpoint.vpcEndpointId";
    this.current = new DataAwsVpcEndpoint(this, "existing", {
      id: props.vpcEndpointId,
      lifecycle: {
        postcondition: [
          { condition: `\${self.vpc_id == "${props.vpcId}"}`, errorMessage: `Endpoint ${props.vpcEndpointId} (${key}) is in VPC \${self.vpc_id}, not in accountB.existingVpc.vpcId ${props.vpcId}: name the endpoint of that VPC.` },
          { condition: `\${self.service_name == "${props.serviceName}" && self.vpc_endpoint_type == "Interface"}`, errorMessage: `Endpoint ${props.vpcEndpointId} (${key}) is a \${self.vpc_endpoint_type} endpoint for \${self.service_name}, not an Interface endpoint for ${props.serviceName}.` },
        ],
      },
    });
    this.vpcEndpointId = props.vpcEndpointId;
    // Entry 0 is the regional name; the zonal entries would pin callers to one zone.
    this.dnsName = this.current.dnsEntry.get(0).dnsName;
    this.hostedZoneId = this.current.dnsEntry.get(0).hostedZoneId;

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
    // Added beside the endpoint's own groups, not in their place (an endpoint holds up to 5).
    new VpcEndpointSecurityGroupAssociation(this, "security-group-association", { vpcEndpointId: props.vpcEndpointId, securityGroupId: securityGroup.id, replaceDefaultAssociation: false });

    const live = `data.${this.current.terraformResourceType}.${this.current.friendlyUniqueId}`;
    addCheckBlock(this, "endpoint_available", {
      assertions: [{
        condition: `\${${live}.state == "available"}`,
        errorMessage: `The execute-api endpoint ${props.vpcEndpointId} is \${try(coalesce(${live}.state, "unknown"), "unknown")}: no caller reaches the APIs through it. Its owner looks at it in the VPC console.`,
      }],
    });
  }

  /**
   * The endpoint's policy is its owner's: what it must allow is an output (`endpoint_policy_statement`),
   * which `npm run preflight -- --plan` and `npm run doctor` check against its current policy.
   */
  allowOnlyInvoking(executionArns: string[]): void {
    new TerraformOutput(this, "policy-statement", {
      value: Fn.jsonencode(invokeOnlyStatement(executionArns)),
      description: `The statement endpoint ${this.props.vpcEndpointId}'s policy must allow (besides what its other callers need): invoking each API of this project`,
    }).overrideLogicalId("endpoint_policy_statement");
  }
}
