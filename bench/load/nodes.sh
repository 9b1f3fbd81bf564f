#!/usr/bin/env bash
# Several nodes on one PostgreSQL database against one node on SQLite, in one run: the same
# request mix (every caller allowed, every decision audited) against one gateway on SQLite (the
# baseline), one gateway on PostgreSQL, the same gateway behind nginx, and two gateways on the
# same database behind nginx. Besides throughput and latency it records where the time goes:
# each process's share of the CPU, the audit commits each gateway made, and what PostgreSQL's
# sessions were doing. Then it checks that the audit chains verify and that every answered
# request has its decision record. Every process it starts is stopped on exit. All traffic stays
# on 127.0.0.1. See README.md beside this file.
set -euo pipefail

source "$(dirname "${BASH_SOURCE[0]}")/common.sh"
begin_run

newest_pg_bin() { dirname "$(ls -d /usr/lib/postgresql/*/bin/initdb 2>/dev/null | sort -V | tail -n 1)"; }
pg_bin=${PG_BIN:-$(newest_pg_bin)}
if [[ -x $pg_bin/initdb ]]; then
  install_tools
else
  install_tools postgresql
  pg_bin=$(newest_pg_bin)
  [[ -x $pg_bin/initdb ]] || fail "PostgreSQL's initdb is still missing after installing postgresql"
fi

for port in stub sqlite sqlite_admin a a_admin b b_admin balancer_one balancer_two pg; do
  free_port "${port}_port"
done
url() { echo "http://127.0.0.1:$1"; }

start_stub "$stub_port"
log "building Gatehouse (Release)"
build_gatehouse

# --- PostgreSQL --------------------------------------------------------------------------------

# A throwaway server in $work/postgres. Durability is left at the server's defaults (fsync on,
# every commit the gateway asks to flush is flushed), so that it is measured as deployed; WAL
# I/O timing is on for the sync counts and times reported below.
pg_dir=$work/postgres
as_postgres=()
mkdir -p "$pg_dir"
: >"$work/postgres.log"
if [[ $(id -u) -eq 0 ]]; then
  # The server refuses to run as root; the Debian package makes this user.
  chown postgres "$pg_dir" "$work/postgres.log"
  as_postgres=(runuser -u postgres --)
fi
log "starting PostgreSQL ($pg_bin) on 127.0.0.1:$pg_port"
stop_actions+=("(cd '$pg_dir' && ${as_postgres[*]} '$pg_bin/pg_ctl' -D '$pg_dir/data' -m fast -w stop >/dev/null 2>&1)")
# --no-sync skips only initdb's own flush of the new cluster, not the server's.
(cd "$pg_dir" && "${as_postgres[@]}" "$pg_bin/initdb" -D "$pg_dir/data" -U gatehouse -A trust --no-sync) >"$work/initdb.log" 2>&1 \
  || fail "initdb failed; see $work/initdb.log"
(cd "$pg_dir" && "${as_postgres[@]}" "$pg_bin/pg_ctl" -D "$pg_dir/data" -l "$work/postgres.log" -w -t 60 -o \
  "-p $pg_port -k $pg_dir -c listen_addresses=127.0.0.1 -c max_connections=200 -c track_wal_io_timing=on" start) >/dev/null \
  || fail "PostgreSQL did not start; see $work/postgres.log"
pg_pid=$(head -n 1 "$pg_dir/data/postmaster.pid")
# An array rather than a function, so that a sampler started in the background is psql itself.
psql=("$pg_bin/psql" -X -q -At -v ON_ERROR_STOP=1 -h 127.0.0.1 -p "$pg_port" -U gatehouse)
"${psql[@]}" -d postgres -c 'CREATE DATABASE gatehouse' || fail "could not create the database"
psql+=(-d gatehouse)

# --- the gateways and the balancer -----------------------------------------------------------

# Each node has its own listeners and state folder; both share the database.
for node in sqlite a b; do
  mkdir -p "$work/$node"
  data=${node}_port admin=${node}_admin_port storage="  provider: postgres
  connectionString: \"Host=127.0.0.1;Port=$pg_port;Username=gatehouse;Database=gatehouse\"
  stateDirectory: $work/$node"
  [[ $node == sqlite ]] && storage="  provider: sqlite
  path: gatehouse.db"
  gatehouse_config "${!data}" "${!admin}" "$stub_port" "$storage" >"$work/$node/gatehouse.yaml"
