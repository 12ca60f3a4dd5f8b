#!/usr/bin/env bash
# Issue 4: eligibility card checks at clinics, open loop at fixed arrival rates (latency from the scheduled send
# time), next to /q/health/live of the insurance service at the same rate in the same run; all three services up;
# JFR of the insurance and registry JVMs during the measured phase, summarised by bench/JfrTop.java.
# usage: bench/eligibility.sh [--build] [holders=200] [rates=100,200,400] [seconds=20]
set -euo pipefail
[[ ${1:-} == --build ]] && { BUILD=1; shift; }
source "$(dirname "$0")/common.sh"; source "$(dirname "$0")/services.sh"
WORK=$ROOT/bench/target/eligibility; rm -rf "$WORK"; mkdir -p "$WORK"
trap stop_all EXIT
start_suite
machine
bench_java eligibility registry=http://localhost:$R insurance=http://localhost:$I holders=${1:-200} rates=${2:-100,200,400} \
  seconds=${3:-20} jfr=$(pid_of $I):$WORK/insurance.jfr,$(pid_of $R):$WORK/registry.jfr
sleep 2
for s in insurance registry; do
  jcmd $(pid_of $([[ $s == insurance ]] && echo $I || echo $R)) JFR.stop name=bench >/dev/null 2>&1 || true
  for _ in $(seq 1 30); do [[ -s $WORK/$s.jfr ]] && break; sleep 1; done
  echo "== JFR $s JVM (measured phase)"; java "$ROOT/bench/JfrTop.java" "$WORK/$s.jfr" 12
done
