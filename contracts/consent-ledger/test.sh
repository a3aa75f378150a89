#!/usr/bin/env bash
# Every check of the contract, as CI runs it: reproducible rebuild against the committed
# checksum (which also runs check-wasm.sh), host tests, the wasm through the raw ABI, and the
# self-test of the wasm checker.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")"
./build.sh --check
RUSTC=/usr/bin/rustc /usr/bin/cargo test --locked --quiet
node tests/wasm-smoke.mjs
tests/check-wasm-selftest.sh
