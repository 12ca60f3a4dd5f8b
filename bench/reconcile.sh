#!/usr/bin/env bash
# Reconciliation: residents imported by batch, enrolled (and linked through the registry) as members of one insurer,
# then POST /api/reconciliations (demo-auditor) timed until it finishes; the rate is extrapolated linearly to 1M.
# Members are enrolled in pages of 500 (POST .../members/batch); enrol=single enrols them one by one instead.
# usage: bench/reconcile.sh [--build] [members=10000] [clients=4] [enrol=batch|single]
set -euo pipefail
[[ ${1:-} == --build ]] && { BUILD=1; shift; }
source "$(dirname "$0")/common.sh"; source "$(dirname "$0")/services.sh"
WORK=$ROOT/bench/target/reconcile; rm -rf "$WORK"; mkdir -p "$WORK"
trap stop_all EXIT
start_suite
machine
bench_java reconcile registry=http://localhost:$R insurance=http://localhost:$I members=${1:-10000} clients=${2:-4} enrol=${3:-batch}
