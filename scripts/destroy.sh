#!/usr/bin/env bash
# Destroys account-a, then account-b: cdktf destroys in reverse dependency order (A reads B's
# state), and deleting A's request ends the peering before B's VPC goes.
# Usage: npm run destroy [-- --auto-approve]
set -euo pipefail
cd "$(dirname "$0")/.."
export CHECKPOINT_DISABLE=1
args=()
for arg in "$@"; do
  case "$arg" in
    --auto-approve) args+=(--auto-approve) ;;
    *) echo "destroy: unknown option $arg (expected --auto-approve)" >&2; exit 2 ;;
  esac
done
npx cdktf destroy account-a account-b ${args[@]+"${args[@]}"}
