#!/usr/bin/env bash
# Issue 5: wallet grants (charges that earn card-acquisition points) and redemptions per second, after the setup
# that needs the registry (card-signed operation tokens for payment choices and applications; the application asks
# the registry exchange), next to raw JDBC inserts of the same number of transfer rows (one insert + commit each)
# into a table of the wallet's transfer definition (its own V1 migration, fresh database) in the same run.
# DB=postgres runs the wallet on PostgreSQL 15 (database myna_bench_wallet; the baseline in myna_bench_wallet_base,
# same cluster); the registry, which only serves the setup, stays on H2. Default: H2 files.
# JFR of the wallet JVM over the grant and redemption phases, summarised by bench/JfrTop.java.
# usage: [DB=postgres [PG_WALLET_APP=<quarkus-app dir>]] bench/wallet.sh [--build] [holders=100] [clients=4] [charges-per-holder=10] [warmup=holders*charges]
# (charges of 100 yen, 25 points back each: at most 200 per holder, warm-up included)
set -euo pipefail
[[ ${1:-} == --build ]] && { BUILD=1; shift; }
source "$(dirname "$0")/common.sh"; source "$(dirname "$0")/services.sh"
WORK=$ROOT/bench/target/wallet; rm -rf "$WORK"; mkdir -p "$WORK"
unzip -p "$APPS"/wallet-service/app/wallet-service-*.jar db/migration/V1__create_campaign_and_ledger.sql > "$WORK/V1.sql"
BASELINE="jdbc:h2:file:$WORK/baseline;MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH;WRITE_DELAY=0"
if [[ ${DB:-h2} == postgres ]]; then
  # The datasource kind is fixed at build time: package a PostgreSQL wallet (unless PG_WALLET_APP names one already
  # packaged with -Dquarkus.datasource.db-kind=postgresql), then put the checkout back to H2.
  cp -r "$APPS" "$WORK/apps"; rm -rf "$WORK/apps/wallet-service"
  if [[ -n ${PG_WALLET_APP:-} ]]; then
    cp -r "$PG_WALLET_APP" "$WORK/apps/wallet-service"
  else
    (cd "$ROOT" && ./mvnw -B -q package -DskipTests -pl wallet-service -Dquarkus.datasource.db-kind=postgresql)
    cp -r "$ROOT/wallet-service/target/quarkus-app" "$WORK/apps/wallet-service"
    (cd "$ROOT" && ./mvnw -B -q package -DskipTests -pl wallet-service)
  fi
  APPS=$WORK/apps
  pg_isready -q || { echo "PostgreSQL is not running: pg_ctlcluster 15 main start" >&2; exit 1; }
  su postgres -c "psql -v ON_ERROR_STOP=1 -q" <<'SQL'
DO $$ BEGIN
  IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'wallet') THEN CREATE ROLE wallet LOGIN PASSWORD 'wallet'; END IF;
END $$;
DROP DATABASE IF EXISTS myna_bench_wallet WITH (FORCE);
DROP DATABASE IF EXISTS myna_bench_wallet_base WITH (FORCE);
CREATE DATABASE myna_bench_wallet OWNER wallet ENCODING 'UTF8' TEMPLATE template0;
CREATE DATABASE myna_bench_wallet_base OWNER wallet ENCODING 'UTF8' TEMPLATE template0;
\c myna_bench_wallet
CREATE SCHEMA wallet AUTHORIZATION wallet;
SQL
  export WALLET_DB_URL="jdbc:postgresql://localhost:5432/myna_bench_wallet?reWriteBatchedInserts=true"
  BASELINE="jdbc:postgresql://localhost:5432/myna_bench_wallet_base"
fi
PG_JAR=$(ls "$APPS"/wallet-service/lib/main/org.postgresql.postgresql-*.jar | head -1)
trap stop_all EXIT
start_suite
machine
[[ ${DB:-h2} == postgres ]] && echo "wallet db: $(su postgres -c 'psql -tAc "select version()"')"
java -cp "$CARD_JAR:$H2_JAR:$PG_JAR" "$ROOT/bench/FlowBench.java" wallet registry=http://localhost:$R wallet=http://localhost:$W \
  holders=${1:-100} clients=${2:-4} charges=${3:-10} ${4:+warmup=$4} "jdbc=$BASELINE" migration=$WORK/V1.sql jfr=$(pid_of $W):$WORK/wallet.jfr
jcmd $(pid_of $W) JFR.stop name=bench >/dev/null 2>&1 || true
for _ in $(seq 1 30); do [[ -s $WORK/wallet.jfr ]] && break; sleep 1; done
echo "== JFR wallet JVM (grants and redemptions)"; java "$ROOT/bench/JfrTop.java" "$WORK/wallet.jfr" 15
