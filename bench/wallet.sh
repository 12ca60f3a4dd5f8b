#!/usr/bin/env bash
# Issue 5: wallet grants (charges that earn card-acquisition points) and redemptions per second, after the setup
# that needs the registry (card-signed operation tokens for payment choices and applications; the application asks
# the registry exchange), next to raw JDBC inserts of the same number of transfer rows into a table of the wallet's
# transfer definition (its own V1 migration, fresh H2 file) in the same run. H2 only: PostgreSQL not measured.
# usage: bench/wallet.sh [--build] [holders=100] [clients=4] [charges-per-holder=10]
set -euo pipefail
[[ ${1:-} == --build ]] && { BUILD=1; shift; }
source "$(dirname "$0")/common.sh"; source "$(dirname "$0")/services.sh"
WORK=$ROOT/bench/target/wallet; rm -rf "$WORK"; mkdir -p "$WORK"
unzip -p "$APPS"/wallet-service/app/wallet-service-*.jar db/migration/V1__create_campaign_and_ledger.sql > "$WORK/V1.sql"
trap stop_all EXIT
start_suite
machine
bench_java wallet registry=http://localhost:$R wallet=http://localhost:$W holders=${1:-100} clients=${2:-4} charges=${3:-10} \
  "jdbc=jdbc:h2:file:$WORK/baseline;MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH" migration=$WORK/V1.sql
