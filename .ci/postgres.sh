#!/usr/bin/env bash
# A PostgreSQL on a loopback port: throwaway for the PostgreSQL-only tests (a fresh cluster on
# every start); with IIA_PG_KEEP=1 (the stack, the load benchmark) a cluster already in the
# data directory is started as it is, so its databases outlive a stop.
# Usage: .ci/postgres.sh start|stop [port]
set -euo pipefail
action=${1:-start}
port=${2:-54329}
data=${IIA_PG_DATA:-/tmp/iia-pg-$port}

pgbin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1 || true)
if [ -z "$pgbin" ]; then
  if [ "$(id -u)" = 0 ]; then
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null
  else
    sudo apt-get update -qq && sudo DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null
  fi
  pgbin=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1)
fi

# initdb and the server refuse to run as root: use the postgres account then.
as_owner() {
  if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

case "$action" in
  start)
    if [ -f "$data/postmaster.pid" ] && as_owner "$pgbin/pg_ctl" -D "$data" status >/dev/null 2>&1; then
      echo "PostgreSQL already running on port $port"; exit 0
    fi
    options="-p $port -k /tmp -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200"
    if [ -n "${IIA_PG_KEEP:-}" ] && [ -f "$data/PG_VERSION" ]; then
      as_owner "$pgbin/pg_ctl" -D "$data" -l "$data/server.log" -w -o "$options" start >/dev/null
      echo "PostgreSQL running (its data kept in $data): postgres://iia@127.0.0.1:$port/iia"
      exit 0
    fi
    rm -rf "$data"
    mkdir -p "$data"
    [ "$(id -u)" = 0 ] && chown postgres "$data"
    as_owner "$pgbin/initdb" -D "$data" -U iia -A trust --no-sync -E UTF8 >/dev/null
    as_owner "$pgbin/pg_ctl" -D "$data" -l "$data/server.log" -w -o "$options" start >/dev/null
    "$pgbin/createdb" -h 127.0.0.1 -p "$port" -U iia iia
    echo "PostgreSQL running: postgres://iia@127.0.0.1:$port/iia"
    ;;
  stop)
    as_owner "$pgbin/pg_ctl" -D "$data" -m fast stop >/dev/null 2>&1 || true
    ;;
esac
