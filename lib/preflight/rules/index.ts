import { Rule } from "../rule";
import { aRouteToB } from "./a-route-to-b";
import { aVpcDns } from "./a-vpc-dns";
import { apiPrivateAssociated } from "./api-private-associated";
import { bRouteToA } from "./b-route-to-a";
import { cidrsDisjoint } from "./cidrs-disjoint";
import { endpointHttpsFromA } from "./endpoint-https-from-a";
import { endpointPolicyAllowsApis } from "./endpoint-policy-allows-apis";
import { endpointPrivateDns } from "./endpoint-private-dns";
import { peeringAccepted } from "./peering-accepted";
import { peeringRequestTarget } from "./peering-request-target";
import { phzAlias } from "./phz-alias";
import { phzName } from "./phz-name";
import { policySourceIp } from "./policy-source-ip";
import { policySourceVpce } from "./policy-source-vpce";
import { redeployOnPolicyChange } from "./redeploy-on-policy-change";

/** The rules in the order of the path: client VPC in A, peering, B's endpoint, the API. */
export const RULES: Rule[] = [
  aVpcDns,
  aRouteToB,
  cidrsDisjoint,
  peeringRequestTarget,
  peeringAccepted,
  bRouteToA,
  phzName,
  phzAlias,
  endpointPrivateDns,
  endpointHttpsFromA,
  endpointPolicyAllowsApis,
  apiPrivateAssociated,
  policySourceVpce,
  policySourceIp,
  redeployOnPolicyChange,
];
