#!/usr/bin/env bash
# npm run deploy / npm run destroy [-- --auto-approve]
#
# deploy: both accounts in the order the peering needs:
#   1. account-b, then account-a (cdktf orders them by their dependency, whatever the command line
#      says): B's API and endpoint, then A's VPC, peering request, routes and private DNS.
#      A's request is now pending: B's look-up found nothing on its first deploy.
#   2. account-b again: B finds A's request, accepts it and routes A's CIDR through it.
#   After that, deploying either stack again changes nothing.
# destroy: account-a, then account-b (cdktf destroys in reverse dependency order; deleting A's
#   request ends the peering before B's VPC goes).
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
    echo "==> 1/2: account-b, then account-a"
    npx cdktf deploy account-b account-a ${args[@]+"${args[@]}"}
    echo "==> 2/2: account-b again, to accept account-a's peering request"
    npx cdktf deploy account-b ${args[@]+"${args[@]}"}
    ;;
  destroy)
    npx cdktf destroy account-a account-b ${args[@]+"${args[@]}"}
    ;;
  *)
    echo "usage: scripts/rollout.sh deploy|destroy [--auto-approve]" >&2
    exit 2
    ;;
esac
