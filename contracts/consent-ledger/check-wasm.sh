#!/usr/bin/env bash
# Static checks that wasmd / the CosmWasm VM will accept the contract (wabt's wasm-objdump):
# - exports: exactly interface_version_8, allocate, deallocate, instantiate, execute, query, memory
# - imports: only functions from the standard `env` set (no imported memory/table/global)
# - exactly one memory, no maximum, <= 512 initial pages; at most one table, with a maximum
# - no bulk-memory instructions (memory.copy/fill/init, data.drop, table.copy/init, elem.drop)
#   and no sign-extension instructions (build.sh disables both)
#
#   ./check-wasm.sh [path/to/contract.wasm]     (default: artifacts/consent_ledger.wasm)
set -euo pipefail

WASM="${1:-$(dirname "${BASH_SOURCE[0]}")/artifacts/consent_ledger.wasm}"
command -v wasm-objdump >/dev/null || { echo "check-wasm: wasm-objdump missing (apt-get install wabt)" >&2; exit 1; }
[ -f "$WASM" ] || { echo "check-wasm: no such file: $WASM" >&2; exit 1; }

FAIL=0
fail() { echo "check-wasm: FAIL: $*" >&2; FAIL=1; }

HEADERS="$(wasm-objdump -x "$WASM")"
section() { # lines of one section of `wasm-objdump -x`
  printf '%s\n' "$HEADERS" | awk -v s="$1" '/^[A-Z][A-Za-z]*(\[[0-9]+\])?:$/ { on = ($0 ~ "^" s "(\\[|:)") ; next } on && /^ - / { print }'
}

# Exports.
EXPORTS="$(section Export | sed -n 's/.* -> "\(.*\)"$/\1/p' | sort)"
WANT_EXPORTS="$(printf '%s\n' allocate deallocate execute instantiate interface_version_8 memory query | sort)"
if [ "$EXPORTS" != "$WANT_EXPORTS" ]; then
  fail "exports are [$(echo $EXPORTS)], expected exactly [$(echo $WANT_EXPORTS)]"
fi

# Imports.
ALLOWED=" db_read db_write db_remove db_scan db_next addr_validate addr_canonicalize addr_humanize \
secp256k1_verify secp256k1_recover_pubkey ed25519_verify ed25519_batch_verify debug query_chain abort \
bls12_381_aggregate_g1 bls12_381_aggregate_g2 bls12_381_pairing_equality bls12_381_hash_to_g1 \
bls12_381_hash_to_g2 secp256r1_verify secp256r1_recover_pubkey "
while IFS= read -r line; do
  [ -n "$line" ] || continue
  kind="$(echo "$line" | sed -n 's/^ - \([a-z]*\)\[.*/\1/p')"
  src="$(echo "$line" | sed -n 's/.* <- \(.*\)$/\1/p')"
  module="${src%%.*}"; field="${src#*.}"
  if [ "$kind" != func ]; then fail "imported $kind: $line"; continue; fi
  if [ "$module" != env ] || [[ "$ALLOWED" != *" $field "* ]]; then fail "import $src is not in the standard env set"; fi
done <<<"$(section Import)"

# Memory.
MEMS="$(section Memory)"
if [ "$(printf '%s\n' "$MEMS" | grep -c 'memory\[')" != 1 ]; then
  fail "expected exactly one memory, got: ${MEMS:-none}"
else
  case "$MEMS" in *max=*) fail "memory has a maximum: $MEMS" ;; esac
  INITIAL="$(printf '%s\n' "$MEMS" | sed -n 's/.*initial=\([0-9]*\).*/\1/p')"
  if [ -z "$INITIAL" ] || [ "$INITIAL" -gt 512 ]; then fail "memory initial pages ${INITIAL:-?} > 512"; fi
fi

# Tables.
TABLES="$(section Table)"
NTABLES="$(printf '%s\n' "$TABLES" | grep -c 'table\[' || true)"
if [ "$NTABLES" -gt 1 ]; then fail "more than one table: $TABLES"; fi
if [ "$NTABLES" = 1 ]; then
  case "$TABLES" in *max=*) ;; *) fail "table has no maximum: $TABLES" ;; esac
fi

# Instructions.
FORBIDDEN='memory\.(copy|fill|init)|data\.drop|table\.(copy|init)|elem\.drop|i(32|64)\.extend(8|16|32)_s'
BAD="$(wasm-objdump -d "$WASM" | grep -Eo "\b($FORBIDDEN)\b" | sort | uniq -c || true)"
if [ -n "$BAD" ]; then fail "forbidden instructions:"$'\n'"$BAD"; fi

if [ "$FAIL" != 0 ]; then exit 1; fi
echo "check-wasm: OK: $WASM ($(wc -c <"$WASM") bytes; exports: $(echo $EXPORTS); imports: $(section Import | sed -n 's/.* <- env\.//p' | tr '\n' ' '); memory initial=$INITIAL pages; tables=$NTABLES)"
