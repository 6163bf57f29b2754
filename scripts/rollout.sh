#!/usr/bin/env bash
# npm run deploy / npm run destroy [-- --auto-approve]
#
# deploy: every stack, in the order the peering needs:
#   1. all stacks ('*'): cdktf deploys account-b first (every consumer depends on its outputs),
#      then every consumer (account-a, consumer-<name>...) in parallel: each creates its VPC (or
#      uses its own), requests the peering, routes B's CIDR and resolves the API's name.
#      B's look-up found no request on its own first deploy.
#   2. account-b again: B finds each consumer's request, accepts it and routes its CIDR.
#   After that, deploying any stack again changes nothing.
# destroy: every consumer in parallel, then account-b (cdktf destroys in reverse dependency
#   order; deleting a consumer's request ends its peering before B's VPC goes).
set -euo pipefail
cd "$(dirname "$0")/.."
export CHECKPOINT_DISABLE=1
action="${1:-}"
shift || true
args=()
for arg in "$@"; do
  case "$arg" in
    --auto-approve) args+=(--auto-approve) ;;
    *) echo "$action: unknown option $arg (expected --auto-approve)" >&2; exit 2 ;;
  esac
done
case "$action" in
  deploy)
    echo "==> 1/2: account-b, then every consumer stack"
    npx cdktf deploy '*' ${args[@]+"${args[@]}"}
    echo "==> 2/2: account-b again, to accept the consumers' peering requests"
    npx cdktf deploy account-b ${args[@]+"${args[@]}"}
    ;;
  destroy)
    npx cdktf destroy '*' ${args[@]+"${args[@]}"}
    ;;
  *)
    echo "usage: scripts/rollout.sh deploy|destroy [--auto-approve]" >&2
    exit 2
    ;;
esac
