#!/usr/bin/env bash
# CI stage: deploy/ checked by a real Kubernetes API server.
#  1. deploy/base/*/kubernetes.yml equal what quarkus-kubernetes generates from this build (target/kubernetes).
#  2. kube-apiserver (Debian bookworm's source package `kubernetes`, 1.20.x, built offline once and cached outside the
#     clone in $KUBE_CACHE) and Debian's etcd run on loopback.
#  3. Each overlay is rendered (kubectl kustomize), every object is validated against the current JSON schemas (npm
#     kubernetes-models); the kinds this 1.20 server serves are applied with --dry-run=server, then for real, and read
#     back. Kinds it does not know (autoscaling/v2, policy/v1) stay as they are, checked by the schemas only.
#  4. Deliberately broken manifests must be refused by both checks, or the checks prove nothing.
# Any refusal fails the stage. Needs root for apt-get only when something is missing.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
KUBE_CACHE=${KUBE_CACHE:-/var/cache/myna-kube}
K8S_SRC_VERSION=1.20.5+really1.20.2
NPM_DIR=$KUBE_CACHE/npm
ETCD_PORT=${KUBE_ETCD_PORT:-23790}
API_PORT=${KUBE_API_PORT:-16443}
OVERLAYS=(production demo)
t0=$(date +%s)
say() { echo "   [kube $(( $(date +%s) - t0 ))s] $*"; }

