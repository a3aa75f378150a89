#!/usr/bin/env bash
# Self-test of check-wasm.sh: a minimal valid module passes, and each violation is caught.
#   tests/check-wasm-selftest.sh
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
T="$(mktemp -d)"; trap 'rm -rf "$T"' EXIT

EXPORTS='(func $f0) (func $f1 (param i32) (result i32) i32.const 0)
  (func $f2 (param i32)) (func $f3 (param i32 i32 i32) (result i32) i32.const 0)
  (func $f4 (param i32 i32) (result i32) i32.const 0)
  (export "interface_version_8" (func $f0)) (export "allocate" (func $f1))
  (export "deallocate" (func $f2)) (export "instantiate" (func $f3))
  (export "execute" (func $f3)) (export "query" (func $f4)) (export "memory" (memory 0))'
IMPORT='(import "env" "db_read" (func (param i32) (result i32)))'

mk() { # name, wat body, extra wat2wasm flags
  printf '(module %s)\n' "$2" >"$T/$1.wat"
  wat2wasm ${3:-} "$T/$1.wat" -o "$T/$1.wasm"
}
expect() { # pass|fail, name
  if "$HERE/check-wasm.sh" "$T/$2.wasm" >"$T/out" 2>&1; then got=pass; else got=fail; fi
  if [ "$got" != "$1" ]; then echo "selftest: $2: expected $1, got $got"; cat "$T/out"; exit 1; fi
  echo "selftest: $2: $got as expected"
}

mk good "$IMPORT (memory 17) (table 2 2 funcref) $EXPORTS"
expect pass good
mk extra_export "$IMPORT (memory 17) $EXPORTS (global \$g i32 (i32.const 0)) (export \"__heap_base\" (global \$g))"
expect fail extra_export
mk missing_export "(memory 17) (func \$f0) (export \"interface_version_8\" (func \$f0)) (export \"memory\" (memory 0))"
expect fail missing_export
mk bad_import "(import \"env\" \"gas\" (func (param i32))) (memory 17) $EXPORTS"
expect fail bad_import
mk bad_module "(import \"wasi\" \"db_read\" (func (param i32) (result i32))) (memory 17) $EXPORTS"
expect fail bad_module
mk memory_max "(memory 17 100) $EXPORTS"
expect fail memory_max
mk memory_big "(memory 513) $EXPORTS"
expect fail memory_big
mk table_no_max "(memory 17) (table 2 funcref) $EXPORTS"
expect fail table_no_max
mk bulk "(memory 17) $EXPORTS (func (memory.fill (i32.const 0) (i32.const 0) (i32.const 0)))"
expect fail bulk
mk bulk_copy "(memory 17) $EXPORTS (func (memory.copy (i32.const 0) (i32.const 0) (i32.const 0)))"
expect fail bulk_copy
mk sign_ext "(memory 17) $EXPORTS (func (drop (i32.extend8_s (i32.const 0))))"
expect fail sign_ext
echo "selftest: all cases OK"
