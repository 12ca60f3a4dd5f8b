#!/usr/bin/env bash
# Creates the registry's key files for the Secret registry-keys (README "Deploy on Kubernetes"):
#   token-signing-key.pem  RSA 2048, PKCS#8 PEM: signs every token; its public half is served as the JWKS
#   card-ca-key.pem        EC P-256, PKCS#8 PEM: the card CA's key
#   card-ca-cert.pem       the card CA's self-signed certificate (30 years, CA with path length 0)
# Usage: deploy/keys.sh DIR [CA-SUBJECT]    then: kubectl -n myna create secret generic registry-keys --from-file=DIR
# Keep DIR offline afterwards (or delete it): these are the suite's most sensitive keys.
set -euo pipefail
dir=${1:?usage: deploy/keys.sh DIR [CA-SUBJECT]}
subject=${2:-/C=JP/O=My Number Suite/CN=My Number Card CA}
umask 077
mkdir -p "$dir"
openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out "$dir/token-signing-key.pem" 2>/dev/null
openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out "$dir/card-ca-key.pem" 2>/dev/null
openssl req -new -x509 -key "$dir/card-ca-key.pem" -sha256 -days 10950 -subj "$subject" \
  -addext "basicConstraints=critical,CA:TRUE,pathlen:0" -addext "keyUsage=critical,keyCertSign,cRLSign" \
  -addext "subjectKeyIdentifier=hash" -out "$dir/card-ca-cert.pem"
echo "wrote $dir/token-signing-key.pem $dir/card-ca-key.pem $dir/card-ca-cert.pem"
