#!/usr/bin/env bash
# Loopback load test: the same request against an nginx stub upstream directly, through a bare
# YARP proxy, and through Gatehouse twice: every caller allowed, then a deny-heavy mix. Every
# process it starts is stopped on exit. All traffic stays on 127.0.0.1. See README.md beside
# this file.
set -euo pipefail

DENY_PERCENT=${DENY_PERCENT:-80}  # share of the deny-heavy mix's requests from outside the allowed countries
TARGET_RATIO=0.8                # Gatehouse must keep at least this share of bare-proxy throughput
# Denials must cost no more than allowed requests: the deny mix must keep this share of the
# all-allowed throughput. 0.95 rather than 1, because two measurements a few seconds apart
# differ by a few per cent on a busy machine.
DENY_TARGET_RATIO=0.95
# The audit log (a hash-chained record committed before each answer) must keep this share of
# the throughput of the same gateway with the log switched off.
AUDIT_TARGET_RATIO=0.9

source "$(dirname "${BASH_SOURCE[0]}")/common.sh"
require_counts DENY_PERCENT
if ((DENY_PERCENT > 100)); then
  echo "run.sh: DENY_PERCENT must be at most 100, not '$DENY_PERCENT'" >&2
  exit 2
fi
begin_run

install_tools
free_port nginx_port
free_port bare_port
free_port gatehouse_port
free_port admin_port

start_stub "$nginx_port"
nginx_pid=$stub_pid

# --- build both proxies ----------------------------------------------------------------------

log "building BareProxy and Gatehouse (Release)"
dotnet build -c Release "$repo/bench/BareProxy" -nologo -v q >"$work/build.log" 2>&1 || fail "BareProxy build failed; see $work/build.log"
build_gatehouse

# --- BareProxy -------------------------------------------------------------------------------

log "starting BareProxy on 127.0.0.1:$bare_port"
"$repo/bench/BareProxy/bin/Release/net10.0/BareProxy" \
  --upstream "http://127.0.0.1:$nginx_port" --urls "http://127.0.0.1:$bare_port" >"$work/bareproxy.log" 2>&1 &
bare_pid=$!
pids+=("$bare_pid")
wait_for 30 BareProxy check_once "http://127.0.0.1:$bare_port" BareProxy

# --- Gatehouse -------------------------------------------------------------------------------

mkdir -p "$work/gatehouse"
gatehouse_config "$gatehouse_port" "$admin_port" "$nginx_port" "  provider: sqlite
  path: gatehouse.db" >"$work/gatehouse/gatehouse.yaml"
start_gatehouse gatehouse "$work/gatehouse/gatehouse.yaml" "$gatehouse_port" gatehouse_pid
BENCH_KEY=$(create_bench_key "http://127.0.0.1:$admin_port" "$(cat "$work/gatehouse/admin-token")")
export BENCH_KEY
check_callers "http://127.0.0.1:$gatehouse_port" Gatehouse

# --- measure ---------------------------------------------------------------------------------

# Assignments, not process substitution, so that a failing wrk stops the script. The proxies
# and the all-allowed run get US callers only (the proxies ignore the header but forward it).
nginx_result=$(measure nginx "http://127.0.0.1:$nginx_port" 0 "$nginx_pid")
bare_result=$(measure bareproxy "http://127.0.0.1:$bare_port" 0 "$bare_pid")
allowed_result=$(measure gatehouse-allowed "http://127.0.0.1:$gatehouse_port" 0 "$gatehouse_pid")
# The cost of the audit log: the same all-allowed run with it switched off, through a reload of
# the configuration, so that the process, its warm caches and its connections stay the same.
set_audit gatehouse "$work/gatehouse/gatehouse.yaml" enabled: false
audit_off_result=$(measure gatehouse-audit-off "http://127.0.0.1:$gatehouse_port" 0 "$gatehouse_pid")
set_audit gatehouse "$work/gatehouse/gatehouse.yaml" enabled: true
deny_result=$(measure gatehouse-denymix "http://127.0.0.1:$gatehouse_port" "$DENY_PERCENT" "$gatehouse_pid")
read -r nginx_rps _ nginx_p99 nginx_bad nginx_err nginx_cpu _ nginx_steal <<<"$nginx_result"
read -r bare_rps _ bare_p99 bare_bad bare_err bare_cpu _ bare_steal <<<"$bare_result"
read -r gh_rps _ gh_p99 gh_bad gh_err gh_cpu _ gh_steal <<<"$allowed_result"
read -r off_rps _ off_p99 off_bad off_err off_cpu _ off_steal <<<"$audit_off_result"
read -r deny_rps _ deny_p99 deny_bad deny_err deny_cpu deny_share deny_steal <<<"$deny_result"

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
