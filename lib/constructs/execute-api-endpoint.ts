import { SecurityGroup } from "@cdktf/provider-aws/lib/security-group";
import { VpcEndpoint } from "@cdktf/provider-aws/lib/vpc-endpoint";
import { VpcEndpointPolicy } from "@cdktf/provider-aws/lib/vpc-endpoint-policy";
import { VpcSecurityGroupIngressRule } from "@cdktf/provider-aws/lib/vpc-security-group-ingress-rule";
import { DataAwsNetworkInterface } from "@cdktf/provider-aws/lib/data-aws-network-interface";
import { DataAwsNetworkInterfaces } from "@cdktf/provider-aws/lib/data-aws-network-interfaces";
import { DataAwsVpcEndpoint } from "@cdktf/provider-aws/lib/data-aws-vpc-endpoint";
import { TerraformIterator, TerraformLocal } from "cdktf";
import { hclExpression } from "../terraform/hcl";
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
  /**
   * The VPC is the user's (`existingVpc`): the plan stops when it already has an execute-api
   * endpoint with private DNS on, which AWS refuses a second of ("conflicting DNS domain"), naming
   * it and the setting that uses it instead. @default - a new VPC, which has none
   */
  readonly existingVpc?: { readonly vpcId: string; readonly setting: string };
  /** Tags the stack puts on every resource (its provider's default tags): they tell this stack's own endpoint from others. */
  readonly ownTags?: Record<string, string>;
}

/** What the APIs and the consumers need of B's execute-api endpoint, created or existing. */
export interface ApiEndpoint {
  /** Id of the endpoint (`vpce-…`). */
  readonly vpcEndpointId: string;
  /** The endpoint's regional public DNS name (`vpce-….execute-api.<region>.vpce.amazonaws.com`). */
  readonly dnsName: string;
  /** Route 53 hosted zone id of that name, for alias records. */
  readonly hostedZoneId: string;
  /** Lets the endpoint invoke these APIs (`arn:…:execute-api:<region>:<account>:<api-id>`) and nothing else, or says what its policy must allow. */
  allowOnlyInvoking(executionArns: string[]): void;
}

/** The endpoint policy statement that lets callers through the endpoint invoke these APIs and nothing else. */
export function invokeOnlyStatement(executionArns: string[]): Record<string, unknown> {
  const resources = executionArns.map((arn) => `${arn}/*`);
  // One API: a string, as the endpoint's policy had before there could be several.
  return { Sid: "InvokeThisApiOnly", Effect: "Allow", Principal: "*", Action: "execute-api:Invoke", Resource: resources.length === 1 ? resources[0] : resources };
}

/**
 * The interface VPC endpoint for execute-api with private DNS on, and its security group, which
 * admits HTTPS from the allowed CIDRs only (no egress rule: the endpoint only answers).
 */
export class ExecuteApiEndpoint extends Construct implements ApiEndpoint {
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
    const conflicts = props.existingVpc ? this.privateDnsConflicts(props.existingVpc.vpcId, props.serviceName, props.ownTags ?? {}) : undefined;
    this.endpoint = new VpcEndpoint(this, "endpoint", {
      vpcId: props.vpcId,
      serviceName: props.serviceName,
      vpcEndpointType: "Interface",
      privateDnsEnabled: true,
      subnetIds: props.subnetIds,
      securityGroupIds: [securityGroup.id],
      tags: { Name: `${props.name}-execute-api` },
      lifecycle: conflicts && props.existingVpc ? {
        precondition: [{
          condition: `\${length(${conflicts}) == 0}`,
          errorMessage: `VPC ${props.existingVpc.vpcId} already has an execute-api endpoint with private DNS on (\${join(", ", ${conflicts})}), and AWS allows one per VPC ("conflicting DNS domain"): set ${props.existingVpc.setting.replace(/existingVpc$/, "existingEndpoint")} = { "vpcEndpointId": "\${try(${conflicts}[0], "")}" } to reach the APIs through it.`,
        }],
      } : undefined,
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

  /** Replaces the default full-access endpoint policy with one that only invokes these APIs. */
  allowOnlyInvoking(executionArns: string[]): void {
    const document = policyLocal(this, "policy-document", { Version: "2012-10-17", Statement: [invokeOnlyStatement(executionArns)] });
    new VpcEndpointPolicy(this, "policy", { vpcEndpointId: this.endpoint.id, policy: document.json });
  }

  /**
   * The execute-api endpoints with private DNS on that `vpcId` already has, other than this
   * stack's own (`ownTags`), as a Terraform expression (a list of ids): found through the VPC's
   * endpoint network interfaces, whose description names their endpoint ("VPC Endpoint Interface
   * vpce-…"), since no data source lists a VPC's endpoints.
   */
  private privateDnsConflicts(vpcId: string, serviceName: string, ownTags: Record<string, string>): string {
    const interfaces = new DataAwsNetworkInterfaces(this, "vpc-endpoint-interfaces", {
      filter: [{ name: "vpc-id", values: [vpcId] }, { name: "interface-type", values: ["vpc_endpoint"] }],
    });
    const eachInterface = TerraformIterator.fromList(interfaces.ids);
    const described = new DataAwsNetworkInterface(this, "vpc-endpoint-interface", { forEach: eachInterface, id: eachInterface.value });
    // A local, not an expression written into for_each: cdktf wraps a raw "${...}" there once more.
    const endpointIds = new TerraformLocal(this, "vpc-endpoint-ids", `\${compact([for i in data.${described.terraformResourceType}.${described.friendlyUniqueId} : try(regex("vpce-[0-9a-f]+", i.description), "")])}`);
    const found = new DataAwsVpcEndpoint(this, "vpc-endpoint", { forEach: TerraformIterator.fromList(endpointIds.asList), id: "${each.value}" });
    const own = Object.entries(ownTags).map(([key, value]) => `lookup(e.tags, ${hclExpression(key)}, "") == ${hclExpression(value)}`).join(" && ") || "false";
    return `[for e in data.${found.terraformResourceType}.${found.friendlyUniqueId} : e.id if e.service_name == ${hclExpression(serviceName)} && e.private_dns_enabled && !(${own})]`;
  }
}
