import type { AccountRead } from "../../emulated/twin/read";

/**
 * What the emulated accounts answered after the rollout (docs/rollout.md) of config/example.json (B, A, B)
 * against the project's launcher: `readAccounts` of accounts A and B, recorded as JSON.
 */
export function recorded(): AccountRead[] {
  return JSON.parse(JSON.stringify(require("./recorded-example.json")));
}

/** Ids in the recording. */
export const IDS = {
  a: "111111111111",
  b: "222222222222",
  vpcA: "vpc-76c59b4fde0a853c8",
  vpcB: "vpc-c2a672264cf35f8b0",
  subnetA: "subnet-e24e8cf1d5e432663",
  canarySubnet: "subnet-5ad982922eae07489",
  subnetB: "subnet-3c2125fc30413574a",
  routeTableA: "rtb-ec54d9d5ccbdf807f",
  peering: "pcx-d93ad6b5bf4e040c3",
  endpoint: "vpce-d0e469b7f427c7a2c",
  api: "yqobmnuyjl",
  endpointAddresses: ["172.31.13.31", "172.31.16.186"],
  regionalName: "vpce-d0e469b7f427c7a2c-58e67f6f.execute-api.ap-northeast-1.vpce.amazonaws.com",
  apiHost: "yqobmnuyjl.execute-api.ap-northeast-1.amazonaws.com",
  canary: "private-apigw-account-a-canary",
} as const;
