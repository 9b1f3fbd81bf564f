#!/usr/bin/env bash
# Loopback load test: the same request against an nginx stub upstream directly, through a bare
# YARP proxy, and through Gatehouse. Every process it starts is stopped on exit. All traffic
# stays on 127.0.0.1. See README.md beside this file.
set -euo pipefail

DURATION=${DURATION:-10}        # seconds measured per target
# Seconds of discarded load before each measurement. Tiered compilation needs this long on two
# busy cores: after 3 s Gatehouse still spent ~10% of its CPU in the JIT and measured ~0.75x.
WARMUP=${WARMUP:-10}
CONNECTIONS=${CONNECTIONS:-32}
THREADS=${THREADS:-2}
TARGET_RATIO=0.8                # Gatehouse must keep at least this share of bare-proxy throughput

for setting in DURATION WARMUP CONNECTIONS THREADS; do
  if ! [[ ${!setting} =~ ^[1-9][0-9]*$ ]]; then
    echo "run.sh: $setting must be a positive whole number, not '${!setting}'" >&2
    exit 2
  fi
done

repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
out=${OUT_DIR:-$repo/bench/load/out}
mkdir -p "$out"
work=$(mktemp -d /tmp/gatehouse-load.XXXXXX)
# nginx workers run unprivileged and must reach their temp folders inside.
chmod 755 "$work"
pids=()

