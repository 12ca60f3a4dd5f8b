#!/usr/bin/env bash
# Issue 4: eligibility card checks at clinics, open loop at fixed arrival rates (latency from the scheduled send
# time), next to /q/health/live of the insurance service at the same rate in the same run; all three services up;
# JFR of the insurance and registry JVMs during the measured phase, summarised by bench/JfrTop.java.
# DB=postgres runs the registry and the insurance service on PostgreSQL 15 (fresh databases myna_bench_elig_registry
# and myna_bench_elig_insurance, schema and user per service as in .ci/run); the wallet, which this flow does not use,
# stays on H2. Their PostgreSQL jars come from PG_APPS=<dir> (<dir>/<service>/quarkus-run.jar) or are packaged from
# this checkout with -Dquarkus.datasource.db-kind=postgresql (the checkout is packaged for H2 again afterwards).
# usage: [DB=postgres] [PG_APPS=<dir>] bench/eligibility.sh [--build] [holders=200] [rates=100,200,400] [seconds=20]
set -euo pipefail
[[ ${1:-} == --build ]] && { BUILD=1; shift; }
source "$(dirname "$0")/common.sh"; source "$(dirname "$0")/services.sh"
WORK=$ROOT/bench/target/eligibility; rm -rf "$WORK"; mkdir -p "$WORK"
if [[ ${DB:-h2} == postgres ]]; then
  pg_isready -q || { echo "PostgreSQL is not running: pg_ctlcluster 15 main start" >&2; exit 1; }
  cp -r "$APPS" "$WORK/apps"
  for s in registry-service health-insurance-service; do
    rm -rf "$WORK/apps/$s"
    if [[ -n ${PG_APPS:-} ]]; then
      cp -r "$PG_APPS/$s" "$WORK/apps/$s"
    else
      # The datasource kind is fixed at build time: package for PostgreSQL, then put the checkout back to H2.
      (cd "$ROOT" && ./mvnw -B -q package -DskipTests -pl $s -Dquarkus.datasource.db-kind=postgresql)
      cp -r "$ROOT/$s/target/quarkus-app" "$WORK/apps/$s"
      (cd "$ROOT" && ./mvnw -B -q package -DskipTests -pl $s)
    fi
  done
  APPS=$WORK/apps
  su postgres -c "psql -v ON_ERROR_STOP=1 -q" <<'SQL'
DO $$ BEGIN
  IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'registry') THEN CREATE ROLE registry LOGIN PASSWORD 'registry'; END IF;
  IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'insurance') THEN CREATE ROLE insurance LOGIN PASSWORD 'insurance'; END IF;
END $$;
DROP DATABASE IF EXISTS myna_bench_elig_registry WITH (FORCE);
DROP DATABASE IF EXISTS myna_bench_elig_insurance WITH (FORCE);
CREATE DATABASE myna_bench_elig_registry ENCODING 'UTF8' TEMPLATE template0;
CREATE DATABASE myna_bench_elig_insurance ENCODING 'UTF8' TEMPLATE template0;
\c myna_bench_elig_registry
CREATE SCHEMA registry AUTHORIZATION registry;
REVOKE CREATE ON SCHEMA public FROM PUBLIC;
\c myna_bench_elig_insurance
CREATE SCHEMA insurance AUTHORIZATION insurance;
REVOKE CREATE ON SCHEMA public FROM PUBLIC;
SQL
  export REGISTRY_DB_URL="jdbc:postgresql://localhost:5432/myna_bench_elig_registry?reWriteBatchedInserts=true"
  export INSURANCE_DB_URL="jdbc:postgresql://localhost:5432/myna_bench_elig_insurance?reWriteBatchedInserts=true"
fi
trap stop_all EXIT
start_suite
machine
[[ ${DB:-h2} == postgres ]] && echo "databases: myna_bench_elig_registry, myna_bench_elig_insurance on $(su postgres -c 'psql -tAc "select version()"')"
bench_java eligibility registry=http://localhost:$R insurance=http://localhost:$I holders=${1:-200} rates=${2:-100,200,400} \
  seconds=${3:-20} cpu=insurance:$(pid_of $I),registry:$(pid_of $R) jfr=$(pid_of $I):$WORK/insurance.jfr,$(pid_of $R):$WORK/registry.jfr
# How the insurance service answered: from its card replica, or by asking the registry (stale feed, unknown card).
echo "== card replica (insurance /q/metrics)"; curl -fsS localhost:$I/q/metrics 2>/dev/null | grep -E '^(myna_card_(replica|standing_staleness)|eligibility_writer_(batch_size|commit_seconds)_(count|sum|max)|eligibility_writer_queue)' || echo "  (no card replica)"
sleep 2
for s in insurance registry; do
  jcmd $(pid_of $([[ $s == insurance ]] && echo $I || echo $R)) JFR.stop name=bench >/dev/null 2>&1 || true
  for _ in $(seq 1 30); do [[ -s $WORK/$s.jfr ]] && break; sleep 1; done
  echo "== JFR $s JVM (measured phase)"; java "$ROOT/bench/JfrTop.java" "$WORK/$s.jfr" 12
done
