#!/usr/bin/env bash
# Runs every test: the .NET suites (unit, storage on SQLite and PostgreSQL, the real gateway on
# loopback, lookups against the bundled GeoIP data, the shared counters in Redis) and, from within
# them, the official Anthropic and OpenAI SDKs against the gateway. Needs the .NET 10 SDK; installs
# Node.js with npm, Redis's server (the outage tests start and stop one of their own), and
# PostgreSQL's server unless GATEHOUSE_TEST_POSTGRES names a server to use, when missing (Debian).
# Ends with one line: "tests: N passed, N failed, N skipped".
set -euo pipefail
cd "$(dirname "$0")"

. scripts/prerequisites.sh
if [ -z "${GATEHOUSE_TEST_POSTGRES:-}" ]; then
  require_packages "$NODE" "$NPM" "$REDIS" "$POSTGRESQL"
else
  require_packages "$NODE" "$NPM" "$REDIS"
fi

(cd geoip && npm ci --no-audit --no-fund --loglevel=error)
(cd tests/sdk && npm ci --no-audit --no-fund --loglevel=error)

log=$(mktemp)
pg=""
redis=""
cleanup() {
  if [ -n "$redis" ]; then
    kill "$redis" 2>/dev/null || true
    wait "$redis" 2>/dev/null || true
    rm -rf "$redis_dir"
  fi
  if [ -n "$pg" ]; then
    (cd "$pg" && "${as_postgres[@]}" "$pgbin/pg_ctl" -D "$pg/data" -m immediate stop >/dev/null 2>&1) || true
    rm -rf "$pg"
  fi
  rm -f "$log"
}
trap cleanup EXIT

# A throwaway PostgreSQL on loopback for the storage and gateway tests, unless one is named.
if [ -z "${GATEHOUSE_TEST_POSTGRES:-}" ]; then
  pgbin=$(dirname "$(command -v initdb 2>/dev/null || ls -d /usr/lib/postgresql/*/bin/initdb 2>/dev/null | sort -V | tail -n 1 || true)")
  if [ ! -x "$pgbin/initdb" ]; then
    echo "PostgreSQL's initdb was not found: install it (Debian: apt-get install postgresql) or set GATEHOUSE_TEST_POSTGRES." >&2
    exit 1
  fi
  pg=$(mktemp -d)
  as_postgres=()
  if [ "$(id -u)" -eq 0 ]; then
    # The server refuses to run as root; the Debian package makes this user.
    chown postgres "$pg"
    as_postgres=(runuser -u postgres --)
  fi
  (cd "$pg" && "${as_postgres[@]}" "$pgbin/initdb" -D "$pg/data" -U gatehouse -A trust --no-sync >"$pg/initdb.log" 2>&1) ||
    { cat "$pg/initdb.log" >&2; exit 1; }
  # A port picked at random; another one if it turns out to be taken.
  for _ in 1 2 3 4 5 6 7 8 9 10; do
    port=$((20000 + RANDOM % 40000))
    if (cd "$pg" && "${as_postgres[@]}" "$pgbin/pg_ctl" -D "$pg/data" -l "$pg/server.log" -w -o \
      "-p $port -k $pg -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=200" start >/dev/null); then
      export GATEHOUSE_TEST_POSTGRES="Host=127.0.0.1;Port=$port;Username=gatehouse;Database=postgres"
      break
    fi
  done
  if [ -z "${GATEHOUSE_TEST_POSTGRES:-}" ]; then
    cat "$pg/server.log" >&2
    exit 1
  fi
fi

# A throwaway Redis on loopback for the shared-counter tests, unless one is named: no persistence,
# so nothing outlives the run.
if [ -z "${GATEHOUSE_TEST_REDIS:-}" ]; then
  redis_dir=$(mktemp -d)
  for _ in 1 2 3 4 5 6 7 8 9 10; do
    port=$((20000 + RANDOM % 40000))
    redis-server --port "$port" --bind 127.0.0.1 --save '' --appendonly no --dir "$redis_dir" >"$redis_dir/server.log" 2>&1 &
    redis=$!
    # Up when the port answers; another port if the server exited (the port was taken).
    for _ in $(seq 50); do
      if ! kill -0 "$redis" 2>/dev/null; then break; fi
      if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
        export GATEHOUSE_TEST_REDIS="127.0.0.1:$port"
        break 2
      fi
      sleep 0.1
    done
    kill "$redis" 2>/dev/null || true
    wait "$redis" 2>/dev/null || true
    redis=""
  done
  if [ -z "${GATEHOUSE_TEST_REDIS:-}" ]; then
    cat "$redis_dir/server.log" >&2
    rm -rf "$redis_dir"
    exit 1
  fi
fi

status=0
# pipefail (above) makes a failing dotnet test fail the pipeline, not just tee.
dotnet test Gatehouse.slnx "$@" 2>&1 | tee "$log" || status=$?

# One summary line per test assembly: "Passed!  - Failed: 0, Passed: 51, Skipped: 0, Total: 51, ..."
read -r passed failed skipped < <(grep -E '^(Passed|Failed)! +- Failed: ' "$log" |
  sed -E 's/.*Failed: +([0-9]+), Passed: +([0-9]+), Skipped: +([0-9]+).*/\2 \1 \3/' |
  awk '{p += $1; f += $2; s += $3} END {print p + 0, f + 0, s + 0}')
assemblies=$(grep -cE '^(Passed|Failed)! +- Failed: ' "$log" || true)
if [ "$status" -ne 0 ] && [ "$failed" -eq 0 ]; then
  echo "dotnet test failed before all tests could report ($assemblies test assemblies reported)." >&2
fi
echo "tests: $passed passed, $failed failed, $skipped skipped"
exit "$status"
