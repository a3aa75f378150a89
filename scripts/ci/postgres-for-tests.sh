#!/usr/bin/env bash
# Makes the PostgreSQL server the test suite's second pass uses reachable on 127.0.0.1:5432 with
# trust auth for user `postgres`. Debian's default cluster uses peer (socket) and scram (TCP)
# auth, which the throw-away test databases cannot use. Only for a test machine: trust on
# loopback lets any local user in.
set -euo pipefail
version=$(ls /etc/postgresql 2>/dev/null | sort -V | tail -n 1)
if [ -z "$version" ]; then
  echo "postgres-for-tests: no cluster under /etc/postgresql (is the postgresql package installed?)" >&2
  exit 1
fi
conf="/etc/postgresql/$version/main"
hba="$conf/pg_hba.conf"
marker='# consentome-tests: trust on loopback'
if ! grep -qF "$marker" "$hba"; then
  # First match wins in pg_hba.conf: put the test rules above Debian's defaults.
  tmp=$(mktemp)
  {
    echo "$marker"
    echo 'host    all    all    127.0.0.1/32    trust'
    echo 'host    all    all    ::1/128         trust'
    cat "$hba"
  } >"$tmp"
  cat "$tmp" >"$hba" && rm -f "$tmp"
  changed=1
fi
# Throw-away databases per test file: allow more than the default 100 connections.
grep -qE "^max_connections *= *300" "$conf/postgresql.conf" || {
  echo "max_connections = 300" >>"$conf/postgresql.conf"
  changed=1
}
if pg_isready -h 127.0.0.1 -p 5432 -q; then
  [ -z "${changed:-}" ] || pg_ctlcluster --skip-systemctl-redirect "$version" main restart
else
  pg_ctlcluster --skip-systemctl-redirect "$version" main start
fi
for _ in $(seq 1 30); do pg_isready -h 127.0.0.1 -p 5432 -q && break; sleep 1; done
pg_isready -h 127.0.0.1 -p 5432
psql -h 127.0.0.1 -U postgres -Atc 'select 1' >/dev/null
echo "postgres-for-tests: PostgreSQL $version on 127.0.0.1:5432, trust for loopback"
