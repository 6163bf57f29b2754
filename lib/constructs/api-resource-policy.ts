/**
 * The resource policy of a private API reached through one endpoint, as AWS documents it (API
 * Gateway developer guide, "Create a private API": allow invoking, deny unless aws:SourceVpce is
 * the endpoint), and narrowed to the callers' own addresses: B's stack attaches it, and for an
 * API its owner manages, it is the statements the owner must add.
 */
export interface ApiResourcePolicyProps {
  /** `arn:…:execute-api:<region>:<account>:<api-id>`. */
  readonly executionArn: string;
  /** The endpoint the API is reached through, the only one admitted. */
  readonly vpcEndpointId: string;
  /** The callers' private source ranges (`aws:VpcSourceIp`). */
  readonly allowedSourceCidrs: string[] | string;
}

/** The policy document (plain data; its values may be Terraform references). */
export function apiResourcePolicy(props: ApiResourcePolicyProps) {
  // `${execution_arn}/*` rather than `execute-api:/*`: API Gateway stores the expanded ARN, and
  // the short form would show a diff on every plan (terraform-provider-aws #20811).
  const resource = `${props.executionArn}/*`;
  return {
    Version: "2012-10-17",
    Statement: [
      { Sid: "AllowInvoke", Effect: "Allow", Principal: "*", Action: "execute-api:Invoke", Resource: resource },
      {
        Sid: "DenyOtherEndpoints",
        Effect: "Deny",
        Principal: "*",
        Action: "execute-api:Invoke",
        Resource: resource,
        Condition: { StringNotEquals: { "aws:SourceVpce": props.vpcEndpointId } },
      },
      {
        // aws:SourceVpc would name B's VPC for A's callers too; the caller's own address is
        // what tells them apart (peering does no NAT).
        Sid: "DenyOtherSourceRanges",
        Effect: "Deny",
        Principal: "*",
        Action: "execute-api:Invoke",
        Resource: resource,
        Condition: { NotIpAddress: { "aws:VpcSourceIp": props.allowedSourceCidrs } },
      },
    ],
  };
}
