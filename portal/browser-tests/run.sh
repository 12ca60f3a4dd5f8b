#!/usr/bin/env bash
# The browser stage: starts the packaged registry, wallet, insurance service and portal (demo profile, H2 files in a
# scratch directory, ports from MYNA_BROWSER_PORT_BASE+1..4, default 18481-18484), runs the chromium tests against
# them, and stops exactly the processes it started. Screenshots: portal/target/screenshots.
#   portal/browser-tests/run.sh            (after ./mvnw package; npm ci here; apt-get install chromium)
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)
BASE=${MYNA_BROWSER_PORT_BASE:-18480}
REGISTRY_PORT=$((BASE + 1)) WALLET_PORT=$((BASE + 2)) INSURANCE_PORT=$((BASE + 3)) PORTAL_PORT=$((BASE + 4))
WORK=$(mktemp -d "${TMPDIR:-/tmp}/myna-browser.XXXXXX")
PIDS=()
stop() {
  for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${PIDS[@]}"; do wait "$pid" 2>/dev/null || true; done
}
trap stop EXIT
trap "exit 143" TERM INT
started=$(date +%s)

start() { # module port env...
  local module=$1 port=$2
  shift 2
  (cd "$WORK" && exec env "$@" java -Xmx256m -XX:TieredStopAtLevel=1 -Dquarkus.profile=demo -Dquarkus.http.port="$port" \
    -jar "$ROOT/$module/target/quarkus-app/quarkus-run.jar" >"$WORK/$module.log" 2>&1) &
  PIDS+=($!)
}

R="http://localhost:$REGISTRY_PORT" W="http://localhost:$WALLET_PORT" I="http://localhost:$INSURANCE_PORT"
P="http://localhost:$PORTAL_PORT"
start registry-service "$REGISTRY_PORT" INSURANCE_URL="$I" WALLET_URL="$W"
start wallet-service "$WALLET_PORT" REGISTRY_URL="$R" TOKEN_JWKS_URL="$R/.well-known/jwks.json"
start health-insurance-service "$INSURANCE_PORT" REGISTRY_URL="$R" TOKEN_JWKS_URL="$R/.well-known/jwks.json"
# A short access-log page, so that a resident's few rows already span pages (care.test.mjs pages through them).
start portal "$PORTAL_PORT" REGISTRY_URL="$R" WALLET_URL="$W" INSURANCE_URL="$I" PORTAL_NAME="${PORTAL_NAME:-}" \
  PORTAL_ACCESS_LOG_PAGE_SIZE="${PORTAL_ACCESS_LOG_PAGE_SIZE:-4}"

for url in "$R" "$W" "$I" "$P"; do
  for i in $(seq 1 480); do
    curl -fsS -o /dev/null "$url/q/health/ready" 2>/dev/null && break
    if ((i == 480)); then echo "not ready: $url (logs in $WORK)"; tail -n 20 "$WORK"/*.log; exit 1; fi
    sleep 0.5
  done
done
echo "   services ready after $(($(date +%s) - started)) s (logs in $WORK)"

cd "$HERE"
status=0
MYNA_REGISTRY_URL=$R MYNA_WALLET_URL=$W MYNA_INSURANCE_URL=$I MYNA_PORTAL_URL=$P \
  node --test --test-concurrency=1 ${MYNA_BROWSER_TESTS:-tests/} || status=$?
echo "   browser tests: $( ((status == 0)) && echo passed || echo FAILED) in $(($(date +%s) - started)) s;" \
  "screenshots in portal/target/screenshots"
if ((status != 0)); then tail -n 30 "$WORK/portal.log"; fi
exit $status
