# Starts the three services (sourced after common.sh): registry :18181, wallet :18182, insurance :18183, each in
# its own scratch directory under $WORK, demo profile, fresh H2 files. JAVA_OPTS_<svc> adds JVM options.
start_suite() {
  export INSURANCE_URL=http://localhost:18183 WALLET_URL=http://localhost:18182 REGISTRY_URL=http://localhost:18181
  export TOKEN_JWKS_URL=http://localhost:18181/.well-known/jwks.json
  start_service registry-service 18181 "$WORK/registry" ${JAVA_OPTS_registry:-}
  wait_ready 18181
  [[ ${1:-all} == registry ]] && return 0
  start_service wallet-service 18182 "$WORK/wallet" ${JAVA_OPTS_wallet:-}
  start_service health-insurance-service 18183 "$WORK/insurance" ${JAVA_OPTS_insurance:-}
  wait_ready 18182; wait_ready 18183
}
bench_java() { java -cp "$CARD_JAR:$H2_JAR" "$ROOT/bench/FlowBench.java" "$@"; }
