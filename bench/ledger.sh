#!/usr/bin/env bash
# The wallet's batched ledger writer driven in-process (no HTTP) against pgledger's single-transfer SQL function and
# pgbench's one-insert-per-commit floor, in interleaved rounds of one window, on the local PostgreSQL 15 (issue 18,
# wallet target: writer >= pgledger's single-transfer rate). The writer side is wallet-service's LedgerWriterBench
# (a @QuarkusTest skipped unless -Dledger.bench=true) run by Maven against database $DBNAME.
# usage: bench/ledger.sh [clients=16] [seconds=10] [rounds=2]
# env: DBNAME (myna_bench; its schemas wallet and pgledger are dropped and made again, the rest is left alone),
#      PGLEDGER_ACCOUNTS (1000), RESIDENTS (64), OUT (file for the figures), WALLET_LEDGER_BATCH (the writer's batch size),
#      MVN_OPTS (extra Maven arguments, e.g. -o).
# pgledger (github.com/pgr0ss/pgledger at c18c7d2, MIT; its ULID helpers BSD-3) is vendored in bench/pgledger/.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
CLIENTS=${1:-16}; SECONDS_PER_RUN=${2:-10}; ROUNDS=${3:-2}
DBNAME=${DBNAME:-myna_bench}
OUT=${OUT:-$ROOT/bench/target/ledger-$(date +%Y%m%d-%H%M%S).txt}; mkdir -p "$(dirname "$OUT")"
pg_isready -q || pg_ctlcluster 15 main start || pg_ctlcluster 15 main status
for _ in $(seq 1 30); do pg_isready -q && break; sleep 1; done
su postgres -c "psql -Atc \"select 1 from pg_database where datname = '$DBNAME'\"" | grep -q 1 \
  || su postgres -c "createdb -E UTF8 -T template0 $DBNAME"
su postgres -c "psql -v ON_ERROR_STOP=1 -q $DBNAME" <<'SQL'
DO $$
BEGIN
  IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'wallet') THEN CREATE ROLE wallet LOGIN PASSWORD 'wallet'; END IF;
  IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'pgledger') THEN CREATE ROLE pgledger LOGIN PASSWORD 'pgledger'; END IF;
END $$;
DROP SCHEMA IF EXISTS wallet CASCADE;
DROP SCHEMA IF EXISTS pgledger CASCADE;
CREATE SCHEMA wallet AUTHORIZATION wallet;
CREATE SCHEMA pgledger AUTHORIZATION pgledger;
DROP TABLE IF EXISTS public.pgbench_one;
CREATE TABLE public.pgbench_one (id bigserial primary key, v text not null);
SQL
for f in scoville-ulid-to-uuid.sql scoville-uuid-to-ulid.sql pgledger.sql; do
  PGPASSWORD=pgledger PGOPTIONS="-c search_path=pgledger" psql -h localhost -U pgledger -v ON_ERROR_STOP=1 -q "$DBNAME" -f "$ROOT/bench/pgledger/$f"
done
URL="jdbc:postgresql://localhost:5432/$DBNAME?reWriteBatchedInserts=true"
echo "machine: $(nproc) cores, $(free -m | awk '/Mem/{print $2}') MiB RAM, $(java -version 2>&1 | head -1), PostgreSQL $(su postgres -c 'psql -Atc "show server_version"')"
echo "command: bench/ledger.sh $CLIENTS $SECONDS_PER_RUN $ROUNDS (PGLEDGER_ACCOUNTS=${PGLEDGER_ACCOUNTS:-1000} WALLET_LEDGER_BATCH=${WALLET_LEDGER_BATCH:-default})"
echo "load before: $(uptime)"
cd "$ROOT"
WALLET_DB_URL=$URL nice -n 0 ./mvnw -B ${MVN_OPTS:-} -pl platform,wallet-service -am test -Dtest=LedgerWriterBench \
  -Dsurefire.failIfNoSpecifiedTests=false -Dledger.bench=true -Dquarkus.test.profile=test,postgres \
  -Dquarkus.datasource.db-kind=postgresql -D%test.quarkus.datasource.jdbc.acquisition-timeout=PT60S -Dbench.clients="$CLIENTS" -Dbench.seconds="$SECONDS_PER_RUN" -Dbench.rounds="$ROUNDS" \
  -Dbench.residents="${RESIDENTS:-64}" -Dbench.pgledger.accounts="${PGLEDGER_ACCOUNTS:-1000}" -Dbench.pgledger.url="$URL" \
  -Dbench.database="$DBNAME" -Dbench.out="$OUT" ${WALLET_LEDGER_BATCH:+-Dwallet.ledger.batch-size=$WALLET_LEDGER_BATCH} \
  > "${OUT%.txt}.maven.log" 2>&1 || { tail -60 "${OUT%.txt}.maven.log"; exit 1; }
cat "$OUT"
echo "load after: $(uptime)"
