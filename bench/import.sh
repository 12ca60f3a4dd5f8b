#!/usr/bin/env bash
# Resident import through the batch API vs a raw JDBC batch insert into a table of the same definition, and
# look-ups by number, in one run.
# usage: [DB=h2|postgres] [JFR=1] bench/import.sh [--build] [residents] [threads] [lookup-seconds]
#   DB=h2 (default): the registry on a fresh H2 file; the raw JDBC baseline into a separate H2 file.
#   DB=postgres: the registry packaged with -Dquarkus.datasource.db-kind=postgresql on a fresh database myna_bench
#     (schema and user "registry", as .ci/run makes them) of the local PostgreSQL 15 cluster (started if down,
#     never stopped); the raw JDBC baseline into schema "raw" of the same database (reWriteBatchedInserts=true).
#   IMPORT_DB (default myna_bench): the PostgreSQL database the run drops and makes anew, so that parallel sessions
#     can each measure in a database of their own.
#   IMPORT_PORT (default 18081): the registry's port, so that a run can stay clear of other benchmarks' ports.
#   IMPORT_WARMUP (default 2000): residents imported before the measured phase (JIT, pools), in batches of 1,000
#     when above 2,000.
#   IMPORT_ROUNDS (default 0: a cold run, as before): warm-up rounds, each a whole import of <residents> into the same
#     registry (and a whole raw loop into the same raw table), before the measured round. Each round prints its rate,
#     CPU per 1,000 and the share of the registry's CPU its JIT compiler threads took; the measured round prints
#     registry_compiler_share and whether it is "warm" as issue 18 defines it (compiler threads below 5 % of the
#     window's CPU). Both measured rounds then write into a table that holds IMPORT_ROUNDS x <residents> rows.
#   IMPORT_ROUND_BATCH (default 1000, the measured requests' size): records per request in the warm-up rounds; smaller
#     requests bring per-request code to the JIT's last tier in fewer residents.
#   On PostgreSQL the CPU of the backends serving IMPORT_DB is printed beside that of all PostgreSQL processes.
#   JFR=1: records the registry JVM with JFR (settings=profile) from its start and prints bench/JfrTop.java summaries
#     of the measured import's and look-ups' windows only. (Starting a recording in the running JVM, as this did
#     before, retransforms JDK classes and deoptimises what inlined them: the measured window then recompiles, 58 %
#     of the registry's CPU in the JIT against 14 % without JFR, `import2-pg-before-warm-jfr-300k.txt`.)
set -euo pipefail
[[ ${1:-} == --build ]] && { BUILD=1; shift; }
DB=${DB:-h2}
if [[ $DB == postgres ]]; then
  export BUILD_SERVICES=registry-service BUILD_ARGS="-Dquarkus.datasource.db-kind=postgresql"
  export APPS_DIR=${APPS_DIR:-$(cd "$(dirname "$0")" && pwd)/target/apps-pg}
else
  export BUILD_SERVICES=registry-service APPS_DIR=${APPS_DIR:-$(cd "$(dirname "$0")" && pwd)/target/apps-import}
fi
source "$(dirname "$0")/common.sh"
N=${1:-100000}; THREADS=${2:-2}; LOOKUP=${3:-10}
WORK=$ROOT/bench/target/import-$DB; rm -rf "$WORK"; mkdir -p "$WORK"
unzip -p "$APPS"/registry-service/app/registry-service-*.jar db/migration/V1__create_client_and_resident.sql > "$WORK/V1.sql"
# V42 folds the registration key into the resident row: the baseline's table is then the same as the registry's.
unzip -p "$APPS"/registry-service/app/registry-service-*.jar 'db/migration/V42__*.sql' >> "$WORK/V1.sql" 2>/dev/null || true
PORT=${IMPORT_PORT:-18081}; READY_TRIES=${READY_TRIES:-3000}  # up to 10 min: start-up is slow on the shared machine
# Never measure a registry left over from an earlier run (it would answer the readiness check).
for _ in $(seq 1 60); do ss -ltn | grep -q ":$PORT " || break; sleep 1; done
if ss -ltn | grep -q ":$PORT "; then echo "port $PORT is in use: stop whatever listens there first" >&2; exit 1; fi
if [[ $DB == postgres ]]; then
  pg_isready -q || pg_ctlcluster 15 main start || pg_ctlcluster 15 main status
  for _ in $(seq 1 30); do pg_isready -q && break; sleep 1; done
  IMPORT_DB=${IMPORT_DB:-myna_bench}
  [[ $IMPORT_DB =~ ^[a-z_][a-z0-9_]*$ ]] || { echo "IMPORT_DB must be a plain lower-case name" >&2; exit 1; }
  su postgres -c "psql -v ON_ERROR_STOP=1 -q" <<SQL
