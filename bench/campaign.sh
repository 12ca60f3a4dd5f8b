#!/usr/bin/env bash
# Issue 8, campaign: N residents with cards (real card flow) and insurance links each register a public-fund account,
# choose a payment service and apply for all three grants; then charges and redemptions; then the campaign report,
# the trial balance and every person's own balance are checked (exit 1 if any check fails). All three services;
# DB=postgres runs them on a fresh PostgreSQL database (myna_bench_campaign; APPS packaged for PostgreSQL).
# usage: [DB=postgres] bench/campaign.sh [--build] [persons=1000] [clients=4] [charges-per-person=4] [redemptions-per-person=2]
set -euo pipefail
[[ ${1:-} == --build ]] && { BUILD=1; shift; }
[[ ${DB:-h2} == postgres && ${BUILD:-0} == 1 ]] && export BUILD_ARGS="-Dquarkus.datasource.db-kind=postgresql"
source "$(dirname "$0")/common.sh"; source "$(dirname "$0")/services.sh"
WORK=$ROOT/bench/target/campaign; rm -rf "$WORK"; mkdir -p "$WORK"
[[ ${DB:-h2} == postgres ]] && use_postgres myna_bench_campaign
trap stop_all EXIT
start_suite
DB=${DB:-h2} machine
bench_java campaign registry=http://localhost:$R wallet=http://localhost:$W insurance=http://localhost:$I \
  persons=${1:-1000} clients=${2:-4} charges=${3:-4} redemptions=${4:-2}
