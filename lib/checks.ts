/**
 * The Terraform check blocks of the stacks: what each one watches on the live deployment, at which
 * hop of the path, and what to do when it fails. The stacks name their check blocks with these
 * ids; `npm run doctor` reads their results and shows these hops and fixes.
 */
export interface CheckInfo {
  /** The stack kind it belongs to: every consumer stack (account-a and others), or account-b. */
  readonly stack: "consumer" | "account-b";
  /** The hop of the path, as preflight names them. */
  readonly hop: string;
  /**
   * An account-b check about some consumers, named in its message: the doctor shows its failure
   * in those consumers' reports only. @default false (about every consumer)
   */
  readonly namesConsumers?: boolean;
  /** What holds when it passes. */
  readonly title: string;
  /** What to do when it fails. */
  readonly fix: string;
}

export const CHECKS = {
  peering_active: {
    stack: "consumer",
    hop: "3 Peering",
    title: "the consumer's peering request is active",
    fix: "pending-acceptance: deploy account-b (within 7 days of the request); expired, rejected, deleted or failed: deploy the consumer stack (a new request), then account-b within 7 days.",
  },
  canary_reaches_api: {
    stack: "consumer",
    hop: "8 End to end",
    title: "the canary in the consumer's subnets reaches the API by every access method",
    fix: "Look at the hop named for each failed method (dns: the consumer's private hosted zone; connect or timeout: routes, network ACLs, peering or B's security group; tls: the host name; status 403: the resource or endpoint policy; body: the stage serves an old deployment).",
  },
  peering_accepted: {
    stack: "account-b",
    hop: "3 Peering",
    namesConsumers: true,
    title: "B found each consumer's request into its VPC and accepted it",
    fix: "Deploy the consumer stack named (it requests the peering), then account-b again (it accepts it); npm run deploy does both.",
  },
  peering_unambiguous: {
    stack: "account-b",
    hop: "3 Peering",
    namesConsumers: true,
    title: "B can tell each consumer's peering request from the other requests into its VPC",
    fix: "Delete (or reject, in account B) the requests that are not the consumer's, or name its VPC (existingVpc.vpcId), then deploy account-b. The other consumers are accepted meanwhile.",
  },
  no_expired_requests: {
    stack: "account-b",
    hop: "3 Peering",
    namesConsumers: true,
    title: "no consumer is left with only an expired, rejected or failed request",
    fix: "Deploy the consumer stack again (Terraform replaces the dead request with a new one), then account-b within 7 days.",
  },
  endpoint_available: {
    stack: "account-b",
    hop: "6 B: endpoint",
    title: "B's execute-api endpoint is available with private DNS on",
    fix: "Wait while it is pending; if it failed or private DNS is off, deploy account-b again and look at the endpoint in the VPC console.",
  },
} as const satisfies Record<string, CheckInfo>;

/** A check block's id. */
export type CheckId = keyof typeof CHECKS;

/** The hop each class of canary error points to (the canary's `error` is `<class>: <detail>`). */
export const CANARY_ERROR_HOPS: Record<string, string> = {
  dns: "5 A: private DNS (the consumer's private hosted zone of the API's name)",
  connect: "2/3/4/6: routes, peering or B's endpoint security group",
  timeout: "2/3/4/6: routes, peering or B's endpoint security group (a blackholed route never answers)",
  tls: "the host name: the Host header, or a name the endpoint's certificate does not cover",
  status: "7 B: API (403: the resource policy or the endpoint policy; other codes: the stage or route)",
  body: "7 B: API: the stage serves an old deployment (redeploy account-b)",
};