DROP DATABASE IF EXISTS $IMPORT_DB WITH (FORCE);
CREATE DATABASE $IMPORT_DB ENCODING 'UTF8' TEMPLATE template0;
\c $IMPORT_DB
DO \$\$
BEGIN
  IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'registry') THEN
    CREATE ROLE registry LOGIN PASSWORD 'registry';
  END IF;
END \$\$;
CREATE SCHEMA registry AUTHORIZATION registry;
CREATE SCHEMA raw AUTHORIZATION registry;
REVOKE ALL ON SCHEMA registry FROM PUBLIC;
REVOKE ALL ON SCHEMA raw FROM PUBLIC;
REVOKE CREATE ON SCHEMA public FROM PUBLIC;
SQL
  JDBC_URL="jdbc:postgresql://localhost:5432/$IMPORT_DB?reWriteBatchedInserts=true"
  export REGISTRY_DB_URL=$JDBC_URL REGISTRY_DB_USER=registry REGISTRY_DB_PASSWORD=registry
  DRIVER_JAR=$(ls "$APPS"/registry-service/lib/main/org.postgresql.postgresql-*.jar | head -1)
else
  JDBC_URL="jdbc:h2:file:$WORK/baseline;MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH;WRITE_DELAY=0"
  DRIVER_JAR=$H2_JAR
fi
# A generous pool acquisition timeout: on the shared machine the first PostgreSQL connections of a starting JVM
# have taken longer than the default 5 s.
EXTRA=(); [[ $DB == postgres ]] && EXTRA=(-Dquarkus.datasource.jdbc.acquisition-timeout=60S)
# IMPORT_JAVA_OPTS: extra options for the registry JVM (e.g. -XX:+PrintCompilation), word-split.
EXTRA+=(${IMPORT_JAVA_OPTS:-})
# The JIT's compiler threads stay alive (JDK 17 ends idle ones), so that their CPU in the measured window is read whole
# from /proc; this changes when a thread exists, not what is compiled.
EXTRA+=(-XX:-UseDynamicNumberOfCompilerThreads)
[[ ${JFR:-0} == 1 ]] && EXTRA+=(-XX:StartFlightRecording=name=bench,settings=profile)
start_service registry-service $PORT "$WORK/registry" "${EXTRA[@]}"
trap stop_all EXIT
wait_ready $PORT
machine
java -Dmigration="$WORK/V1.sql" -Dregistry.pid=$(pid_of $PORT) -Dwarmup=${IMPORT_WARMUP:-2000} -Drounds=${IMPORT_ROUNDS:-0} -Dround.batch=${IMPORT_ROUND_BATCH:-1000} \
  ${IMPORT_DB:+-Dpg.db=$IMPORT_DB} -cp "$DRIVER_JAR" "$ROOT/bench/ImportBench.java" "http://localhost:$PORT" "$JDBC_URL" registry registry "$N" "$THREADS" "$LOOKUP" \
  | tee "$WORK/bench.out"
echo "load after: $(uptime)"
if [[ ${JFR:-0} == 1 ]]; then
  jcmd "$(pid_of $PORT)" JFR.dump name=bench filename="$WORK/registry.jfr" >/dev/null
  for phase in import lookup; do
    read -r from to < <(awk -v p=$phase '$1 == "window" && $2 == p {print $3, $4}' "$WORK/bench.out")
    echo "== JFR registry JVM, $phase phase (epoch $from..$to)"; java -Dfrom=$from -Dto=$to "$ROOT/bench/JfrTop.java" "$WORK/registry.jfr" 15
  done
fi
