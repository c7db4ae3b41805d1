#!/usr/bin/env bash
# Starts a throwaway PostgreSQL and Redis for the tests (CI and local runs), idempotently: a
# service already answering on its port is left alone. Prints the URLs the tests read, as lines
# that `eval "$(scripts/local-services.sh)"` or `.ci/run` can export:
#   RTM_TEST_DATABASE_URL=postgres://postgres@127.0.0.1:<port>/postgres
#   RTM_TEST_REDIS_URL=redis://127.0.0.1:<port>
# Everything else (progress, logs) goes to stderr so stdout stays eval-able.
#
# Env: RTM_SERVICES_DIR (default /tmp/rtm-local-services: data, sockets, logs — never the project's
# data dir), RTM_PG_PORT (default 55432, not 5432 so a system cluster is never touched),
# RTM_REDIS_PORT (default 56379).
set -euo pipefail

dir=${RTM_SERVICES_DIR:-/tmp/rtm-local-services}
pg_port=${RTM_PG_PORT:-55432}
redis_port=${RTM_REDIS_PORT:-56379}
pg_data="$dir/pg-$pg_port"
mkdir -p "$dir"

log() { echo "local-services: $*" >&2; }

# Debian keeps the server binaries out of PATH, per major version; take the newest.
pg_bin() {
  if command -v pg_config >/dev/null && [[ -x "$(pg_config --bindir)/initdb" ]]; then
    pg_config --bindir
    return
  fi
  local newest
  newest=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
  [[ -n "$newest" && -x "$newest/initdb" ]] || { log "no PostgreSQL server binaries (apt-get install postgresql)"; exit 1; }
  echo "$newest"
}

# PostgreSQL refuses to run as root: as root, run its tools as the postgres user.
as_pg() {
  if [[ $(id -u) -eq 0 ]]; then
    runuser -u postgres -- "$@"
  else
    "$@"
  fi
}

start_postgres() {
  local bin
  bin=$(pg_bin)
  if "$bin/pg_isready" -q -h 127.0.0.1 -p "$pg_port"; then
    log "PostgreSQL already answers on port $pg_port"
    return
  fi
  if [[ ! -f "$pg_data/PG_VERSION" ]]; then
    log "initdb $pg_data"
    mkdir -p "$pg_data"
    [[ $(id -u) -eq 0 ]] && chown postgres: "$dir" "$pg_data"
    # Trust auth: only loopback and the socket in $dir can reach it, and it holds test data only.
    as_pg "$bin/initdb" -D "$pg_data" -U postgres -A trust -E UTF8 --no-locale >"$dir/initdb-$pg_port.log" 2>&1 \
      || { cat "$dir/initdb-$pg_port.log" >&2; exit 1; }
  fi
  log "starting PostgreSQL on 127.0.0.1:$pg_port"
  # fsync off: a crashed test cluster is thrown away anyway, and the suite creates many databases.
  as_pg "$bin/pg_ctl" -D "$pg_data" -l "$dir/pg-$pg_port.log" -w -t 60 \
    -o "-p $pg_port -k $dir -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=200" start >&2 \
    || { cat "$dir/pg-$pg_port.log" >&2; exit 1; }
}

start_redis() {
  if command -v redis-cli >/dev/null && redis-cli -p "$redis_port" ping >/dev/null 2>&1; then
    log "Redis already answers on port $redis_port"
    return
  fi
  command -v redis-server >/dev/null || { log "no redis-server (apt-get install redis-server)"; exit 1; }
  log "starting Redis on 127.0.0.1:$redis_port"
  redis-server --daemonize yes --port "$redis_port" --bind 127.0.0.1 --save '' --appendonly no \
    --dir "$dir" --pidfile "$dir/redis-$redis_port.pid" --logfile "$dir/redis-$redis_port.log"
  for _ in $(seq 50); do
    redis-cli -p "$redis_port" ping >/dev/null 2>&1 && return
    sleep 0.1
  done
  log "Redis did not answer on port $redis_port"; cat "$dir/redis-$redis_port.log" >&2; exit 1
}

start_postgres
start_redis
echo "RTM_TEST_DATABASE_URL=postgres://postgres@127.0.0.1:$pg_port/postgres"
echo "RTM_TEST_REDIS_URL=redis://127.0.0.1:$redis_port"
