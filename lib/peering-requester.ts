import { Consumer } from "./config/consumers";
import { Config } from "./config/schema";
import { PeeringRequester } from "./constructs/peering-acceptance";
import { CONSUMER_TAG_KEY, peeringAccepterTags } from "./stack/tags";

/**
 * How account B recognizes a consumer's peering request: by its account and region; by its VPC
 * when the configuration names it; and, from B's own account and region, by the tag the request
 * carries (requester tags are visible to the accepter only in its own account; B does not count on
 * them across regions). The configuration refuses consumers that share an account and region
 * without VPC ids, which B could not tell apart.
 */
export function peeringRequester(config: Config, { stackId, setting, account }: Consumer): PeeringRequester {
  const b = config.accountB;
  const sameAccount = account.accountId === b.accountId;
  return {
    key: stackId,
    setting,
    accountId: account.accountId,
    region: account.region,
    cidr: account.vpcCidr,
    vpcId: account.existingVpc?.vpcId,
    requestTag: sameAccount && account.region === b.region ? { key: CONSUMER_TAG_KEY, value: `${config.name}/${stackId}` } : undefined,
    accepterTags: peeringAccepterTags(config, stackId, sameAccount),
  };
}
