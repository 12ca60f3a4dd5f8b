#!/usr/bin/env bash
# Start-up time and idle RSS of each service, JVM mode, demo profile, H2 files in a scratch directory.
#   fresh:   empty directory (Flyway migrates, demo keys/CA generated)      restart: same directory again
# Columns: Quarkus' own "started in", wall time from exec to /q/health/ready answering, CPU seconds the JVM used
# until ready (user+sys; less sensitive to a busy machine than wall time), idle RSS 3 s after ready, and as the
# same-run baseline the wall time of a trivial JVM (`java -version`) just before.
# VARIANTS: JVM option sets to compare in the same run, separated by '|' (default: one set, no options); the token
# CDS stands for -XX:SharedArchiveFile=<the service's app-cds.jsa> (package with -Dquarkus.package.jar.appcds.enabled=true).
# usage: [VARIANTS='|CDS|CDS -XX:+UseSerialGC -Xmx256m'] bench/startup.sh [--build] [runs]
set -euo pipefail
[[ ${1:-} == --build ]] && { BUILD=1; shift; }
source "$(dirname "$0")/common.sh"
RUNS=${1:-3}
machine
TCK=$(getconf CLK_TCK)
printf '%-25s %-4s %-8s %-11s %-11s %-9s %-11s %-14s %s\n' service run start started_in_s wall_ready_s cpu_s idle_rss_mb java_version_s jvm_options
measure() { # service run kind dir options
  local s=$1 run=$2 kind=$3 dir=$4 PORT=18090
  local opts=${5//CDS/-XX:SharedArchiveFile=$APPS/$s/app-cds.jsa}
  local j0=$(date +%s.%N); java -version >/dev/null 2>&1; local j1=$(date +%s.%N)
  local t0=$(date +%s.%N)
  (cd "$dir" && exec java $opts -Dquarkus.profile=demo -Dquarkus.http.port=$PORT -jar "$APPS/$s/quarkus-run.jar" >>app.log 2>&1) &
  local PID=$!
  for _ in $(seq 1 3000); do curl -fsS -o /dev/null localhost:$PORT/q/health/ready 2>/dev/null && break; sleep 0.01; done
  local t1=$(date +%s.%N)
  local cpu=$(awk -v t=$TCK '{printf "%.2f", ($14+$15)/t}' /proc/$PID/stat)
  sleep 3
  local rss=$(awk '/VmRSS/{print int($2/1024)}' /proc/$PID/status)
  local started=$(grep -o 'started in [0-9.]*s' "$dir/app.log" | grep -o '[0-9.]*' | tail -1)
  printf '%-25s %-4s %-8s %-11s %-11.2f %-9s %-11s %-14.2f %s\n' "$s" "$run" "$kind" "$started" "$(echo "$t1 - $t0" | bc)" "$cpu" "$rss" "$(echo "$j1 - $j0" | bc)" "${5:--}"
  kill $PID; wait $PID 2>/dev/null || true
}
for s in ${SERVICES:-registry-service wallet-service health-insurance-service}; do
  for run in $(seq 1 "$RUNS"); do
    IFS='|' read -r -a variants <<< "${VARIANTS:-}"; [[ ${#variants[@]} == 0 ]] && variants=("")
    for v in "${variants[@]}"; do   # interleaved, so that each variant sees the same machine
      WORK=$(mktemp -d)
      measure $s $run fresh "$WORK" "$v"
      measure $s $run restart "$WORK" "$v"
      rm -rf "$WORK"
    done
  done
done
