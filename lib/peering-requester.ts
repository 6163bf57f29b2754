import { AccountKey, Config } from "./config/schema";
import { PeeringRequester } from "./constructs/peering-acceptance";
import { CONSUMER_TAG_KEY, peeringAccepterTags } from "./tags";

/**
 * How account B recognizes the peering request of the consumer stack `stackId`, configured at
 * `setting`: by its account and region; by its VPC when the configuration names it; and, from
 * B's own account and region, by the tag the request carries (requester tags are visible to the
 * accepter only in its own account; B does not count on them across regions).
 */
export function peeringRequester(config: Config, stackId: string, setting: AccountKey): PeeringRequester {
  const consumer = config[setting];
  const b = config.accountB;
  const sameAccount = consumer.accountId === b.accountId;
  return {
    key: stackId,
    setting,
    accountId: consumer.accountId,
    region: consumer.region,
    cidr: consumer.vpcCidr,
    vpcId: consumer.existingVpc?.vpcId,
    requestTag: sameAccount && consumer.region === b.region ? { key: CONSUMER_TAG_KEY, value: `${config.name}/${stackId}` } : undefined,
    accepterTags: peeringAccepterTags(config, stackId, sameAccount),
  };
}
