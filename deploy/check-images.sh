#!/usr/bin/env bash
# What can be checked of the production images without pulling a base image (no registry with base images is
# reachable from the build machine): Jib builds each service's application layers and image configuration on an
# empty base ("scratch") and pushes them to a throw-away registry on loopback (Debian's docker-registry); the image
# read back must carry what the manifests rely on: user 185, the service's port, java -jar quarkus-run.jar, the
# application's files. Not checked here: the real base image (ubi9 OpenJDK runtime), pulling it, and running the
# image (no container runtime). On a machine with registry access the README's one command builds the real images.
# Usage: deploy/check-images.sh        (builds the three services for PostgreSQL, no tests)
set -euo pipefail
cd "$(dirname "$0")/.."
PORT=${CHECK_IMAGES_PORT:-9150}
command -v docker-registry >/dev/null || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq docker-registry >/dev/null; }
WORK=$(mktemp -d /tmp/myna-images.XXXXXX)
cat > "$WORK/registry.yml" <<EOF
version: 0.1
log: {level: warn}
storage: {filesystem: {rootdirectory: $WORK/store}}
http: {addr: 127.0.0.1:$PORT}
EOF
docker-registry serve "$WORK/registry.yml" > "$WORK/registry.log" 2>&1 &
REG_PID=$!
trap 'kill $REG_PID 2>/dev/null || true; rm -rf "$WORK"' EXIT
for _ in $(seq 1 50); do curl -sf "http://127.0.0.1:$PORT/v2/" >/dev/null && break; sleep 0.2; done

./mvnw -B -q -pl platform,registry-service,wallet-service,health-insurance-service,portal -am package -DskipTests \
  -Dquarkus.datasource.db-kind=postgresql -Dquarkus.container-image.build=true -Dquarkus.container-image.push=true \
  -Dquarkus.container-image.registry="localhost:$PORT" -Dquarkus.container-image.insecure=true \
  -Dquarkus.jib.base-jvm-image=scratch

accept='application/vnd.oci.image.manifest.v1+json,application/vnd.docker.distribution.manifest.v2+json'
declare -A ports=([registry-service]=8081 [wallet-service]=8082 [health-insurance-service]=8083 [portal]=8084)
for s in registry-service wallet-service health-insurance-service portal; do
  base="http://127.0.0.1:$PORT/v2/myna/$s"
  tag=$(curl -sf "$base/tags/list" | jq -r '.tags[0]')
  manifest=$(curl -sf -H "Accept: $accept" "$base/manifests/$tag")
  config=$(curl -sf "$base/blobs/$(jq -r .config.digest <<<"$manifest")")
  user=$(jq -r .config.User <<<"$config")
  entry=$(jq -c '.config.Entrypoint' <<<"$config")
  exposed=$(jq -r '.config.ExposedPorts | keys | join(",")' <<<"$config")
  layers=$(jq '.layers | length' <<<"$manifest")
  echo "   myna/$s:$tag  user=$user ports=$exposed layers=$layers entrypoint=$entry"
  [ "$user" = 185 ] || { echo "FAIL: $s runs as '$user', the manifests expect uid 185"; exit 1; }
  [ "$exposed" = "${ports[$s]}/tcp" ] || { echo "FAIL: $s exposes $exposed"; exit 1; }
  grep -q 'quarkus-run.jar' <<<"$config" || { echo "FAIL: $s does not start quarkus-run.jar: $entry"; exit 1; }
  [ "$layers" -ge 3 ] || { echo "FAIL: $s has $layers layers"; exit 1; }
done
echo "images: application layers and configuration checked (base image not pulled)"
