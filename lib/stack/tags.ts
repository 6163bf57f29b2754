import { Config } from "../config/schema";

/** Tag on account B's VPC by which B's stack finds its own VPC on later deploys. */
export const VPC_LOOKUP_TAG_KEY = "private-apigw:api-vpc";

/**
 * Tag on a consumer's peering request naming the stack that made it. Account B can see it only
 * when the request comes from its own account and region (requester tags are per account), which
 * is where B needs it: to tell A's request from the other peerings of B's VPC in that account.
 */
export const CONSUMER_TAG_KEY = "private-apigw:consumer";

/** The default tags of a stack's provider: on every resource the stack creates. */
export function stackDefaultTags(config: Config, stackId: string): Record<string, string> {
  return { Project: config.name, Stack: stackId, ManagedBy: "cdktf", ...config.tags };
}

/** Tags of a consumer's peering request (besides its provider's default tags). */
export function peeringRequestTags(config: Config, stackId: string): Record<string, string> {
  return { Name: `${config.name}-to-account-b`, Side: "requester", [CONSUMER_TAG_KEY]: `${config.name}/${stackId}` };
}

/**
 * Tags account B's accepter sets on a consumer's peering. Across accounts each side tags its own
 * view of the connection. In one account both resources manage the same tags, so the accepter
 * asks for exactly the requester's, default tags included (its `Stack` overrides B's default), and
 * neither undoes the other on the next deploy.
 */
export function peeringAccepterTags(config: Config, stackId: string, sameAccount: boolean): Record<string, string> {
  if (sameAccount) return { ...stackDefaultTags(config, stackId), ...peeringRequestTags(config, stackId) };
  return { Name: `${config.name}-from-${stackId}`, Side: "accepter" };
}
