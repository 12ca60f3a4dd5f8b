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
[[ ${DB:-h2} == postgres ]] && use_postgres myna_bench_recon
trap stop_all EXIT
start_suite
DB=${DB:-h2} machine
bench_java reconcile registry=http://localhost:$R insurance=http://localhost:$I members=${1:-10000} clients=${2:-4} enrol=${3:-batch}
