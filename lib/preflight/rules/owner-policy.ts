import { admits, type Admission } from "../../policy";
import { ApiFacts, endpointOf } from "../facts";
import { literal, ProjectModel } from "../model";

/**
 * What an existing API's own resource policy (its owner's, as B's plan or the live deployment read
 * it) admits of `sourceCidr` through `sourceVpce`; undefined when there is no reading yet (a synth).
 */
export function ownerPolicyAdmits(model: ProjectModel, api: ApiFacts, sourceCidr: string, sourceVpce?: string): Admission | { unreadable: string } | undefined {
  const live = api.api.instances?.[0];
  if (!live) return undefined;
  const endpoint = endpointOf(model);
  const vpce = sourceVpce ?? (endpoint ? literal(model, "account-b", `\${${endpoint.address}.id}`) ?? endpoint.instances?.[0]?.id : undefined);
  if (!vpce) return { unreadable: "B's endpoint id is not known yet" };
  if (!live.policy) return { unreadable: "the API has no resource policy (a private API without one denies every call)" };
  try {
    return admits({ resourcePolicy: live.policy }, { sourceCidr, sourceVpce: vpce, resource: `${live.execution_arn}/stage/GET/` });
  } catch (error) {
    return { unreadable: (error as Error).message.split("\n")[0] };
  }
}