cleanup() {
  local status=$?
  for pid in "${pids[@]}"; do
    kill "$pid" 2>/dev/null || true
  done
  for pid in "${pids[@]}"; do
    wait "$pid" 2>/dev/null || true
  done
  if [[ $status -ne 0 ]]; then
    for log in "$work"/*.log; do
      [[ -s $log ]] && { echo "--- last lines of $(basename "$log")" >&2; tail -n 20 "$log" >&2; }
    done
  fi
  # A failed run keeps its folder: the messages above point into it.
  if [[ ${KEEP_WORK:-0} == 1 || $status -ne 0 ]]; then
    echo "Kept $work" >&2
  else
    rm -rf "$work"
  fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

log() { printf '==> %s\n' "$*" >&2; }
fail() { printf 'run.sh: %s\n' "$*" >&2; exit 1; }

# --- tools ---------------------------------------------------------------------------------

missing=()
command -v wrk >/dev/null || missing+=(wrk)
command -v nginx >/dev/null || [[ -x /usr/sbin/nginx ]] || missing+=(nginx)
command -v curl >/dev/null || missing+=(curl)
if [[ ${#missing[@]} -gt 0 ]]; then
  log "installing ${missing[*]}"
  # The package lists may be empty on a fresh machine; refresh them only then.
  if ! DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "${missing[@]}" >"$work/apt.log" 2>&1; then
    apt-get update -q >>"$work/apt.log" 2>&1
    DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "${missing[@]}" >>"$work/apt.log" 2>&1 \
      || fail "apt-get install ${missing[*]} failed; see $work/apt.log"
  fi
fi
nginx_bin=$(command -v nginx || echo /usr/sbin/nginx)

# Sets the named variable to a port nothing listens on; probing by connecting needs neither ss
# nor python. Not called in a subshell, so that the ports already handed out are remembered.
taken=()
free_port() {
  local port
  for _ in $(seq 1 200); do
    port=$((20000 + RANDOM % 20000))
    [[ " ${taken[*]} " == *" $port "* ]] && continue
    if ! (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
      taken+=("$port")
      printf -v "$1" '%s' "$port"
      return
    fi
  done
  fail "no free loopback port found"
}
free_port nginx_port
free_port bare_port
free_port gatehouse_port
free_port admin_port

# Waits until a command succeeds, for at most $1 seconds.
wait_for() {
  local seconds=$1 what=$2
  shift 2
  for _ in $(seq 1 $((seconds * 5))); do
    # A subshell, so that a check which fails by exiting only ends this attempt.
    if ( "$@" ) >/dev/null 2>&1; then return 0; fi
    sleep 0.2
  done
  fail "$what did not become ready within ${seconds}s"
}

# --- the request -----------------------------------------------------------------------------

request_body='{"model":"bench-model","max_tokens":16,"messages":[{"role":"user","content":"hi"}]}'
upstream_reply='{"id":"msg_bench","type":"message","role":"assistant","model":"bench-model","content":[{"type":"text","text":"hello"}],"stop_reason":"end_turn","stop_sequence":null,"usage":{"input_tokens":10,"output_tokens":1}}'

# Counts non-200 answers per thread and adds them up at the end, so a fast stream of errors
# can never pass for throughput.
cat >"$work/post.lua" <<LUA
wrk.method = "POST"
wrk.body = '$request_body'
wrk.headers["content-type"] = "application/json"
wrk.headers["anthropic-version"] = "2023-06-01"
wrk.headers["x-api-key"] = os.getenv("BENCH_KEY") or ""

local threads = {}
function setup(thread) table.insert(threads, thread) end
function init(args) non200 = 0 end
function response(status, headers, body)
  if status ~= 200 then non200 = non200 + 1 end
end
function done(summary, latency, requests)
  local total = 0
  for _, thread in ipairs(threads) do total = total + thread:get("non200") end
  io.write(string.format("non-200 responses: %d\n", total))
end
LUA

# Asserts one request answers 200 with the stub's exact body; prints the response headers.
check_once() {
  local url=$1 name=$2 headers body status
  headers="$work/check-headers"
  body=$(curl -sS -o - -D "$headers" -w '\n%{http_code}' -X POST "$url/v1/messages" \
    -H 'content-type: application/json' -H 'anthropic-version: 2023-06-01' -H "x-api-key: ${BENCH_KEY:-none}" \
    --data "$request_body") || fail "$name: request failed"
  status=${body##*$'\n'}
  body=${body%$'\n'*}
  [[ $status == 200 ]] || fail "$name answered $status: $body"
  [[ $body == "$upstream_reply" ]] || fail "$name answered 200 with an unexpected body: $body"
  cat "$headers"
}

# --- upstream stub: nginx ----------------------------------------------------------------------

log "starting nginx stub on 127.0.0.1:$nginx_port"
mkdir -p "$work/nginx"
cat >"$work/nginx/nginx.conf" <<NGINX
daemon off;
worker_processes 1;
pid $work/nginx/nginx.pid;
error_log $work/nginx.log warn;
events { worker_connections 1024; }
http {
  access_log off;
  client_body_temp_path $work/nginx/body;
  proxy_temp_path $work/nginx/proxy;
  fastcgi_temp_path $work/nginx/fastcgi;
  uwsgi_temp_path $work/nginx/uwsgi;
  scgi_temp_path $work/nginx/scgi;
  keepalive_requests 1000000;
  keepalive_timeout 120s;
  server {
    listen 127.0.0.1:$nginx_port;
    # nginx answers 405 to a POST for a static file, so the reply is a literal.
    location = /v1/messages {
      default_type application/json;
      return 200 '$upstream_reply';
    }
    location / { return 404; }
  }
}
NGINX
# -e: nginx opens its compiled-in error log before reading the configuration.
"$nginx_bin" -t -q -e "$work/nginx.log" -c "$work/nginx/nginx.conf" -p "$work/nginx" 2>>"$work/nginx.log" || fail "nginx rejected its configuration"
"$nginx_bin" -e "$work/nginx.log" -c "$work/nginx/nginx.conf" -p "$work/nginx" 2>>"$work/nginx.log" &
nginx_pid=$!
pids+=("$nginx_pid")
wait_for 10 nginx check_once "http://127.0.0.1:$nginx_port" nginx

# --- build both proxies ----------------------------------------------------------------------

log "building BareProxy and Gatehouse (Release)"
dotnet build -c Release "$repo/bench/BareProxy" -nologo -v q >"$work/build.log" 2>&1 || fail "BareProxy build failed; see $work/build.log"
dotnet build -c Release "$repo/src/Gatehouse.Host" -nologo -v q >>"$work/build.log" 2>&1 || fail "Gatehouse build failed; see $work/build.log"

# --- BareProxy -------------------------------------------------------------------------------

log "starting BareProxy on 127.0.0.1:$bare_port"
"$repo/bench/BareProxy/bin/Release/net10.0/BareProxy" \
  --upstream "http://127.0.0.1:$nginx_port" --urls "http://127.0.0.1:$bare_port" >"$work/bareproxy.log" 2>&1 &
bare_pid=$!
pids+=("$bare_pid")
wait_for 30 BareProxy check_once "http://127.0.0.1:$bare_port" BareProxy

# --- Gatehouse -------------------------------------------------------------------------------

log "starting Gatehouse on 127.0.0.1:$gatehouse_port (admin $admin_port)"
mkdir -p "$work/gatehouse"
cat >"$work/gatehouse/gatehouse.yaml" <<YAML
listeners:
  dataPlane: ["http://127.0.0.1:$gatehouse_port"]
  admin: ["http://127.0.0.1:$admin_port"]
storage:
  provider: sqlite
  path: gatehouse.db
models:
  - id: bench-model
    displayName: Bench model
    classification: open
endpoints:
  - {id: bench, model: bench-model, provider: anthropic, baseUrl: "http://127.0.0.1:$nginx_port", region: local, apiKeyEnv: BENCH_UPSTREAM_KEY}
YAML
BENCH_UPSTREAM_KEY=bench-upstream-key "$repo/src/Gatehouse.Host/bin/Release/net10.0/gatehouse" \
  serve --config "$work/gatehouse/gatehouse.yaml" >"$work/gatehouse.log" 2>&1 &
gatehouse_pid=$!
pids+=("$gatehouse_pid")
wait_for 30 Gatehouse curl -sf "http://127.0.0.1:$gatehouse_port/healthz"
admin_token=$(cat "$work/gatehouse/admin-token")

# Posts JSON to the admin API and prints the value of one string field of the answer.
admin_create() {
  local path=$1 json=$2 field=$3 answer value
  answer=$(curl -sS -f -X POST "http://127.0.0.1:$admin_port/admin/v1/$path" \
    -H "Authorization: Bearer $admin_token" -H 'content-type: application/json' --data "$json") \
    || fail "POST /admin/v1/$path failed"
  value=$(printf '%s' "$answer" | grep -o "\"$field\":\"[^\"]*\"" | head -n 1 | cut -d'"' -f4)
  [[ -n $value ]] || fail "POST /admin/v1/$path answered without $field: $answer"
  echo "$value"
}
org_id=$(admin_create organizations '{"name":"bench"}' id)
account_id=$(admin_create accounts "{\"organizationId\":\"$org_id\",\"name\":\"bench\"}" id)
BENCH_KEY=$(admin_create keys "{\"accountId\":\"$account_id\",\"name\":\"bench\"}" key)
export BENCH_KEY
gatehouse_headers=$(check_once "http://127.0.0.1:$gatehouse_port" Gatehouse)
grep -qi '^gatehouse-decision: allowed' <<<"$gatehouse_headers" \
  || fail "Gatehouse answered without an 'allowed' decision header: $gatehouse_headers"

# --- measure ---------------------------------------------------------------------------------

# CPU time (user + system, in clock ticks) of a process and its children, e.g. nginx's workers.
cpu_ticks() {
  local total=0 pid fields
  for pid in "$1" $(cat /proc/"$1"/task/*/children 2>/dev/null); do
    # Fields after "pid (comm) ": utime and stime are the 12th and 13th.
    fields=$(sed 's/^.*) //' "/proc/$pid/stat" 2>/dev/null) || continue
    total=$((total + $(awk '{ print $12 + $13 }' <<<"$fields")))
  done
  echo "$total"
}
clock_ticks=$(getconf CLK_TCK)

