# Starts the three services (sourced after common.sh): registry :$R, wallet :$W, insurance :$I (BENCH_PORT_BASE+1..3,
# default 18181..18183, so that two scenarios can run side by side), each in
# its own scratch directory under $WORK, demo profile, fresh H2 files. JAVA_OPTS_<svc> adds JVM options.
R=$(( ${BENCH_PORT_BASE:-18180} + 1 )); W=$(( ${BENCH_PORT_BASE:-18180} + 2 )); I=$(( ${BENCH_PORT_BASE:-18180} + 3 ))
start_suite() {
  export INSURANCE_URL=http://localhost:$I WALLET_URL=http://localhost:$W REGISTRY_URL=http://localhost:$R
  export TOKEN_JWKS_URL=http://localhost:$R/.well-known/jwks.json
  start_service registry-service $R "$WORK/registry" ${JAVA_OPTS_registry:-}
  wait_ready $R
  [[ ${1:-all} == registry ]] && return 0
  start_service wallet-service $W "$WORK/wallet" ${JAVA_OPTS_wallet:-}
  start_service health-insurance-service $I "$WORK/insurance" ${JAVA_OPTS_insurance:-}
  wait_ready $W; wait_ready $I
}
bench_java() { java -cp "$CARD_JAR:$H2_JAR" "$ROOT/bench/FlowBench.java" "$@"; }
