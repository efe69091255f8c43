#!/usr/bin/env bash
# Starts a throwaway Debian PostgreSQL 15 and runs `deno task migrate` against it twice: the schema must
# apply on stock PostgreSQL 15, and a second run must change nothing.
set -euo pipefail
bin=/usr/lib/postgresql/15/bin
dir=$(mktemp -d /tmp/roleferry-pg15.XXXXXX)
chmod 755 "$dir"
run_pg() { if [[ $(id -u) == 0 ]]; then runuser -u postgres -- "$@"; else "$@"; fi; }
[[ $(id -u) == 0 ]] && chown postgres "$dir"
port=$(( 20000 + RANDOM % 20000 ))
run_pg "$bin/initdb" -D "$dir/data" -U postgres --auth=trust >/dev/null
run_pg "$bin/pg_ctl" -D "$dir/data" -o "-p $port -k $dir -c listen_addresses=127.0.0.1" -l "$dir/log" -w start >/dev/null
trap 'run_pg "$bin/pg_ctl" -D "$dir/data" -m fast stop >/dev/null; rm -rf "$dir"' EXIT
psql -h 127.0.0.1 -p "$port" -U postgres -qc "create database roleferry" postgres
url="postgres://postgres@127.0.0.1:$port/roleferry"
DATABASE_URL=$url deno task migrate
second=$(DATABASE_URL=$url deno task migrate)
echo "$second"
grep -q "nothing to apply" <<<"$second" || { echo "second migrate run was not a no-op"; exit 1; }
echo "PostgreSQL 15: schema applied, second run a no-op"
