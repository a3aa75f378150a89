#!/usr/bin/env bash
# Runs a command with a fresh wasmd localnet: builds wasmd if it is missing, starts
# scripts/chain/localnet.mjs in the background with a temp home and free ports, waits for its
# chain.env, exports it (CHAIN_RPC_URL, CHAIN_MNEMONIC, CONSENT_CONTRACT_ADDRESS, WASMD_BIN, …) so
# the command's tests run against the real chain too, and stops the localnet when the command ends.
#
# Usage: scripts/chain/with-localnet.sh <command> [args…]
# With CHAIN_RPC_URL already set, the command runs against that chain and no localnet is started.
# CHAIN_LOCALNET=off runs the command without a chain (embedded chain only).
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"

if [ -n "${CHAIN_RPC_URL:-}" ] || [ "${CHAIN_LOCALNET:-}" = "off" ]; then
  exec "$@"
fi

wasmd_bin="$(bash "$root/scripts/chain/build-wasmd.sh")"
home="$(mktemp -d "${TMPDIR:-/tmp}/consentome-localnet-XXXXXX")"
WASMD_BIN="$wasmd_bin" node "$root/scripts/chain/localnet.mjs" --home "$home" --port-base auto \
  >"$home/localnet.out" 2>&1 &
localnet=$!

stop_localnet() {
  if kill -0 "$localnet" 2>/dev/null; then
    kill -TERM "$localnet" 2>/dev/null || true
    wait "$localnet" 2>/dev/null || true
  fi
  rm -rf "$home"
}
trap stop_localnet EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

for _ in $(seq 1 900); do
  [ -f "$home/chain.env" ] && break
  if ! kill -0 "$localnet" 2>/dev/null; then
    echo "with-localnet: the localnet failed to start:" >&2
    cat "$home/localnet.out" >&2
    exit 1
  fi
  sleep 0.2
done
[ -f "$home/chain.env" ] || { cat "$home/localnet.out" >&2; echo "with-localnet: no chain.env after 180 s" >&2; exit 1; }

set -a
# shellcheck disable=SC1091
. "$home/chain.env"
set +a
echo "with-localnet: wasmd localnet $CHAIN_ID at $CHAIN_RPC_URL, contract $CONSENT_CONTRACT_ADDRESS (home $home)" >&2
# Not exec: the trap must stop the localnet when the command ends.
status=0
"$@" || status=$?
exit "$status"
