#!/usr/bin/env bash
# Issue 3: certificate issuances/s (application → CSRs → issuance → install → activation) and card logins/s
# (challenge → Card.signWithAuthKey → POST /api/auth/tokens) with N concurrent clients, next to /q/health/live
# at the same concurrency in the same run. Registry only.
# usage: bench/cards.sh [--build] [holders=200] [clients=4] [seconds=20]
set -euo pipefail
[[ ${1:-} == --build ]] && { BUILD=1; shift; }
source "$(dirname "$0")/common.sh"; source "$(dirname "$0")/services.sh"
WORK=$ROOT/bench/target/cards; rm -rf "$WORK"; mkdir -p "$WORK"
trap stop_all EXIT
start_suite registry
machine
bench_java cards registry=http://localhost:$R holders=${1:-200} clients=${2:-4} seconds=${3:-20} jfr=$(pid_of $R):$WORK/registry.jfr
jcmd $(pid_of $R) JFR.stop name=bench >/dev/null 2>&1 || true
for _ in $(seq 1 30); do [[ -s $WORK/registry.jfr ]] && break; sleep 1; done
echo "== JFR registry JVM (card-login and health phases)"; java "$ROOT/bench/JfrTop.java" "$WORK/registry.jfr" 12
