#!/usr/bin/env bash
# Resident import through the batch API vs a raw JDBC batch insert, and look-ups by number, in one run (H2).
# usage: bench/import.sh [--build] [residents] [threads] [lookup-seconds]
set -euo pipefail
[[ ${1:-} == --build ]] && { BUILD=1; shift; }
source "$(dirname "$0")/common.sh"
N=${1:-100000}; THREADS=${2:-2}; LOOKUP=${3:-10}
WORK=$ROOT/bench/target/import; rm -rf "$WORK"; mkdir -p "$WORK"
unzip -p "$APPS"/registry-service/app/registry-service-*.jar db/migration/V1__create_client_and_resident.sql > "$WORK/V1.sql"
PORT=18081
start_service registry-service $PORT "$WORK/registry"
trap stop_all EXIT
wait_ready $PORT
machine
JDBC_URL="jdbc:h2:file:$WORK/baseline;MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH"
java -Dmigration="$WORK/V1.sql" -cp "$H2_JAR" "$ROOT/bench/ImportBench.java" "http://localhost:$PORT" "$JDBC_URL" registry registry "$N" "$THREADS" "$LOOKUP"