apt_install() {
  local missing=()
  for p in "$@"; do dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p"); done
  if [ ${#missing[@]} -gt 0 ]; then
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
  fi
}

echo "== Kubernetes manifests (deploy/)"

# Tools. kubectl renders with its built-in Kustomize (v4+ syntax: kubectl >= 1.21, e.g. the Google Cloud SDK's).
KUBECTL=$(command -v kubectl || true)
if [ -z "$KUBECTL" ] || ! "$KUBECTL" version --client -o json 2>/dev/null | grep -q '"kustomizeVersion": "v[45]'; then
  echo "FAIL: kubectl with Kustomize v4+ (kubectl >= 1.21) is needed to render deploy/ and is not on PATH"
  exit 1
fi
apt_install etcd-server jq
APISERVER=$KUBE_CACHE/bin/kube-apiserver
if [ ! -x "$APISERVER" ]; then
  say "building kube-apiserver from Debian's source package kubernetes $K8S_SRC_VERSION (once; ~10 min on 2 cores)"
  if ! grep -rqs '^Types:.*deb-src\|^deb-src' /etc/apt/sources.list /etc/apt/sources.list.d/; then
    cat > /etc/apt/sources.list.d/myna-kube-src.sources <<'SRC'
Types: deb-src
URIs: http://deb.debian.org/debian
Suites: bookworm
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg
SRC
    apt-get update -qq
  fi
  apt_install golang-go rsync jq dpkg-dev
  mkdir -p "$KUBE_CACHE/src" "$KUBE_CACHE/bin" "$KUBE_CACHE/home"
  ( cd "$KUBE_CACHE/src" && [ -d "kubernetes-$K8S_SRC_VERSION" ] || apt-get source -qq "kubernetes=$K8S_SRC_VERSION-1.1+deb12u1" >/dev/null 2>&1 || apt-get source -qq kubernetes >/dev/null )
  src=$(ls -d "$KUBE_CACHE"/src/kubernetes-*/ | head -1)
  # As debian/rules does: the tree is its own GOPATH entry, all Go modules vendored (offline).
  ( cd "$src" && mkdir -p .go/src/k8s.io && { [ -L .go/src/k8s.io/kubernetes ] || ln -s ../../.. .go/src/k8s.io/kubernetes; } \
    && nice env HOME="$KUBE_CACHE/home" make WHAT=cmd/kube-apiserver >"$KUBE_CACHE/build.log" 2>&1 )
  cp "$src/_output/bin/kube-apiserver" "$APISERVER"
fi
if [ ! -f "$NPM_DIR/node_modules/kubernetes-models/package.json" ] || [ ! -f "$NPM_DIR/node_modules/js-yaml/package.json" ]; then
  mkdir -p "$NPM_DIR"
  ( cd "$NPM_DIR" && { [ -f package.json ] || echo '{"name":"myna-kube-schemas","private":true}' > package.json; } \
    && npm install --no-audit --no-fund --silent kubernetes-models@5.1.0 js-yaml@4.1.0 )
fi
say "kubectl $("$KUBECTL" version --client -o json | jq -r .clientVersion.gitVersion), $("$APISERVER" --version), etcd $(etcd --version | head -1 | awk '{print $3}'), kubernetes-models $(jq -r .version "$NPM_DIR/node_modules/kubernetes-models/package.json")"

# 1. The generated part is what this build's quarkus-kubernetes generates (compared as objects: the env order varies).
for s in registry-service wallet-service health-insurance-service; do
  generated=$s/target/kubernetes/kubernetes.yml
  [ -f "$generated" ] || { echo "FAIL: $generated missing: build the services first"; exit 1; }
  if ! node .ci/kube-same.mjs "$NPM_DIR" "deploy/base/$s/kubernetes.yml" "$generated"; then
    diff -u <(tail -n +3 "deploy/base/$s/kubernetes.yml") "$generated" | head -40 || true
    echo "FAIL: deploy/base/$s/kubernetes.yml differs from what quarkus-kubernetes generates: run deploy/generate.sh"
    exit 1
  fi
done
say "deploy/base/*/kubernetes.yml match quarkus-kubernetes' output"

# 2. etcd and the API server on loopback, in a scratch directory; both stopped on exit (by their own PIDs).
WORK=$(mktemp -d /tmp/myna-kube.XXXXXX)
ETCD_PID= ; API_PID=
cleanup() {
  [ -n "$API_PID" ] && kill "$API_PID" 2>/dev/null || true
  [ -n "$ETCD_PID" ] && kill "$ETCD_PID" 2>/dev/null || true
  wait 2>/dev/null || true
  rm -rf "$WORK"
}
trap cleanup EXIT
for port in "$ETCD_PORT" $((ETCD_PORT + 1)) "$API_PORT"; do
  if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then echo "FAIL: port $port is taken"; exit 1; fi
done
etcd --name myna-ci --data-dir "$WORK/etcd" \
  --listen-client-urls "http://127.0.0.1:$ETCD_PORT" --advertise-client-urls "http://127.0.0.1:$ETCD_PORT" \
  --listen-peer-urls "http://127.0.0.1:$((ETCD_PORT + 1))" --initial-advertise-peer-urls "http://127.0.0.1:$((ETCD_PORT + 1))" \
  --initial-cluster "myna-ci=http://127.0.0.1:$((ETCD_PORT + 1))" >"$WORK/etcd.log" 2>&1 &
ETCD_PID=$!
openssl genrsa -out "$WORK/sa.key" 2048 2>/dev/null
TOKEN=$(openssl rand -hex 24)
echo "$TOKEN,myna-ci,myna-ci,system:masters" > "$WORK/tokens.csv"
"$APISERVER" --etcd-servers "http://127.0.0.1:$ETCD_PORT" \
  --bind-address 127.0.0.1 --advertise-address 127.0.0.1 --secure-port "$API_PORT" --insecure-port 0 \
  --cert-dir "$WORK/certs" --token-auth-file "$WORK/tokens.csv" --authorization-mode RBAC \
  --service-account-key-file "$WORK/sa.key" --service-account-signing-key-file "$WORK/sa.key" \
  --service-account-issuer https://kubernetes.default.svc --api-audiences https://kubernetes.default.svc \
  --service-cluster-ip-range 10.96.0.0/24 >"$WORK/apiserver.log" 2>&1 &
API_PID=$!
cat > "$WORK/kubeconfig" <<CFG
apiVersion: v1
kind: Config
clusters: [{name: ci, cluster: {server: "https://127.0.0.1:$API_PORT", insecure-skip-tls-verify: true}}]
users: [{name: ci, user: {token: "$TOKEN"}}]
contexts: [{name: ci, context: {cluster: ci, user: ci}}]
current-context: ci
CFG
export KUBECONFIG=$WORK/kubeconfig
for _ in $(seq 1 120); do
  "$KUBECTL" get --raw /readyz >/dev/null 2>&1 && break
  kill -0 "$API_PID" 2>/dev/null || { tail -20 "$WORK/apiserver.log"; echo "FAIL: kube-apiserver exited"; exit 1; }
  sleep 0.5
done
"$KUBECTL" get --raw /readyz >/dev/null || { tail -20 "$WORK/apiserver.log"; echo "FAIL: kube-apiserver not ready"; exit 1; }
"$KUBECTL" api-versions > "$WORK/served.txt"
say "kube-apiserver $("$KUBECTL" version -o json 2>/dev/null | jq -r .serverVersion.gitVersion) ready on 127.0.0.1:$API_PORT ($(wc -l < "$WORK/served.txt") API versions served)"

# Renders, schema-checks, and applies one overlay (or any kustomization); prints the objects accepted per kind.
check_kustomization() {
  local dir=$1 name=$2
  "$KUBECTL" kustomize "$dir" > "$WORK/$name.yaml"
  node "$ROOT/.ci/kube-manifests.mjs" "$NPM_DIR" "$WORK/$name.yaml" "$WORK/served.txt" "$WORK/$name.json" || return 1
  # A server-side dry run of a namespaced object needs its Namespace to exist: those are created first.
  jq '{apiVersion: "v1", kind: "List", items: [.items[] | select(.kind == "Namespace")]}' "$WORK/$name.json" > "$WORK/$name.ns.json"
  "$KUBECTL" apply -f "$WORK/$name.ns.json" > /dev/null || return 1
  "$KUBECTL" apply --dry-run=server -f "$WORK/$name.json" > "$WORK/$name.dry-run.log" 2>&1 || { cat "$WORK/$name.dry-run.log"; return 1; }
  "$KUBECTL" apply -f "$WORK/$name.json" > "$WORK/$name.apply.log" 2>&1 || { cat "$WORK/$name.apply.log"; return 1; }
  # Read every object back from the server: what it stored, counted per kind.
  "$KUBECTL" get -f "$WORK/$name.json" -o json > "$WORK/$name.stored.json" || return 1
  local wanted stored
  wanted=$(jq '.items | length' "$WORK/$name.json")
  stored=$(jq '.items | length' "$WORK/$name.stored.json")
  [ "$wanted" = "$stored" ] || { echo "  applied $wanted objects, read back $stored"; return 1; }
  echo "  accepted and read back: $(jq -r '[.items[] | .kind] | group_by(.) | map("\(length) \(.[0])") | join(", ")' "$WORK/$name.stored.json")"
}

# The portal keeps sessions in each pod's memory (production runs 2 to 6 pods): its Ingress must keep a browser on its
# pod (cookie affinity, the cookie Secure and SameSite=Strict), or residents are logged out at random.
portal_affinity() {
  jq -e '[.items[] | select(.kind == "Ingress" and .metadata.name == "portal") | .metadata.annotations] as $ing
    | ($ing | length) == 1
      and $ing[0]["nginx.ingress.kubernetes.io/affinity"] == "cookie"
      and $ing[0]["nginx.ingress.kubernetes.io/session-cookie-secure"] == "true"
      and $ing[0]["nginx.ingress.kubernetes.io/session-cookie-samesite"] == "Strict"' "$1" > /dev/null
}

for overlay in "${OVERLAYS[@]}"; do
  say "overlay $overlay"
  check_kustomization "deploy/overlays/$overlay" "$overlay" || { echo "FAIL: deploy/overlays/$overlay refused"; exit 1; }
  portal_affinity "$WORK/$overlay.json" || { echo "FAIL: deploy/overlays/$overlay: the portal's Ingress lacks cookie affinity (sessions are per pod)"; exit 1; }
done
# ... and the check can fail: the production overlay without the affinity annotation is refused.
jq '(.items[] | select(.kind == "Ingress" and .metadata.name == "portal") | .metadata.annotations) |= del(.["nginx.ingress.kubernetes.io/affinity"])' \
  "$WORK/production.json" > "$WORK/no-affinity.json"
if portal_affinity "$WORK/no-affinity.json"; then echo "FAIL: a portal Ingress without affinity passed the check"; exit 1; fi
say "portal: cookie affinity at the Ingress (sessions per pod); its absence is refused"

# 3. The checks can fail: each broken manifest under deploy/test/broken must be refused.
for broken in deploy/test/broken/*/; do
  b=$(basename "$broken")
  if check_kustomization "$broken" "broken-$b" > "$WORK/broken-$b.log" 2>&1; then
    cat "$WORK/broken-$b.log"
    echo "FAIL: the deliberately broken manifest $broken was accepted: the check proves nothing"
    exit 1
  fi
  say "deliberately broken $b refused: $(grep -m1 -iE 'REFUSED|error|invalid' "$WORK/broken-$b.log" | cut -c1-160)"
done
say "Kubernetes manifests: passed"
