#!/usr/bin/env bash
# Start-up of each service started alone: JVM mode, demo profile, H2 files in a scratch directory per run.
#   fresh:   empty directory (Flyway migrates, demo keys and CA generated)      restart: the same directory again
# Columns: Quarkus' own "started in", wall time from exec to /q/health/ready answering 200, CPU seconds the JVM used
# until then (user+sys from /proc/<pid>/stat: less sensitive to a busy machine than wall time), RSS at ready, and
# the wall time of a trivial JVM (`java -version`) just before as the same-run baseline. The variants of one run
# are interleaved, so each sees the same machine; the summary prints medians per service and variant and the
# ratio of each variant to the first.
# VARIANTS: ';'-separated "label|apps dir|java home|JVM options"; @APP@ in the options stands for the service's
#   quarkus-app directory. Default: this checkout's packaged jars on the default java, and, if the jars carry an
#   AOT cache (bench/aot-train.sh) and the JDK 25 is here, the same jars with it.
# MODE: fresh (default), restart, or both. FIRST60=1 adds, for the registry, 60 s right after ready of an auditor's
#   authenticated GET /api/stats (JWT check, one JPA query, JSON; wrk, 1 connection, back to back) and prints the
#   JVM's CPU ms per request over those 60 s (compilation included: that is the point).
# usage: [VARIANTS=...] [MODE=fresh] bench/startup.sh [runs=5]
#   e.g. VARIANTS="before|$PWD/bench/target/startup/before|/usr/lib/jvm/java-17-openjdk-amd64|;aot|$PWD/bench/target/startup/aot|/usr/lib/jvm/temurin-25-jdk-amd64|-XX:AOTCache=@APP@/app.aot" bench/startup.sh 5
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
RUNS=${1:-5}
JDK25=/usr/lib/jvm/temurin-25-jdk-amd64
if [[ -z ${VARIANTS:-} ]]; then
  VARIANTS="default|@TARGET@|$(dirname "$(dirname "$(readlink -f "$(command -v java)")")")|"
  [[ -f $ROOT/registry-service/target/quarkus-app/app.aot && -x $JDK25/bin/java ]] \
    && VARIANTS="$VARIANTS;aot-cache|@TARGET@|$JDK25|-XX:AOTCache=@APP@/app.aot"
