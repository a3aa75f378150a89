#!/usr/bin/env bash
# Reproducible build of the consent-ledger contract with Debian's toolchain (offline).
#
#   ./build.sh           build, write artifacts/consent_ledger.wasm + artifacts/checksums.txt
#   ./build.sh --check   rebuild in a temporary directory and fail if the sha256 differs from
#                        the committed artifacts/checksums.txt (CI); artifacts are not touched
#
# Needs: apt-get install rustc cargo libstd-rust-dev-wasm32 librust-serde-dev
#        librust-serde-derive-dev librust-serde-json-dev wabt
# Debian's rustc is used explicitly: a rustup toolchain earlier on PATH has no wasm32 target
# (and a different compiler would give a different binary anyway).
set -euo pipefail

MODE=build
case "${1:-}" in
  "") ;;
  --check) MODE=check ;;
  *) echo "usage: $0 [--check]" >&2; exit 2 ;;
esac

CRATE_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
cd "$CRATE_DIR"

export RUSTC="${RUSTC:-/usr/bin/rustc}"
CARGO="${CARGO:-/usr/bin/cargo}"
for tool in "$RUSTC" "$CARGO" wasm2wat wat2wasm wasm-objdump sha256sum; do
  command -v "$tool" >/dev/null || { echo "build.sh: missing $tool (see header for apt packages)" >&2; exit 1; }
done
if [ ! -d /usr/lib/rustlib/wasm32-unknown-unknown ]; then
  echo "build.sh: no wasm32 std for $RUSTC (apt-get install libstd-rust-dev-wasm32)" >&2; exit 1
fi

# Nothing from the caller's environment may change the output.
unset CARGO_BUILD_RUSTFLAGS CARGO_ENCODED_RUSTFLAGS CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUSTFLAGS RUSTC_WRAPPER
export LC_ALL=C CARGO_INCREMENTAL=0
CARGO_HOME_DIR="${CARGO_HOME:-$HOME/.cargo}"
# Paths that end up in panic messages are remapped so the wasm does not depend on where the
# checkout (or cargo home) lives. Bulk-memory and sign-ext are disabled explicitly: the
# CosmWasm VM rejects bulk-memory (rustc 1.63 does not emit either by default anyway).
export RUSTFLAGS="--remap-path-prefix=$CRATE_DIR=/build/consent-ledger \
--remap-path-prefix=$CARGO_HOME_DIR=/build/cargo-home \
--remap-path-prefix=/usr/share/cargo/registry=/build/registry \
-C target-feature=-bulk-memory,-sign-ext"

if [ "$MODE" = check ]; then
  WORK="$(mktemp -d)"
  trap 'rm -rf "$WORK"' EXIT
  export CARGO_TARGET_DIR="$WORK/target"
  OUT="$WORK/consent_ledger.wasm"
else
  export CARGO_TARGET_DIR="$CRATE_DIR/target"
  mkdir -p artifacts
  OUT="$CRATE_DIR/artifacts/consent_ledger.wasm"
fi

"$CARGO" build --release --locked --target wasm32-unknown-unknown
RAW="$CARGO_TARGET_DIR/wasm32-unknown-unknown/release/consent_ledger.wasm"

# rustc 1.63 always exports the linker symbols __data_end and __heap_base (newer rustc no
# longer does). The VM needs only our exports, so drop those two via a wabt round trip
# (which also re-encodes LEB128s minimally; deterministic for a given wabt version).
wasm2wat "$RAW" | grep -Ev '^ *\(export "__(data_end|heap_base)" ' | wat2wasm - -o "$OUT"

"$CRATE_DIR/check-wasm.sh" "$OUT"

SUM="$(sha256sum "$OUT" | cut -d' ' -f1)"
SIZE="$(wc -c <"$OUT")"
if [ "$MODE" = check ]; then
  WANT="$(awk '$2 == "consent_ledger.wasm" { print $1 }' artifacts/checksums.txt 2>/dev/null || true)"
  if [ -z "$WANT" ]; then
    echo "build.sh --check: artifacts/checksums.txt has no entry for consent_ledger.wasm" >&2; exit 1
  fi
  if [ "$SUM" != "$WANT" ]; then
    echo "build.sh --check: FAILED: rebuilt wasm has sha256 $SUM, committed checksum is $WANT." >&2
    echo "  The committed artifact is stale or the build is not reproducible: run ./build.sh and commit artifacts/." >&2
    exit 1
  fi
  if [ -f artifacts/consent_ledger.wasm ] && ! echo "$WANT  artifacts/consent_ledger.wasm" | sha256sum -c --quiet -; then
    echo "build.sh --check: FAILED: artifacts/consent_ledger.wasm does not match artifacts/checksums.txt" >&2; exit 1
  fi
  echo "build.sh --check: OK: sha256 $SUM ($SIZE bytes) matches artifacts/checksums.txt"
else
  (cd artifacts && sha256sum consent_ledger.wasm >checksums.txt)
  echo "built artifacts/consent_ledger.wasm: $SIZE bytes, sha256 $SUM"
fi
