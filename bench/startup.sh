#!/usr/bin/env bash
# Start-up time (Quarkus' own "started in", and wall time from exec to ready) and idle RSS of each service,
# JVM mode, fresh H2 files in a scratch directory (first start: Flyway migrates, demo keys are generated).
# usage: bench/startup.sh [--build] [runs]
set -euo pipefail
[[ ${1:-} == --build ]] && { BUILD=1; shift; }
source "$(dirname "$0")/common.sh"
RUNS=${1:-3}
machine
printf '%-26s %-5s %-14s %-14s %s\n' service run "started_in_s" "wall_ready_s" "idle_rss_mb"
for s in registry-service wallet-service health-insurance-service; do
  for run in $(seq 1 "$RUNS"); do
    WORK=$(mktemp -d); PORT=18090
    t0=$(date +%s.%N)
    (cd "$WORK" && exec java -Dquarkus.profile=demo -Dquarkus.http.port=$PORT -jar "$APPS/$s/quarkus-run.jar" >app.log 2>&1) &
    PID=$!
    for _ in $(seq 1 1200); do curl -fsS -o /dev/null localhost:$PORT/q/health/ready 2>/dev/null && break; sleep 0.02; done
    t1=$(date +%s.%N)
    sleep 3
    rss=$(awk '/VmRSS/{print int($2/1024)}' /proc/$PID/status)
    started=$(grep -o 'started in [0-9.]*s' "$WORK/app.log" | grep -o '[0-9.]*' | head -1)
    printf '%-26s %-5s %-14s %-14.2f %s\n' "$s" "$run" "$started" "$(echo "$t1 - $t0" | bc)" "$rss"
    kill $PID; wait $PID 2>/dev/null || true; rm -rf "$WORK"
  done
done
