#!/usr/bin/env bash
# Lints the three OpenAPI documents the build wrote (target/openapi/openapi.json) with @redocly/cli: no errors allowed.
set -euo pipefail
cd "$(dirname "$0")"
if [ ! -x node_modules/.bin/redocly ]; then
  npm ci --no-audit --no-fund --silent
fi
status=0
for s in registry-service wallet-service health-insurance-service; do
  doc="../../$s/target/openapi/openapi.json"
  [ -s "$doc" ] || { echo "FAIL: $doc is missing (package the services first)"; exit 1; }
  if out=$(node_modules/.bin/redocly lint --config redocly.yaml --format=summary "$doc" 2>&1); then :; else status=1; fi
  errors=$(awk '/^error +[a-z0-9.-]+: [0-9]+/ {s+=$NF} END {print s+0}' <<<"$out")
  warnings=$(awk '/^warning +[a-z0-9.-]+: [0-9]+/ {s+=$NF} END {print s+0}' <<<"$out")
  echo "   $s: $errors errors, $warnings warnings"
  grep -E '^(error|warning) ' <<<"$out" | sed 's/^/      /' || true
done
exit $status