done
start_gatehouse sqlite "$work/sqlite/gatehouse.yaml" "$sqlite_port" sqlite_pid
# One after the other: the first migrates the empty database and writes the admin token, which
# the second finds in the database.
start_gatehouse node-a "$work/a/gatehouse.yaml" "$a_port" a_pid
start_gatehouse node-b "$work/b/gatehouse.yaml" "$b_port" b_pid
sqlite_token=$(cat "$work/sqlite/admin-token")
pg_token=$(cat "$work/a/admin-token")

log "starting nginx as the balancer on 127.0.0.1:$balancer_two_port (both nodes) and :$balancer_one_port (node A only)"
# Connections to the nodes are kept open, as the clients' are. The client's address is appended
# to X-Forwarded-For, after the caller wrk names, as a balancer in front of Gatehouse does; the
# nodes trust 127.0.0.1, so they skip nginx's own hop and place each caller as run.sh does.
start_nginx balancer balancer_pid "  proxy_http_version 1.1;
  proxy_set_header Connection \"\";
  proxy_set_header X-Forwarded-For \$proxy_add_x_forwarded_for;
  upstream two_nodes { server 127.0.0.1:$a_port; server 127.0.0.1:$b_port; keepalive 64; }
  upstream node_a { server 127.0.0.1:$a_port; keepalive 64; }
  server { listen 127.0.0.1:$balancer_two_port; location / { proxy_pass http://two_nodes; } }
  server { listen 127.0.0.1:$balancer_one_port; location / { proxy_pass http://node_a; } }"
wait_for 10 "the balancer" curl -sf "$(url "$balancer_two_port")/healthz"

sqlite_key=$(create_bench_key "$(url "$sqlite_admin_port")" "$sqlite_token")
pg_key=$(create_bench_key "$(url "$a_admin_port")" "$pg_token")
# Node B learns of the key node A made through the database's notification; until then it
# answers 401, which is not audited, so exactly one decision comes of this wait.
BENCH_KEY=$pg_key wait_for 10 "node B knowing node A's key" check_once "$(url "$b_port")" node-b "${us_callers[0]}"
BENCH_KEY=$sqlite_key check_callers "$(url "$sqlite_port")" sqlite
BENCH_KEY=$pg_key check_callers "$(url "$a_port")" node-a
BENCH_KEY=$pg_key check_callers "$(url "$b_port")" node-b
BENCH_KEY=$pg_key check_callers "$(url "$balancer_one_port")" "the balancer (node A)"
BENCH_KEY=$pg_key check_callers "$(url "$balancer_two_port")" "the balancer (both nodes)"
pg_checks=$((4 * checked_callers + 1))

# --- what is recorded around each measurement --------------------------------------------------

# The processes whose CPU time is split, as label and pid, then wrk's: this shell's finished
# children, of which wrk is the only one that ends during a measurement. The machine's busy
# time beyond them is other work on the host (other users, the kernel's own threads).
watched=(stub "$stub_pid" balancer "$balancer_pid" sqlite "$sqlite_pid" node-a "$a_pid" node-b "$b_pid" postgres "$pg_pid")
cpu_split() {
  local i
  for ((i = 1; i < ${#watched[@]}; i += 2)); do printf '%s ' "$(cpu_ticks "${watched[i]}")"; done
  # Fields after "pid (comm) ": cutime and cstime are the 14th and 15th.
  sed 's/^.*) //' "/proc/$$/stat" | awk '{ printf "%d ", $14 + $15 }'
  machine_ticks
}

# "name committed-batches seconds-committing failed-batches decisions" of the gateway $1 whose
# admin listener is on port $2, from its /metrics.
audit_counters() {
  curl -sS -f "$(url "$2")/metrics" | awk -v name="$1" '
    /^gatehouse_audit_commit_duration_seconds_count\{.*outcome="committed"/ { committed = $NF }
    /^gatehouse_audit_commit_duration_seconds_sum\{.*outcome="committed"/ { seconds = $NF }
    /^gatehouse_audit_commit_duration_seconds_count\{.*outcome="failed"/ { failed = $NF }
    /^gatehouse_decisions_total\{/ { decisions += $NF }
    END { printf "%s %d %.6f %d %d\n", name, committed, seconds, failed, decisions }
  ' || fail "could not read $1's metrics"
}

# "bytes syncs sync-milliseconds" of the server's WAL so far.
wal_counters() { "${psql[@]}" -F ' ' -c 'SELECT wal_bytes, wal_sync, wal_sync_time FROM pg_stat_wal'; }

# What the gateways' sessions are doing, ten times a second: each sample counts the sessions by
# state (running, idle in a transaction, or the event waited for) and whether the audit chain's
# advisory lock (the only advisory lock held once the nodes have migrated) is held. Bounded by
# its own length; measurement_ends stops it at the end of the measurement.
{
  for _ in $(seq 1 $((DURATION * 12))); do
    cat <<'SQL'
SELECT 'samples', 1
UNION ALL
SELECT CASE WHEN state = 'idle in transaction' THEN 'idle in transaction'
            WHEN wait_event IS NULL THEN 'running'
            ELSE wait_event_type || ':' || wait_event END, count(*)
  FROM pg_stat_activity
 WHERE datname = current_database() AND backend_type = 'client backend' AND pid <> pg_backend_pid() AND state <> 'idle'
 GROUP BY 1
UNION ALL
SELECT 'chain lock held', count(*) FROM pg_locks WHERE locktype = 'advisory' AND granted;
SELECT pg_sleep(0.1);
SQL
  done
} >"$work/sessions.sql"

# The gateways serving each target, as name:admin-port.
both="node-a:$a_admin_port node-b:$b_admin_port"
declare -A serving=([sqlite]="sqlite:$sqlite_admin_port" [pg-one]="node-a:$a_admin_port" [pg-nginx-one]="node-a:$a_admin_port" [pg-nginx-two]="$both" [pg-nginx-two-audit-off]="$both")
declare -A cpu_before cpu_after audit_before audit_after wal_before wal_after
sampler=

measurement_starts() {
  local gateway
  if [[ $1 == pg-* ]]; then
    wal_before[$1]=$(wal_counters)
    "${psql[@]}" -f "$work/sessions.sql" >"$out/sessions-$1.txt" 2>"$work/sampler.log" &
    sampler=$!
    pids+=("$sampler")
  fi
  audit_before[$1]=$(for gateway in ${serving[$1]}; do audit_counters "${gateway%:*}" "${gateway#*:}"; done)
  cpu_before[$1]=$(cpu_split)
}

measurement_ends() {
  local gateway kept=() pid
  cpu_after[$1]=$(cpu_split)
  audit_after[$1]=$(for gateway in ${serving[$1]}; do audit_counters "${gateway%:*}" "${gateway#*:}"; done)
  if [[ -n $sampler ]]; then
    kill "$sampler" 2>/dev/null || true
    wait "$sampler" 2>/dev/null || true
    for pid in "${pids[@]}"; do [[ $pid == "$sampler" ]] || kept+=("$pid"); done
    pids=("${kept[@]}")
    sampler=
    wal_after[$1]=$(wal_counters)
  fi
}

# --- measure ---------------------------------------------------------------------------------

# The last target is the two nodes again with the audit log switched off (by a reload, so the
# same processes, warm): what the shared chain costs them.
targets=(sqlite pg-one pg-nginx-one pg-nginx-two pg-nginx-two-audit-off)
declare -A title=([sqlite]="one node, SQLite" [pg-one]="one node, PostgreSQL" [pg-nginx-one]="nginx -> node A, PostgreSQL"
  [pg-nginx-two]="nginx -> two nodes, PostgreSQL" [pg-nginx-two-audit-off]="the same, audit off")
declare -A address=([sqlite]="$(url "$sqlite_port")" [pg-one]="$(url "$a_port")" [pg-nginx-one]="$(url "$balancer_one_port")"
  [pg-nginx-two]="$(url "$balancer_two_port")" [pg-nginx-two-audit-off]="$(url "$balancer_two_port")")
declare -A gateways=([sqlite]="$sqlite_pid" [pg-one]="$a_pid" [pg-nginx-one]="$a_pid" [pg-nginx-two]="$a_pid $b_pid" [pg-nginx-two-audit-off]="$a_pid $b_pid")
declare -A result
for target in "${targets[@]}"; do
  key=$pg_key
  [[ $target == sqlite ]] && key=$sqlite_key
  if [[ $target == *-audit-off ]]; then
    set_audit node-a "$work/a/gatehouse.yaml" enabled: false
    set_audit node-b "$work/b/gatehouse.yaml" enabled: false
  fi
  # Not in a subshell, so that the hooks above keep what they read; a failing wrk still stops
  # the script. The gateways' pids unquoted: one argument each.
  BENCH_KEY=$key measure "$target" "${address[$target]}" 0 ${gateways[$target]} >"$work/result-$target"
  result[$target]=$(cat "$work/result-$target")
done
set_audit node-a "$work/a/gatehouse.yaml" enabled: true
set_audit node-b "$work/b/gatehouse.yaml" enabled: true

# --- verify ----------------------------------------------------------------------------------

# Walks the audit chain through the admin listener on port $1 with the token $2 and prints the
# number of decision records: every record but the admin ones and retention checkpoints.
decision_records() {
  local admin answer checked kind page others=0
  admin=$(url "$1")
  answer=$(curl -sS -f --max-time 120 -H "Authorization: Bearer $2" "$admin/admin/v1/audit/verify") || fail "audit verify on port $1 failed"
  [[ $answer == *'"intact":true'* ]] || fail "the audit chain does not verify through port $1: $answer"
  checked=$(grep -o '"checked":[0-9]*' <<<"$answer" | cut -d: -f2)
  for kind in admin checkpoint; do
    page=$(curl -sS -f -H "Authorization: Bearer $2" "$admin/admin/v1/audit/records?kind=$kind&limit=1000") || fail "the $kind records on port $1 could not be listed"
    [[ $page == *'"next":null'* ]] || fail "more than 1000 $kind records on port $1"
    others=$((others + $(grep -o "\"kind\":\"$kind\"" <<<"$page" | wc -l)))
  done
  echo $((checked - others))
}

log "verifying the audit chains (SQLite; PostgreSQL through node A, then node B)"
sqlite_records=$(decision_records "$sqlite_admin_port" "$sqlite_token")
pg_records=$(decision_records "$a_admin_port" "$pg_token")
pg_records_b=$(decision_records "$b_admin_port" "$pg_token")
[[ $pg_records_b == "$pg_records" ]] || fail "node B counts $pg_records_b decision records, node A $pg_records"
pg_targets=(pg-one pg-nginx-one pg-nginx-two)
sqlite_answered=$(($(answered sqlite) + checked_callers))
pg_answered=$(($(answered "${pg_targets[@]}") + pg_checks))
# A request wrk still awaits when it stops may be recorded but not counted: at most one per
# connection at the end of each warm-up and measurement.
sqlite_slack=$((2 * CONNECTIONS))
pg_slack=$((2 * ${#pg_targets[@]} * CONNECTIONS))

# --- report ----------------------------------------------------------------------------------

read -r base_rps base_p50 base_p99 _ <<<"${result[sqlite]}"
echo
echo "Nodes: ${DURATION}s per target after ${WARMUP}s warm-up, $CONNECTIONS connections, $THREADS wrk threads, audit.sync $AUDIT_SYNC,"
echo "every caller allowed; wrk, both nginx, every gateway and PostgreSQL share $(nproc) cores"
row='%-32s %11s %9s %9s %11s %14s %15s %10s %7s %7s %8s\n'
printf "$row" target requests/s "p50 (ms)" "p99 (ms)" unexpected socket-errors "CPU us/request" "x SQLite" "p50 x" "p99 x" "steal %"
bad=0
for target in "${targets[@]}"; do
  read -r rps p50 p99 unexpected errors cpu _ steal <<<"${result[$target]}"
  bad=$((bad + unexpected + errors))
  printf "$row" "${title[$target]}" "$rps" "$p50" "$p99" "$unexpected" "$errors" "$cpu" "$(ratio "$rps" "$base_rps")" "$(ratio "$p50" "$base_p50")" "$(ratio "$p99" "$base_p99")" "$steal"
done
echo "(CPU us/request: the gateways' own, both nodes' together in the last two rows. x SQLite: as multiples of the first row.)"
read -r two_rps _ <<<"${result[pg-nginx-two]}"
read -r one_rps _ <<<"${result[pg-nginx-one]}"
read -r off_rps _ <<<"${result[pg-nginx-two-audit-off]}"
echo "Two nodes / one node, both behind nginx: throughput $(ratio "$two_rps" "$one_rps")x; two nodes, audit on / off: throughput $(ratio "$two_rps" "$off_rps")x"

echo
echo "Where the CPU went during each measurement, in per cent of one core (the machine has $(nproc)):"
row='%-32s %6s %9s %7s %7s %7s %9s %5s %6s %5s %6s %15s\n'
printf "$row" target stub balancer sqlite node-a node-b postgres wrk other idle steal "run us/request"
for target in "${targets[@]}"; do
  read -r rps _ <<<"${result[$target]}"
  printf "$row" "${title[$target]}" $(awk -v before="${cpu_before[$target]}" -v after="${cpu_after[$target]}" -v cores="$(nproc)" -v rps="$rps" 'BEGIN {
    n = split(before, b, " "); split(after, a, " ")
    # The last three are the machine'\''s: all, steal, idle; every tick of all is one core'\''s.
    all = a[n - 2] - b[n - 2]; steal = a[n - 1] - b[n - 1]; idle = a[n] - b[n]
    rest = all - steal - idle
    for (i = 1; i <= n - 3; i++) { used[i] = a[i] - b[i]; rest -= used[i]; printf "%.0f ", used[i] / all * cores * 100 }
    # The processes and the machine are read moments apart, so a quiet host can come out a
    # tick or two below zero.
    if (rest < 0) rest = 0
    printf "%.0f %.0f %.0f %.1f\n", rest / all * cores * 100, idle / all * cores * 100, steal / all * cores * 100, (all - idle - steal - rest) / all * cores * 1e6 / rps
  }')
done
echo "(other: the machine's busy time less the processes named, i.e. the rest of the host; run us/request: the CPU of every process this run started, per request.)"

echo
echo "Audit commits during each measurement (from each gateway's /metrics) and PostgreSQL's sessions (sampled every 0.1 s):"
for target in "${targets[@]}"; do
  awk -v before="${audit_before[$target]}" -v after="${audit_after[$target]}" -v seconds="$DURATION" -v title="${title[$target]}" 'BEGIN {
    n = split(before, b, "\n"); split(after, a, "\n")
    for (i = 1; i <= n; i++) {
      split(b[i], x, " "); split(a[i], y, " ")
      commits = y[2] - x[2]; busy = y[3] - x[3]; failed = y[4] - x[4]; decisions = y[5] - x[5]
      printf "  %-32s %-7s %6.0f commits/s, %5.1f decisions a commit, %6.2f ms a commit, committing %3.0f%% of the time, %d failed\n",
        (i == 1 ? title : ""), y[1] ":", commits / seconds, (commits > 0 ? decisions / commits : 0), (commits > 0 ? busy / commits * 1000 : 0), busy / seconds * 100, failed
    }
  }'
  [[ $target == pg-* ]] || continue
  awk -v before="${wal_before[$target]}" -v after="${wal_after[$target]}" -v seconds="$DURATION" 'BEGIN {
    split(before, b, " "); split(after, a, " ")
    syncs = a[2] - b[2]
    printf "  %-32s WAL: %.0f syncs/s, %.2f ms a sync, %.0f kB/s\n", "", syncs / seconds, (syncs > 0 ? (a[3] - b[3]) / syncs : 0), (a[1] - b[1]) / seconds / 1000
  }'
  awk -F'|' '
    $1 == "samples" { samples++; next }
    NF == 2 { total[$1] += $2; if ($2 > 0) seen[$1]++ }
    END {
      if (samples == 0) { print "  no session samples"; exit }
      printf "  %-32s chain lock held in %.0f%% of %d samples; sessions busy, on average:", "", seen["chain lock held"] / samples * 100, samples
      for (state in total) if (state != "chain lock held") printf " %s %.2f;", state, total[state] / samples
      printf "\n"
    }
  ' "$out/sessions-$target.txt"
done

echo
echo "Audit chains verify. Decision records against answered requests (warm-ups and checks included):"
echo "  SQLite:     $sqlite_records records, $sqlite_answered answered ($((sqlite_records - sqlite_answered)) more, in flight when wrk stopped; at most $sqlite_slack)"
echo "  PostgreSQL: $pg_records records, $pg_answered answered ($((pg_records - pg_answered)) more, in flight when wrk stopped; at most $pg_slack)"
# Each kind of entry once, cut before its stack trace. The first node on a database says at
# Warning that it created the admin token: expected, so left out.
for node in sqlite node-a node-b; do
  problems=$(grep -E ' (warn|fail|crit): ' "$work/$node.log" | grep -v 'No admin token existed' | cut -d' ' -f2- | cut -c1-120 | sort | uniq -c || true)
  echo "  $node log, entries at Warning or above:$([[ -n $problems ]] || echo ' none')"
  [[ -z $problems ]] || sed 's/^ */    /' <<<"$problems"
done
echo "Raw output (wrk, session samples): $out"

((bad == 0)) || fail "some requests failed or were answered unexpectedly; the figures above do not count"
for db in sqlite pg; do
  records=${db}_records total=${db}_answered slack=${db}_slack
  ((${!records} >= ${!total})) || fail "$db: $((${!total} - ${!records})) answered requests have no decision record"
  ((${!records} - ${!total} <= ${!slack})) || fail "$db: $((${!records} - ${!total})) more decision records than answered requests"
done
