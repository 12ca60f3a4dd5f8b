# Shared helpers for the bench scripts (sourced). By default the services are packaged from this checkout
# (BUILD=1); APPS=<dir> uses prebuilt jars instead (<dir>/<service>/quarkus-run.jar and the card-simulator jars),
# which is how the recorded runs were made, so that Maven builds did not compete with the measurement.
# Optional, for a script that needs less or another build (defaults keep the behaviour above):
#   BUILD_SERVICES  the services to package (default: all three), BUILD_ARGS  extra Maven arguments
#   (e.g. -Dquarkus.datasource.db-kind=postgresql), APPS_DIR  where the packaged jars go (default bench/target/apps).
if [[ -z ${APPS:-} ]]; then BUILD=1; fi
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
if [[ ${BUILD:-0} == 1 ]]; then
  BUILD_SERVICES=${BUILD_SERVICES:-registry-service wallet-service health-insurance-service}
  for s in $BUILD_SERVICES; do
    (cd "$ROOT" && ./mvnw -B -q package -DskipTests ${BUILD_ARGS:-} -pl $s -am)
  done
  APPS=${APPS_DIR:-$ROOT/bench/target/apps}; rm -rf "$APPS"; mkdir -p "$APPS"
  for s in $BUILD_SERVICES; do cp -r "$ROOT/$s/target/quarkus-app" "$APPS/$s"; done
  cp "$ROOT"/card-simulator/target/card-simulator-*.jar "$APPS"/ 2>/dev/null || true
fi
H2_JAR=$(ls "$APPS"/registry-service/lib/main/com.h2database.h2-*.jar 2>/dev/null | head -1 || true)
CARD_JAR=$(ls "$APPS"/card-simulator-*-cli.jar 2>/dev/null | head -1 || true)
machine() {
  local db="H2 $(basename "$H2_JAR" .jar | sed 's/.*h2-//') (file, MODE=PostgreSQL)"
  [[ ${DB:-h2} == postgres ]] && db="PostgreSQL $(su postgres -c 'psql -Atc "show server_version"' 2>/dev/null) (localhost)"
  echo "machine: $(nproc) cores, $(free -m | awk '/Mem/{print $2}') MiB RAM, $(java -version 2>&1 | head -1), db=$db, jars=$APPS"
  echo "load: $(uptime)"
}
# start_service <service> <port> <workdir> [extra java opts...]; sets PID_<port>
# Benchmarks send every request from 127.0.0.1, far past the per-address rate limits of production: off here.
export RATE_LIMIT_ENABLED=${RATE_LIMIT_ENABLED:-false}
start_service() {
  local s=$1 port=$2 dir=$3; shift 3
  mkdir -p "$dir"
  (cd "$dir" && exec java "$@" -Dquarkus.profile=demo -Dquarkus.http.port=$port -jar "$APPS/$s/quarkus-run.jar" >app.log 2>&1) &
  eval "PID_$port=$!"
  PIDS="${PIDS:-} $!"
}
wait_ready() {
  local port=$1
  # READY_TRIES (0.2 s each) or BENCH_READY_SECONDS; default 300 s, which a loaded 2-core machine needs.
  for _ in $(seq 1 ${READY_TRIES:-$(( ${BENCH_READY_SECONDS:-300} * 5 ))}); do curl -fsS -o /dev/null localhost:$port/q/health/ready 2>/dev/null && return 0; sleep 0.2; done
  echo "service on $port not ready" >&2; return 1
}
stop_all() { for p in ${PIDS:-}; do kill $p 2>/dev/null || true; done; for p in ${PIDS:-}; do wait $p 2>/dev/null || true; done; }
pid_of() { eval "echo \$PID_$1"; }