fi
IFS=';' read -r -a VARS <<<"$VARIANTS"
TCK=$(getconf CLK_TCK)
PORT=${STARTUP_PORT:-18700}
OUT=$(mktemp)
echo "machine: $(nproc) cores, $(free -m | awk '/Mem/{print $2}') MiB RAM, $(uname -r); runs=$RUNS mode=${MODE:-fresh}"
for v in "${VARS[@]}"; do IFS='|' read -r label apps jh opts <<<"$v"; echo "variant $label: $("$jh/bin/java" -version 2>&1 | head -1), jars ${apps}, options '${opts}'"; done
echo "load at start: $(cut -d' ' -f1-3 /proc/loadavg)"
printf '%-25s %-10s %-3s %-7s %-10s %-10s %-7s %-8s %-9s %-9s %s\n' service variant run start started_s ready_s cpu_s rss_mb javaver_s load1 cpu_ms_per_get_first60s
measure() { # service label run kind dir apps javahome opts
  local s=$1 label=$2 run=$3 kind=$4 dir=$5 apps=$6 jh=$7 opts=$8
  local app=$apps/$s; [[ $apps == @TARGET@ ]] && app=$ROOT/$s/target/quarkus-app
  opts=${opts//@APP@/$app}
  local j0 j1 t0 t1 pid cpu rss started per=-
  j0=$(date +%s.%N); "$jh/bin/java" -version >/dev/null 2>&1; j1=$(date +%s.%N)
  t0=$(date +%s.%N)
  # shellcheck disable=SC2086
  (cd "$dir" && exec "$jh/bin/java" $opts -Dquarkus.profile=demo -Dquarkus.http.port=$PORT -jar "$app/quarkus-run.jar" >>app.log 2>&1) &
  pid=$!
  for _ in $(seq 1 30000); do curl -fsS -o /dev/null "localhost:$PORT/q/health/ready" 2>/dev/null && break; sleep 0.02; done
  t1=$(date +%s.%N)
  cpu=$(awk -v t="$TCK" '{printf "%.2f", ($14+$15)/t}' "/proc/$pid/stat")
  rss=$(awk '/VmRSS/{print int($2/1024)}' "/proc/$pid/status")
  started=$(grep -o 'started in [0-9.]*s' "$dir/app.log" | grep -o '[0-9.]*' | tail -1)
  if [[ ${FIRST60:-0} == 1 && $s == registry-service ]]; then
    local c0 c1 n tok
    tok=$(curl -fsS -d grant_type=client_credentials -d client_id=demo-auditor -d client_secret=demo-auditor-secret \
      "localhost:$PORT/oauth2/token" | jq -r .access_token)
    c0=$(awk '{print $14+$15}' "/proc/$pid/stat")
    local w bad
    w=$(wrk -t1 -c1 -d60s -H "Authorization: Bearer $tok" "http://localhost:$PORT/api/stats" 2>/dev/null)
    n=$(awk '/requests in/{print $1}' <<<"$w"); bad=$(awk '/Non-2xx/{print $NF}' <<<"$w")
    c1=$(awk '{print $14+$15}' "/proc/$pid/stat")
    # Only answered requests count; a non-2xx answer (a token that did not work) makes the figure meaningless.
    per=$(awk -v a="$c0" -v b="$c1" -v n="$n" -v bad="${bad:-0}" -v t="$TCK" 'BEGIN{ if (n > 0) printf "%.2f (%d req, %d non-2xx)", (b-a)/t*1000/n, n, bad; else print "-" }')
  fi
  printf '%-25s %-10s %-3s %-7s %-10s %-10.2f %-7s %-8s %-9.2f %-9s %s\n' "$s" "$label" "$run" "$kind" "${started:--}" \
    "$(echo "$t1 - $t0" | bc)" "$cpu" "$rss" "$(echo "$j1 - $j0" | bc)" "$(cut -d' ' -f1 /proc/loadavg)" "$per" | tee -a "$OUT"
  kill "$pid"; wait "$pid" 2>/dev/null || true
}
for s in ${SERVICES:-registry-service wallet-service health-insurance-service}; do
  for run in $(seq 1 "$RUNS"); do
    for v in "${VARS[@]}"; do   # interleaved, so that each variant sees the same machine
      IFS='|' read -r label apps jh opts <<<"$v"
      WORK=$(mktemp -d)
      [[ ${MODE:-fresh} != restart ]] && measure "$s" "$label" "$run" fresh "$WORK" "$apps" "$jh" "$opts"
      if [[ ${MODE:-fresh} != fresh ]]; then
        [[ ${MODE} == restart ]] && measure "$s" "$label" "$run" warmup "$WORK" "$apps" "$jh" "$opts" >/dev/null
        measure "$s" "$label" "$run" restart "$WORK" "$apps" "$jh" "$opts"
      fi
      rm -rf "$WORK"
    done
  done
done
echo "load at end: $(cut -d' ' -f1-3 /proc/loadavg)"
echo "medians (ready_s, cpu_s, started_s) and ratio to the first variant:"
awk -v first="$(IFS='|' read -r l _ <<<"${VARS[0]}"; echo "$l")" '
  function median(a, n,   i, j, t) { for (i = 1; i <= n; i++) for (j = i + 1; j <= n; j++) if (a[j] < a[i]) { t = a[i]; a[i] = a[j]; a[j] = t }
    return n % 2 ? a[(n + 1) / 2] : (a[n / 2] + a[n / 2 + 1]) / 2 }
  { k = $1 SUBSEP $2 SUBSEP $4; n[k]++; R[k, n[k]] = $6; C[k, n[k]] = $7; S[k, n[k]] = $5; keys[k] = 1 }
  END {
    for (k in keys) { split(k, p, SUBSEP); m = n[k]
      for (i = 1; i <= m; i++) { r[i] = R[k, i]; c[i] = C[k, i]; s[i] = S[k, i] }
      mr[k] = median(r, m); mc[k] = median(c, m); ms[k] = median(s, m) }
    for (k in keys) { split(k, p, SUBSEP); b = p[1] SUBSEP first SUBSEP p[3]
      printf "%-25s %-10s %-7s ready %6.2f s  cpu %6.2f s  started %6.2f s   ratio ready %.2f  cpu %.2f\n", p[1], p[2], p[3], mr[k], mc[k], ms[k], mr[k] / mr[b], mc[k] / mc[b] } }' "$OUT" | sort
rm -f "$OUT"
