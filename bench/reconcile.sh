#!/usr/bin/env bash
# Reconciliation: residents imported by batch, enrolled (and linked through the registry) as members of one insurer,
# then POST /api/reconciliations (demo-auditor) timed until it finishes.
# Members are enrolled in pages of 500 (POST .../members/batch); enrol=single enrols them one by one instead.
# DB=postgres: the three services on PostgreSQL 15 (a fresh database myna_bench_recon, one schema and user per
# service, as in .ci/run); APPS must then hold jars packaged with -Dquarkus.datasource.db-kind=postgresql.
# usage: [DB=postgres] bench/reconcile.sh [--build] [members=10000] [clients=4] [enrol=batch|single]
set -euo pipefail
[[ ${1:-} == --build ]] && { BUILD=1; shift; }
[[ ${DB:-h2} == postgres && ${BUILD:-0} == 1 ]] && export BUILD_ARGS="-Dquarkus.datasource.db-kind=postgresql"
source "$(dirname "$0")/common.sh"; source "$(dirname "$0")/services.sh"
WORK=$ROOT/bench/target/reconcile; rm -rf "$WORK"; mkdir -p "$WORK"
if [[ ${DB:-h2} == postgres ]]; then
  pg_isready -q || { echo "PostgreSQL is not running: pg_ctlcluster 15 main start" >&2; exit 1; }
  su postgres -c "psql -v ON_ERROR_STOP=1 -q" <<'SQL'
DROP DATABASE IF EXISTS myna_bench_recon WITH (FORCE);
CREATE DATABASE myna_bench_recon ENCODING 'UTF8' TEMPLATE template0;
\c myna_bench_recon
DO $$
DECLARE s text;
BEGIN
  FOREACH s IN ARRAY ARRAY['registry', 'wallet', 'insurance'] LOOP
    IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = s) THEN
      EXECUTE format('CREATE ROLE %I LOGIN PASSWORD %L', s, s);
    END IF;
    EXECUTE format('CREATE SCHEMA %I AUTHORIZATION %I', s, s);
    EXECUTE format('REVOKE ALL ON SCHEMA %I FROM PUBLIC', s);
  END LOOP;
END $$;
SQL
  URL="jdbc:postgresql://localhost:5432/myna_bench_recon?reWriteBatchedInserts=true"
  export REGISTRY_DB_URL=$URL WALLET_DB_URL=$URL INSURANCE_DB_URL=$URL
  # The first connections of a starting JVM have taken longer than the pool's default 5 s on this shared machine.
  for s in registry wallet insurance; do
    eval "export JAVA_OPTS_$s=\"\${JAVA_OPTS_$s:-} -Dquarkus.datasource.jdbc.acquisition-timeout=60S\""
  done
fi
trap stop_all EXIT
start_suite
DB=${DB:-h2} machine
bench_java reconcile registry=http://localhost:$R insurance=http://localhost:$I members=${1:-10000} clients=${2:-4} enrol=${3:-batch}
