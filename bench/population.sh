#!/usr/bin/env bash
# Issue 8, population: import residents through the batch API, then issue and activate one card per resident through
# the registry's real card flow (application, issuance, activation), N clients back to back, then logins with a
# sample of the cards. The registry runs alone (H2 files, or DB=postgres: database myna_bench_population, APPS
# packaged for PostgreSQL); the chip is a bench chip (see FlowBench.population).
# usage: [DB=postgres] bench/population.sh [--build] [residents=100000] [cards=residents] [clients=4]
set -euo pipefail
[[ ${1:-} == --build ]] && { BUILD=1; shift; }
[[ ${DB:-h2} == postgres && ${BUILD:-0} == 1 ]] && export BUILD_ARGS="-Dquarkus.datasource.db-kind=postgresql"
source "$(dirname "$0")/common.sh"; source "$(dirname "$0")/services.sh"
WORK=$ROOT/bench/target/population; rm -rf "$WORK"; mkdir -p "$WORK"
[[ ${DB:-h2} == postgres ]] && use_postgres myna_bench_population
trap stop_all EXIT
start_suite registry
DB=${DB:-h2} machine
bench_java population registry=http://localhost:$R residents=${1:-100000} cards=${2:-${1:-100000}} clients=${3:-4} jfr=$(pid_of $R):$WORK/registry.jfr
jcmd $(pid_of $R) JFR.stop name=bench >/dev/null 2>&1 || true
for _ in $(seq 1 30); do [[ -s $WORK/registry.jfr ]] && break; sleep 1; done
echo "== JFR registry JVM (the first 10 minutes of the card flow)"; java "$ROOT/bench/JfrTop.java" "$WORK/registry.jfr" 15
echo "registry RSS after the run: $(ps -o rss= -p "$(pid_of $R)" | awk '{printf "%.0f MB", $1/1024}')"
[[ ${DB:-h2} == postgres ]] && echo "registry schema on disk: $(su postgres -c "psql -tAd myna_bench_population -c \"select pg_size_pretty(sum(pg_total_relation_size(c.oid))) from pg_class c join pg_namespace n on n.oid = c.relnamespace where n.nspname = 'registry'\"")" \
  || echo "registry data on disk: $(du -sh "$WORK/registry" | cut -f1)"