# Prints "requests/s p99-in-ms non-200 socket-errors cpu-us-per-request" for one target. The CPU
# figure is the target process's own, so it holds even when the cores are shared unevenly.
measure() {
  local name=$1 url=$2 pid=$3 file before after
  file="$out/wrk-$name.txt"
  log "$name: warm-up ${WARMUP}s, then ${DURATION}s with $CONNECTIONS connections on $THREADS threads"
  wrk -t"$THREADS" -c"$CONNECTIONS" -d"${WARMUP}s" -s "$work/post.lua" "$url/v1/messages" >/dev/null
  before=$(cpu_ticks "$pid")
  wrk -t"$THREADS" -c"$CONNECTIONS" -d"${DURATION}s" --latency -s "$work/post.lua" "$url/v1/messages" >"$file"
  after=$(cpu_ticks "$pid")
  awk -v ticks=$((after - before)) -v hz="$clock_ticks" '
    function ms(text,  value) {
      value = text + 0
      if (text ~ /us$/) return value / 1000
      if (text ~ /ms$/) return value
      if (text ~ /s$/) return value * 1000
      return value
    }
    $1 == "99%" { p99 = ms($2) }
    / requests in / { requests = $1 }
    /^Requests\/sec:/ { rps = $2 }
    /^non-200 responses:/ { bad = $3 }
    /Socket errors:/ { errors = $4 + $6 + $8 + $10 }
    END { printf "%.0f %.2f %d %d %.1f\n", rps, p99, bad, errors, (requests > 0 ? ticks / hz / requests * 1e6 : 0) }
  ' "$file"
}

