#!/usr/bin/env bash
# Trains the start-up caches of the packaged services with one run of the demo journey (bin/demo.sh, the script
# suite-tests' DemoIT runs): the three services start together with recording on, the demo drives every service
# through its real paths (tokens, card logins, eligibility, grants, charges, redemptions), then SIGTERM, and each
# JVM writes its cache at exit.
#   JDK 25+ (AOT_JAVA_HOME, default /usr/lib/jvm/temurin-25-jdk-amd64): Leyden AOT cache (JEP 483/514/515: classes
#     loaded and linked, method profiles) -> <quarkus-app>/app.aot, used with -XX:AOTCache=<that file>
#   otherwise (CDS=1 or no JDK 25): AppCDS dynamic archive of the default java -> <quarkus-app>/app-cds.jsa,
#     used with -XX:SharedArchiveFile=<that file>
# The jars must be packaged as aot-jar (-Daot, i.e. -Dquarkus.package.jar.type=aot-jar): in the default fast-jar
# the application's classes come through Quarkus' own class loader, which neither cache can hold.
# A cache is valid only for the very jars and JDK it was trained with: train again after every package (a JVM given
# a cache whose jars changed refuses it and starts without it).
# usage: [APPS=<dir with <service>/quarkus-run.jar>] [CDS=1] bench/aot-train.sh    (default: each <service>/target/quarkus-app)
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
SERVICES=(registry-service wallet-service health-insurance-service)
AOT_JAVA_HOME=${AOT_JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}
app_of() { if [[ -n ${APPS:-} ]]; then echo "$APPS/$1"; else echo "$ROOT/$1/target/quarkus-app"; fi; }
for s in "${SERVICES[@]}"; do
  [[ -f $(app_of "$s")/quarkus-run.jar ]] || { echo "$(app_of "$s")/quarkus-run.jar is missing: package first (./mvnw package -DskipTests -Daot)" >&2; exit 1; }
done
if [[ ${CDS:-0} != 1 && -x $AOT_JAVA_HOME/bin/java ]]; then
  JAVA=$AOT_JAVA_HOME/bin/java; KIND=aot; FILE=app.aot
  record() { echo "-XX:AOTCacheOutput=$1/app.aot"; }
else
  JAVA=java; KIND=appcds; FILE=app-cds.jsa
  record() { echo "-XX:ArchiveClassesAtExit=$1/app-cds.jsa"; }
fi
CARD_JAR=$(ls "$ROOT"/card-simulator/target/card-simulator-*-cli.jar 2>/dev/null | head -1 || true)
[[ -n $CARD_JAR ]] || { echo "the card simulator is missing: ./mvnw -B package -DskipTests -pl card-simulator -am" >&2; exit 1; }
BASE=${TRAIN_PORT_BASE:-18780}
R=$((BASE + 1)) W=$((BASE + 2)) I=$((BASE + 3))
declare -A PORT=([registry-service]=$R [wallet-service]=$W [health-insurance-service]=$I)
# Patience for a loaded machine: the training run's timeouts only (nothing of it is in the cache).
SLOW_MACHINE="-Dquarkus.rest-client.registry.read-timeout=30000 -Dquarkus.rest-client.registry.connect-timeout=10000 -DTimeout/value=30000"
WORK=$(mktemp -d)
PIDS=()
cleanup() { for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done; rm -rf "$WORK"; }
trap cleanup EXIT
export REGISTRY_URL=http://localhost:$R WALLET_URL=http://localhost:$W INSURANCE_URL=http://localhost:$I
export TOKEN_JWKS_URL=http://localhost:$R/.well-known/jwks.json RATE_LIMIT_ENABLED=false
echo "training $KIND caches with $("$JAVA" -version 2>&1 | head -1) (scratch $WORK)"
t0=$(date +%s)
for s in "${SERVICES[@]}"; do
  app=$(app_of "$s"); rm -f "$app/$FILE"
  mkdir -p "$WORK/$s"
  (cd "$WORK/$s" && exec "$JAVA" $(record "$app") -Dquarkus.profile=demo -Dquarkus.http.port="${PORT[$s]}" \
    -Dquarkus.datasource.jdbc.acquisition-timeout=PT60S $SLOW_MACHINE -jar "$app/quarkus-run.jar" >app.log 2>&1) &
  PIDS+=($!)
  # The registry first: the others ask it for keys and standing as they start.
  if [[ $s == registry-service ]]; then
    for _ in $(seq 1 1500); do curl -fsS -o /dev/null "localhost:$R/q/health/ready" 2>/dev/null && break; sleep 0.2; done
  fi
done
for s in "${SERVICES[@]}"; do
  for _ in $(seq 1 1500); do curl -fsS -o /dev/null "localhost:${PORT[$s]}/q/health/ready" 2>/dev/null && break; sleep 0.2; done
  curl -fsS -o /dev/null "localhost:${PORT[$s]}/q/health/ready" || { echo "$s not ready: $WORK/$s/app.log" >&2; tail -20 "$WORK/$s/app.log" >&2; exit 1; }
  # The documents and the metrics page are part of a normal day too.
  curl -fsS -o /dev/null "localhost:${PORT[$s]}/q/openapi" || true
  curl -fsS -o /dev/null "localhost:${PORT[$s]}/q/metrics" || true
done
MYNA_REGISTRY_URL=$REGISTRY_URL MYNA_WALLET_URL=$WALLET_URL MYNA_INSURANCE_URL=$INSURANCE_URL MYNA_CARD_JAR=$CARD_JAR \
  MYNA_DEMO_DIR="$WORK/demo" "$ROOT/bin/demo.sh" >"$WORK/demo.log" 2>&1 \
  || { echo "warning: the demo stopped early (the cache is still valid, trained on less):" >&2; tail -3 "$WORK/demo.log" >&2; }
echo "demo journey done ($(( $(date +%s) - t0 )) s); stopping the services, each writes its cache"
for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done
for p in "${PIDS[@]}"; do wait "$p" 2>/dev/null || true; done
PIDS=()
for s in "${SERVICES[@]}"; do
  f=$(app_of "$s")/$FILE
  if [[ -s $f ]]; then echo "  $f ($(du -h "$f" | cut -f1))"; else
    echo "  $s: no $FILE written; its log ends with:" >&2; tail -15 "$WORK/$s/app.log" >&2; exit 1; fi
done
echo "trained in $(( $(date +%s) - t0 )) s"
