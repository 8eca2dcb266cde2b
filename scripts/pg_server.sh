#!/usr/bin/env bash
# A throw-away PostgreSQL server for the tests: a new cluster in DIR, listening only on a Unix socket in DIR.
# Usage: scripts/pg_server.sh start DIR   (prints the postgresql:// URL to use)
#        scripts/pg_server.sh stop DIR    (stops it and removes DIR)
# Run as root it runs the server as the `postgres` user (PostgreSQL refuses to run as root).
set -euo pipefail
action="${1:?start or stop}"
dir="${2:?a folder for the cluster}"
bindir="$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1 || true)"
[ -n "$bindir" ] || bindir="$(dirname "$(command -v pg_ctl || echo /nonexistent/pg_ctl)")"
if [ ! -x "$bindir/pg_ctl" ]; then
  echo "PostgreSQL is not installed (no pg_ctl): run scripts/install.sh --test" >&2
  exit 1
fi
as_owner() {
  if [ "$(id -u)" = 0 ]; then su postgres -s /bin/bash -c "$*"; else bash -c "$*"; fi
}
case "$action" in
  start)
    mkdir -p "$dir"
    [ "$(id -u)" = 0 ] && chown postgres "$dir"
    as_owner "'$bindir/initdb' -D '$dir/data' --no-locale -E UTF8 -A trust -U postgres" >"$dir/initdb.log" 2>&1
    # No TCP at all; small memory; fsync off (a test cluster is thrown away).
    as_owner "'$bindir/pg_ctl' -D '$dir/data' -l '$dir/server.log' -w -t 60 start \
      -o \"-k '$dir' -c listen_addresses='' -c shared_buffers=32MB -c fsync=off -c max_connections=200\"" >/dev/null
    echo "postgresql://postgres@/postgres?host=$dir"
    ;;
  stop)
    if [ -d "$dir/data" ]; then
      as_owner "'$bindir/pg_ctl' -D '$dir/data' -m immediate -w stop" >/dev/null 2>&1 || true
    fi
    rm -rf "$dir"
    ;;
  *) echo "usage: $0 start|stop DIR" >&2; exit 1 ;;
esac
