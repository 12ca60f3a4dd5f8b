#!/usr/bin/env bash
# Resident import through the batch API vs a raw JDBC batch insert, and look-ups by number, in one run.
# usage: bench/import.sh h2|postgres [residents] [threads] [lookup-seconds]
set -euo pipefail
cd "$(dirname "$0")/.."
DB=${1:-h2}; N=${2:-100000}; THREADS=${3:-2}; LOOKUP=${4:-10}
M2=~/.m2/repository
H2_JAR=$(ls $M2/com/h2database/h2/*/h2-*.jar | sort -V | tail -1)
PG_JAR=$(ls $M2/org/postgresql/postgresql/*/postgresql-*.jar | sort -V | tail -1)
WORK=bench/target/$DB; rm -rf "$WORK"; mkdir -p "$WORK"
MIGRATION=registry-service/src/main/resources/db/migration/V1__create_client_and_resident.sql

if [[ $DB == postgres ]]; then
  ./mvnw -B -q package -DskipTests -pl registry-service -am -Dquarkus.datasource.db-kind=postgresql
  cp -r registry-service/target/quarkus-app "$WORK/app"
  ./mvnw -B -q package -DskipTests -pl registry-service -am   # back to the H2 default for ./myna
  su postgres -c "psql -q -c 'DROP DATABASE IF EXISTS myna_bench WITH (FORCE)' -c \"CREATE DATABASE myna_bench ENCODING 'UTF8' TEMPLATE template0\""
  su postgres -c "psql -q -d myna_bench -c \"DO \\\$\\\$ BEGIN IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname='registry') THEN CREATE ROLE registry LOGIN PASSWORD 'registry'; END IF; END \\\$\\\$\" -c 'CREATE SCHEMA registry AUTHORIZATION registry'"
  export REGISTRY_DB_URL="jdbc:postgresql://localhost:5432/myna_bench?reWriteBatchedInserts=true"
  JDBC_URL=$REGISTRY_DB_URL; CP=$PG_JAR
else
  [[ -f registry-service/target/quarkus-app/quarkus-run.jar ]] || ./mvnw -B -q package -DskipTests -pl registry-service -am
  cp -r registry-service/target/quarkus-app "$WORK/app"
  export REGISTRY_DB_URL="jdbc:h2:file:$PWD/$WORK/registry;MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH"
  JDBC_URL="jdbc:h2:file:$PWD/$WORK/baseline;MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH"; CP=$H2_JAR
fi

PORT=18081
(cd "$WORK" && exec java -Dquarkus.profile=demo -Dquarkus.http.port=$PORT -jar app/quarkus-run.jar >registry.log 2>&1) &
PID=$!
trap 'kill $PID 2>/dev/null || true' EXIT
for _ in $(seq 1 240); do curl -fsS -o /dev/null localhost:$PORT/q/health/ready 2>/dev/null && break; sleep 0.5; done
echo "machine: $(nproc) cores, $(free -g | awk '/Mem/{print $2}') GiB, $(java -version 2>&1 | head -1), db=$DB"
java -Dmigration=$MIGRATION -cp "$CP" bench/ImportBench.java "http://localhost:$PORT" "$JDBC_URL" registry registry "$N" "$THREADS" "$LOOKUP"
