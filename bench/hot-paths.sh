#!/usr/bin/env bash
# Issue 18: the wallet's hot paths (grants, charge-backs, redemptions) with their same-run baselines. For each packaged
# wallet given (e.g. main's and this branch's, to compare in one window): a fresh database, the wallet alone on
# $PORT with the bench as its token issuer and a fake registry (bench/fake-registry.py: "yes" to every question; its
# CPU is not counted), setup through the wallet's APIs (bench/HotPathsSetup.java), a warm-up, then wrk runs of
#   floor-grant  a grant refused before any database work (unknown rule; the same token verification and JSON)
#   grant        POST /api/applications, a fresh single-use operation token and Idempotency-Key each
#   floor-charge a charge refused before any database work (amount 0)
#   charge       POST /api/charges (100 yen, 25 back), redemption  POST /api/redemptions (1 yen)
# Per run: rate, CPU ms per operation of the wallet JVM and of its PostgreSQL backends (/proc/<pid>/stat before/after;
# the load generator and the fake registry are not counted), wrk's p50/p99, non-2xx answers, and the ratios to the
# floor and to pgbench's one-insert-per-commit rate of the same window (DB=postgres; on H2 the same pgbench figure is
# printed for reference).
# usage: [DB=postgres] bench/hot-paths.sh <quarkus-app dir>... (each packaged for the DB kind:
#        -Dquarkus.datasource.db-kind=postgresql for DB=postgres)
# The bench also plays the registry's outbox (issue 18 §2): setup sends each resident's eligibility-facts event (card
# active, account registered), and a loop sends the wallet its low watermark every 250 ms, as the registry's dispatcher
# does, so a wallet that keeps the facts decides grants of the public-fund-account rule without asking (the
# insurance-link rule still asks the fake registry). GRANT_RULES picks the measured grants' rules.
# env: JAVA_OPTS (e.g. a JFR recording) RESIDENTS (2000) SECONDS_PER_RUN (10) CONNECTIONS (16) WRK_THREADS (2) PORT (9410) REGISTRY_PORT (9411)
#      GRANT_RULES (insurance-link,public-fund-account) GRANT_SECONDS (SECONDS_PER_RUN: the grant run's length; each grant
#      needs a token of its own, so choose RESIDENTS that outlast it: a run whose tokens ran out counts the wallet's idle
#      time after the last grant, and the row says so) RUNS (all: idle floor-grant grant floor-charge charge redemption;
#      e.g. RUNS=grant for a profile) WARM_ROUNDS (4: warm-up rounds at most; they stop at the first whose JIT share is
#      below 5 %) WARM_SHARE (40: the percent of RESIDENTS' grant tokens spent warming up, split over the rounds)
# Each row's last column is the share of the wallet JVM's CPU its JIT compiler threads took in that run: "warm" in
# issue 18's sense when below 5 %.
# The idle row is the wallet JVM's and its backends' CPU per second with no requests (the watermarks still arriving).
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
WORK=${WORK:-$ROOT/bench/target/hot-paths}; mkdir -p "$WORK"
PORT=${PORT:-9410}; REG_PORT=${REGISTRY_PORT:-9411}; S=${SECONDS_PER_RUN:-10}; GS=${GRANT_SECONDS:-$S};
RUNS=" ${RUNS:-idle floor-grant grant floor-charge charge redemption} "; C=${CONNECTIONS:-16}; T=${WRK_THREADS:-2}
RESIDENTS=${RESIDENTS:-2000}; DBNAME=${DBNAME:-myna_hot_paths}; WARM_ROUNDS=${WARM_ROUNDS:-4}; WARM_SHARE=${WARM_SHARE:-40}
command -v wrk >/dev/null || { echo "wrk is needed: apt-get install wrk" >&2; exit 1; }
TCK=$(getconf CLK_TCK)
ticks() { local sum=0 p; for p in "$@"; do [[ -r /proc/$p/stat ]] && sum=$(( sum + $(awk '{sub(/.*\) /, ""); print $12 + $13}' /proc/$p/stat) )); done; echo $sum; }
# The CPU ticks of a JVM's JIT compiler threads (kept alive: -XX:-UseDynamicNumberOfCompilerThreads below).
jit_ticks() { local sum=0 t; for t in /proc/$1/task/*; do grep -q '^C[12] CompilerThre' "$t/comm" 2>/dev/null \
  && sum=$(( sum + $(awk '{sub(/.*\) /, ""); print $12 + $13}' "$t/stat" 2>/dev/null || echo 0) )); done; echo $sum; }
# A JVM's CPU ticks by thread group, "group ticks" per line: the HTTP event loops, the worker threads, the ledger
# writer, GC, the JIT, the rest (a thread that ended between two readings is lost from its group).
thread_groups() { local t; for t in /proc/$1/task/*; do printf '%s\t%s\n' "$(cat "$t/comm" 2>/dev/null)" "$(awk '{sub(/.*\) /, ""); print $12 + $13}' "$t/stat" 2>/dev/null)"; done \
  | awk -F'\t' '$2 == "" { next } { g = "other" } $1 ~ /^vert\.x-eventloo/ { g = "event-loop" } $1 ~ /^executor-thread/ { g = "workers" }
      $1 ~ /^ledger-writer/ { g = "writer" } $1 ~ /^(GC Thread|G1 )/ { g = "gc" } $1 ~ /^C[12] CompilerThre/ { g = "jit" } { t[g] += $2 }
      END { for (g in t) print g, t[g] }'; }
pg_pids() { [[ ${DB:-h2} == postgres ]] && su postgres -c "psql -Atc \"select pid from pg_stat_activity where datname = '$DBNAME'\"" || true; }
psql_q() { su postgres -c "psql -v ON_ERROR_STOP=1 -q $*"; }

fresh_db() {
  if [[ ${DB:-h2} == postgres ]]; then
    psql_q <<SQL
DO \$\$ BEGIN IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'wallet') THEN CREATE ROLE wallet LOGIN PASSWORD 'wallet'; END IF; END \$\$;
DROP DATABASE IF EXISTS $DBNAME WITH (FORCE);
CREATE DATABASE $DBNAME OWNER wallet ENCODING 'UTF8' TEMPLATE template0;
\\c $DBNAME
CREATE SCHEMA wallet AUTHORIZATION wallet;
CREATE TABLE public.pgbench_one (id bigserial primary key, v text not null);
GRANT ALL ON public.pgbench_one, public.pgbench_one_id_seq TO wallet;
SQL
    DB_OPTS="-Dquarkus.datasource.jdbc.url=jdbc:postgresql://localhost:5432/$DBNAME?reWriteBatchedInserts=true"
  else
    rm -rf "$WORK/h2"; mkdir -p "$WORK/h2"
    DB_OPTS="-Dquarkus.datasource.jdbc.url=jdbc:h2:file:$WORK/h2/wallet;MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH;WRITE_DELAY=0;DB_CLOSE_ON_EXIT=FALSE;LOCK_TIMEOUT=20000"
  fi
}

pgbench_rate() {
  [[ ${DB:-h2} == postgres ]] || { echo "${PGBENCH_RATE:-n/a}"; return; }
  echo "insert into public.pgbench_one (v) values ('x');" > "$WORK/pgbench.sql"
  chmod a+r "$WORK/pgbench.sql"
  su postgres -c "pgbench -n -c 8 -j 2 -T $S -f $WORK/pgbench.sql $DBNAME" 2>/dev/null | awk '/^tps/{printf "%.0f", $3}'
}

# run <mode> <label> [seconds]: one wrk run, one table row; sets RATE
run() {
  local mode=$1 label=$2 secs=${3:-$S} out pids before_w before_p after_w after_p rate p50 p99 non2xx total
  pids=$(pg_pids | tr '\n' ' ')
  before_w=$(ticks $WALLET_PID); local before_j groups_before; before_j=$(jit_ticks $WALLET_PID); groups_before=$(thread_groups $WALLET_PID); declare -A base=(); for p in $pids; do base[$p]=$(ticks $p); done
  local from; from=$(date +%s)
  if [[ $mode == idle ]]; then
    sleep "$secs"
    after_w=$(ticks $WALLET_PID)
    local pg_idle=0 p
    for p in $(pg_pids); do pg_idle=$(( pg_idle + $(ticks $p) - ${base[$p]:-0} )); done
    awk -v l="$label" -v w=$(( after_w - before_w )) -v pg=$pg_idle -v tck=$TCK -v s=$secs 'BEGIN {
      printf "| %s | idle: CPU ms per second | | %.1f | %.1f | %.1f | | | | | | |\n", l, w * 1000 / tck / s, pg * 1000 / tck / s, (w + pg) * 1000 / tck / s }'
    return
  fi
  out=$(MODE=$mode DIR=$WORK/setup THREADS=$T GRANTS=${GRANTS_FILE:-} wrk -t$T -c$C -d${secs}s --latency -s "$ROOT/bench/hot-paths.lua" http://127.0.0.1:$PORT 2>&1)
  after_w=$(ticks $WALLET_PID); JIT_SHARE=$(awk -v j=$(( $(jit_ticks $WALLET_PID) - before_j )) -v w=$(( after_w - before_w )) 'BEGIN { printf "%.1f", w ? 100 * j / w : 0 }')
  echo "window $label $mode: -Dfrom=$from -Dto=$(date +%s)" >&2
  local n_ops; n_ops=$(awk '/requests in/{print $1}' <<<"$out"); grep -q '^grants: ' <<<"$out" && n_ops=$(awk '/^grants: /{print $2}' <<<"$out")
  { echo "$groups_before" | sed 's/^/b /'; thread_groups $WALLET_PID | sed 's/^/a /'; } | awk -v l="$label" -v m="$mode" -v n="${n_ops:-0}" -v tck=$TCK '
    $1 == "b" { b[$2] = $3 } $1 == "a" { a[$2] = $3 }
    END { if (n == 0) exit; line = "wallet JVM CPU ms/op by thread group, " l " " m ":"; for (g in a) line = line sprintf(" %s %.3f", g, (a[g] - b[g]) * 1000 / tck / n); print line }' >&2
  local pg_delta=0 p
  for p in $(pg_pids); do pg_delta=$(( pg_delta + $(ticks $p) - ${base[$p]:-0} )); done
  rate=$(awk '/^Requests\/sec/{print $2}' <<<"$out"); total=$(awk '/requests in/{print $1}' <<<"$out")
  # A grant run whose tokens ran out before the end: the rate while they lasted (see hot-paths.lua).
  if grep -q '^grants: ' <<<"$out"; then
    read -r total rate < <(awk '/^grants: /{printf "%d %.1f\n", $2, $2 * 1000 / $4}' <<<"$out")
  fi
  p50=$(awk '$1=="50%"{print $2}' <<<"$out"); p99=$(awk '$1=="99%"{print $2}' <<<"$out")
  non2xx=$(awk -F': *' '/Non-2xx/{print $2}' <<<"$out"); non2xx=${non2xx:-0}
  RATE=$rate
  if [[ $mode == grant && -n ${GRANTS_FILE:-} ]] && (( total >= $(wc -l < "$GRANTS_FILE") )); then
    label="$label (tokens ran out: idle time counted)"
  fi
  awk -v l="$label" -v m="$mode" -v r="$rate" -v n="$total" -v w=$(( after_w - before_w )) -v pg=$pg_delta -v tck=$TCK -v p50="$p50" -v p99="$p99" \
      -v bad="$non2xx" -v floor="${FLOOR:-}" -v pgb="${PGBENCH:-}" -v jit="$JIT_SHARE" 'BEGIN {
    wms = w * 1000 / tck / n; pms = pg * 1000 / tck / n
    vf = (floor == "" || floor == 0) ? "" : sprintf("%.0f %%", 100 * r / floor)
    vp = (pgb == "n/a" || pgb == "") ? "" : sprintf("%.0f %%", 100 * r / pgb)
    printf "| %s | %s | %.0f | %.3f | %.3f | %.3f | %s | %s | %s | %s | %s | %s %% |\n", l, m, r, wms, pms, wms + pms, p50, p99, bad, vf, vp, jit }'
}

python3 "$ROOT/bench/fake-registry.py" $REG_PORT & REG_PID=$!
WALLET_PID=
MARK_PID=
cleanup() { [[ -n $MARK_PID ]] && kill $MARK_PID 2>/dev/null; [[ -n $WALLET_PID ]] && kill $WALLET_PID 2>/dev/null; kill $REG_PID 2>/dev/null || true; wait 2>/dev/null || true; }
# The registry dispatcher's low watermark: every event committed before (now - 0.5 s) was delivered (the setup's were).
watermarks() {
  local token; token=$(cat "$WORK/setup/registry.token")
  while sleep 0.25; do
    curl -fsS -o /dev/null -H "Authorization: Bearer $token" -H 'Content-Type: application/json' \
      -d "{\"watermark\":\"$(date -u -d '-0.5 sec' +%FT%T.%3NZ)\",\"asOf\":\"$(date -u +%FT%T.%3NZ)\"}" \
      http://127.0.0.1:$PORT/api/events/watermark || true
  done
}
trap cleanup EXIT
[[ -s $WORK/keys/verify.pem ]] || java "$ROOT/bench/HotPathsSetup.java" keys dir=$WORK/keys

echo "machine: $(nproc) cores, $(free -m | awk '/Mem/{print $2}') MiB RAM, $(java -version 2>&1 | head -1), db=${DB:-h2}$([[ ${DB:-h2} == postgres ]] && su postgres -c 'psql -Atc "show server_version"' | sed 's/^/ PostgreSQL /')"
echo "command: DB=${DB:-h2} GRANT_RULES=${GRANT_RULES:-insurance-link,public-fund-account} RESIDENTS=$RESIDENTS SECONDS_PER_RUN=$S GRANT_SECONDS=$GS CONNECTIONS=$C RUNS=\"${RUNS# }\" bench/hot-paths.sh $*"
echo
echo "| wallet | operation | rate /s | CPU ms/op wallet JVM | CPU ms/op PostgreSQL | CPU ms/op total | p50 | p99 | non-2xx | rate vs floor | rate vs pgbench 1-insert/commit | JIT share of the JVM |"
echo "|---|---|---|---|---|---|---|---|---|---|---|---|"
for app in "$@"; do
  label=$(basename "$app")
  fresh_db
  (exec java -XX:-UseDynamicNumberOfCompilerThreads ${JAVA_OPTS:-} -Dquarkus.http.port=$PORT $DB_OPTS -Dquarkus.datasource.jdbc.acquisition-timeout=60S \
      -Dmp.jwt.verify.publickey.location=file:$WORK/keys/verify.pem -Dwallet.registry.url=http://127.0.0.1:$REG_PORT \
      -Dwallet.registry.client-secret=bench -Dmyna.card-standing.fail-closed=false -Dmyna.residency.allow-loopback=true -Dquarkus.log.level=WARN \
      -jar "$app/quarkus-run.jar" > "$WORK/$label.log" 2>&1) &
  WALLET_PID=$!
  for _ in $(seq 1 1500); do curl -fsS -o /dev/null 127.0.0.1:$PORT/q/health/ready 2>/dev/null && break
    kill -0 $WALLET_PID 2>/dev/null || { echo "the wallet did not start: $WORK/$label.log" >&2; exit 1; }; sleep 0.2; done
  curl -fsS -o /dev/null 127.0.0.1:$PORT/q/health/ready
  rm -rf "$WORK/setup"; cp -r "$WORK/keys" "$WORK/setup"
  java "$ROOT/bench/HotPathsSetup.java" setup dir=$WORK/setup wallet=http://127.0.0.1:$PORT residents=$RESIDENTS \
      rules=${GRANT_RULES:-insurance-link,public-fund-account} >&2
  watermarks & MARK_PID=$!
  WARM=$(( RESIDENTS * WARM_SHARE / 100 )); head -n $WARM "$WORK/setup/grants.txt" > "$WORK/setup/grants-warm.txt"; tail -n +$(( WARM + 1 )) "$WORK/setup/grants.txt" > "$WORK/setup/grants-run.txt"
  # Warm-up (not printed): every path, grants with their own tokens (a slice of the warm-up tokens per round), round
  # after round until the JIT's compiler threads took under 5 % of the wallet's CPU in a round ("warm", issue 18).
  for round in $(seq 1 $WARM_ROUNDS); do
    wj0=$(jit_ticks $WALLET_PID); ww0=$(ticks $WALLET_PID)
    for m in floor-grant floor-charge charge redemption; do run $m "$label warm-up" > /dev/null; done
    slice=$(( WARM / WARM_ROUNDS )); sed -n "$(( (round - 1) * slice + 1 )),$(( round * slice ))p" "$WORK/setup/grants-warm.txt" > "$WORK/setup/grants-slice.txt"
    GRANTS_FILE=$WORK/setup/grants-slice.txt run grant "$label warm-up" > /dev/null
    share=$(awk -v j=$(( $(jit_ticks $WALLET_PID) - wj0 )) -v w=$(( $(ticks $WALLET_PID) - ww0 )) 'BEGIN { printf "%.1f", w ? 100 * j / w : 0 }')
    echo "warm-up round $round of $label: JIT $share % of the wallet's CPU" >&2
    awk -v s=$share 'BEGIN { exit !(s < 5) }' && break
  done
  echo "load before $label: $(cut -d' ' -f1-3 /proc/loadavg)" >&2
  PGBENCH=$(pgbench_rate)
  FLOOR_GRANT= FLOOR_CHARGE=
  [[ $RUNS == *" idle "* ]] && run idle "$label"
  if [[ $RUNS == *" floor-grant "* ]]; then FLOOR= run floor-grant "$label"; FLOOR_GRANT=$RATE; fi
  [[ $RUNS == *" grant "* ]] && FLOOR=$FLOOR_GRANT GRANTS_FILE=$WORK/setup/grants-run.txt run grant "$label" "$GS"
  if [[ $RUNS == *" floor-charge "* ]]; then FLOOR= run floor-charge "$label"; FLOOR_CHARGE=$RATE; fi
  [[ $RUNS == *" charge "* ]] && FLOOR=$FLOOR_CHARGE run charge "$label"
  [[ $RUNS == *" redemption "* ]] && FLOOR=$FLOOR_CHARGE run redemption "$label"
  echo "| $label | pgbench one insert per commit (8 clients) | $PGBENCH | | | | | | | | | |"
  echo "load after $label: $(cut -d' ' -f1-3 /proc/loadavg)" >&2
  curl -fsS "127.0.0.1:$PORT/q/metrics" 2>/dev/null | grep -E '^wallet_(ledger_(batch_size|commit_seconds)_(count|sum|max)|eligibility_decisions_total)' >&2 || true
  kill $MARK_PID; wait $MARK_PID 2>/dev/null || true; MARK_PID=
  kill $WALLET_PID; wait $WALLET_PID 2>/dev/null || true; WALLET_PID=
done
echo
echo "load average at the end: $(cut -d' ' -f1-3 /proc/loadavg)"
