import { synthProject } from "./project";

/** What AWS gives the example's resources once deployed: the values the synthesized policies refer to. */
export const DEPLOYED = {
  region: "ap-northeast-1",
  /** Account B, which owns the API and the endpoint (config/example.json). */
  accountId: "222222222222",
  apiId: "a1b2c3d4e5",
  stage: "v1",
  /** B's execute-api endpoint. */
  vpcEndpointId: "vpce-0123456789abcdef0",
  /** The API's execution ARN. */
  executionArn: "arn:aws:execute-api:ap-northeast-1:222222222222:a1b2c3d4e5",
} as const;

/**
 * The example project's resource policy and endpoint policy as AWS stores them: the documents
 * account B's stack synthesizes (its locals), with each Terraform reference replaced by the value
 * it takes on apply, as `jsonencode` sends it. So these tests evaluate the stacks' own policies.
 */
export function deployedPolicies(): { resourcePolicy: Record<string, unknown>; endpointPolicy: Record<string, unknown>; allowedSourceCidrs: string[] } {
  const b = synthProject().b;
  const allowedSourceCidrs: string[] = b.variable.allowed_source_cidrs.default;
  const resolve = (document: unknown) =>
    JSON.parse(
      JSON.stringify(document)
        .split("${aws_api_gateway_rest_api.rest-api_api.execution_arn}")
        .join(DEPLOYED.executionArn)
        .split("${aws_vpc_endpoint.execute-api_endpoint.id}")
        .join(DEPLOYED.vpcEndpointId)
        .split('"${var.allowed_source_cidrs}"')
        .join(JSON.stringify(allowedSourceCidrs)),
    );
  const resourcePolicy = resolve(b.locals!["rest-api_policy-document"]);
  const endpointPolicy = resolve(b.locals!["execute-api_policy-document"]);
  // A reference left unresolved would make these tests pass or fail for the wrong reason.
  if (JSON.stringify([resourcePolicy, endpointPolicy]).includes("${")) throw new Error("a Terraform reference in the policies is not resolved");
  return { resourcePolicy, endpointPolicy, allowedSourceCidrs };
}
