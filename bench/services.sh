# Starts the three services (sourced after common.sh): registry :$R, wallet :$W, insurance :$I (BENCH_PORT_BASE+1..3,
# default 18181..18183, so that two scenarios can run side by side), each in
# its own scratch directory under $WORK, demo profile, fresh H2 files. JAVA_OPTS_<svc> adds JVM options.
R=$(( ${BENCH_PORT_BASE:-18180} + 1 )); W=$(( ${BENCH_PORT_BASE:-18180} + 2 )); I=$(( ${BENCH_PORT_BASE:-18180} + 3 ))
start_suite() {
  export INSURANCE_URL=http://localhost:$I WALLET_URL=http://localhost:$W REGISTRY_URL=http://localhost:$R
  export TOKEN_JWKS_URL=http://localhost:$R/.well-known/jwks.json
  start_service registry-service $R "$WORK/registry" ${JAVA_OPTS_registry:-}
  wait_ready $R
  [[ ${1:-all} == registry ]] && return 0
  start_service wallet-service $W "$WORK/wallet" ${JAVA_OPTS_wallet:-}
  start_service health-insurance-service $I "$WORK/insurance" ${JAVA_OPTS_insurance:-}
  wait_ready $W; wait_ready $I
}
bench_java() { java -cp "$CARD_JAR:$H2_JAR" "$ROOT/bench/FlowBench.java" "$@"; }

# DB=postgres: the services on PostgreSQL 15 — a fresh database $1, one schema and user per service, as in .ci/run.
# APPS must then hold jars packaged with -Dquarkus.datasource.db-kind=postgresql.
use_postgres() {
  pg_isready -q || { echo "PostgreSQL is not running: pg_ctlcluster 15 main start" >&2; exit 1; }
  su postgres -c "psql -v ON_ERROR_STOP=1 -q" <<SQL
DROP DATABASE IF EXISTS $1 WITH (FORCE);
CREATE DATABASE $1 ENCODING 'UTF8' TEMPLATE template0;
\\c $1
DO \$\$
DECLARE s text;
BEGIN
  FOREACH s IN ARRAY ARRAY['registry', 'wallet', 'insurance'] LOOP
    IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = s) THEN
      EXECUTE format('CREATE ROLE %I LOGIN PASSWORD %L', s, s);
    END IF;
    EXECUTE format('CREATE SCHEMA %I AUTHORIZATION %I', s, s);
    EXECUTE format('REVOKE ALL ON SCHEMA %I FROM PUBLIC', s);
  END LOOP;
END \$\$;
SQL
  local url="jdbc:postgresql://localhost:5432/$1?reWriteBatchedInserts=true"
  export REGISTRY_DB_URL=$url WALLET_DB_URL=$url INSURANCE_DB_URL=$url
  # The first connections of a starting JVM have taken longer than the pool's default 5 s on this shared machine.
  for s in registry wallet insurance; do
    eval "export JAVA_OPTS_$s=\"\${JAVA_OPTS_$s:-} -Dquarkus.datasource.jdbc.acquisition-timeout=60S\""
  done
}