# Assignments, not process substitution, so that a failing wrk stops the script.
nginx_result=$(measure nginx "http://127.0.0.1:$nginx_port" "$nginx_pid")
bare_result=$(measure bareproxy "http://127.0.0.1:$bare_port" "$bare_pid")
gatehouse_result=$(measure gatehouse "http://127.0.0.1:$gatehouse_port" "$gatehouse_pid")
read -r nginx_rps nginx_p99 nginx_bad nginx_err nginx_cpu <<<"$nginx_result"
read -r bare_rps bare_p99 bare_bad bare_err bare_cpu <<<"$bare_result"
read -r gh_rps gh_p99 gh_bad gh_err gh_cpu <<<"$gatehouse_result"

ratio=$(awk -v g="$gh_rps" -v b="$bare_rps" 'BEGIN { printf "%.2f", (b > 0 ? g / b : 0) }')
met=$(awk -v r="$ratio" -v t="$TARGET_RATIO" 'BEGIN { print (r >= t ? "MET" : "NOT MET") }')

echo
echo "Loopback load test: ${DURATION}s per target after ${WARMUP}s warm-up, $CONNECTIONS connections, $THREADS wrk threads, $(nproc) cores"
row='%-20s %12s %10s %8s %14s %16s\n'
printf "$row" target requests/s "p99 (ms)" non-200 socket-errors "CPU us/request"
printf "$row" "nginx (direct)" "$nginx_rps" "$nginx_p99" "$nginx_bad" "$nginx_err" "$nginx_cpu"
printf "$row" "BareProxy -> nginx" "$bare_rps" "$bare_p99" "$bare_bad" "$bare_err" "$bare_cpu"
printf "$row" "Gatehouse -> nginx" "$gh_rps" "$gh_p99" "$gh_bad" "$gh_err" "$gh_cpu"
echo
echo "(CPU us/request: the target process alone, nginx's workers for the direct run; wrk and the stub upstream are not counted)"
echo
echo "Gatehouse / BareProxy throughput: ${ratio}x"
echo "Target \"Gatehouse >= ${TARGET_RATIO}x bare-proxy throughput\": $met"
echo "Raw wrk output: $out"

if [[ $((nginx_bad + bare_bad + gh_bad + nginx_err + bare_err + gh_err)) -ne 0 ]]; then
  fail "some requests failed or did not answer 200; the figures above do not count"
fi
