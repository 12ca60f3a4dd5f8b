#!/usr/bin/env bash
# The demo: one resident's whole journey through the running suite, with the card simulator's CLI and curl.
# Every step checks its answer and stops the demo (exit 1) with a plain message when something is wrong.
#
#   ./myna up && ./myna demo        (or: bin/demo.sh against services elsewhere)
#
# Overridable: MYNA_REGISTRY_URL, MYNA_WALLET_URL, MYNA_INSURANCE_URL (default localhost:8081/8082/8083),
# MYNA_CARD_JAR (default card-simulator/target/card-simulator-*-cli.jar), MYNA_DEMO_DIR (default data/demo:
# card files and the last answers). Needs java, curl and jq.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)

REGISTRY=${MYNA_REGISTRY_URL:-http://localhost:8081}
WALLET=${MYNA_WALLET_URL:-http://localhost:8082}
INSURANCE=${MYNA_INSURANCE_URL:-http://localhost:8083}
DEMO_DIR=${MYNA_DEMO_DIR:-$ROOT/data/demo}
CLINIC=1312345678 # the clinic's medical institution code
PIN=1234
PASSWORD=abc123

# ---------------------------------------------------------------------------------------------------------------
# Helpers: printing, failing, HTTP, the card, numbers.

STEP="start"
step() { STEP="$1"; printf '\n%s\n' "$1"; }
say() { printf '   %s\n' "$*"; }
fail() {
  printf '\nDEMO FAILED at "%s":\n   %s\n' "$STEP" "$*" >&2
  exit 1
}

need() { command -v "$1" >/dev/null 2>&1 || fail "$1 is not installed ($2)"; }

# http METHOD URL [curl args...]: the answer's status in STATUS, its body in $BODY (a file).
http() {
  local method=$1 url=$2
  shift 2
  STATUS=$(curl -sS --max-time 60 -o "$BODY" -w '%{http_code}' -X "$method" "$@" "$url" 2>"$DEMO_DIR/curl.err") \
    || fail "cannot reach $url: $(cat "$DEMO_DIR/curl.err")"
}

# expect STATUS WHAT: stops the demo unless the last answer had this status, naming the problem it reported.
expect() {
  [[ "$STATUS" == "$1" ]] && return 0
  local problem
  problem=$(jq -r '[.code // .type // empty, .detail // .title // empty] | join(": ")' "$BODY" 2>/dev/null || true)
  fail "$2: expected HTTP $1, got $STATUS${problem:+ ($problem)}"
}

# field JQ-FILTER: a value from the last answer ("" when absent).
field() { jq -r "($1) | select(. != null)" "$BODY"; }

# check ACTUAL EXPECTED WHAT
check() { [[ "$1" == "$2" ]] || fail "$3: expected '$2', got '${1:-nothing}'"; }

json_post() { # URL TOKEN JSON [curl args...]: POST with a bearer token and a JSON body
  local url=$1 token=$2 body=$3
  shift 3
  http POST "$url" -H "Authorization: Bearer $token" -H 'Content-Type: application/json' --data-binary "$body" "$@"
}

idempotency_key() { od -An -N16 -tx1 /dev/urandom | tr -d ' \n'; }

# token CLIENT: an organisation's token by client credentials (demo clients: secret "<id>-secret").
token() {
  http POST "$REGISTRY/oauth2/token" -d grant_type=client_credentials -d "client_id=$1" -d "client_secret=$1-secret"
  expect 200 "token for $1"
  TOKEN=$(field .access_token)
}

# card SUBCOMMAND ARGS...: the card simulator's CLI; its output in CARD_OUT. Data goes as --option="$value" (one
# argument): a base64url nonce begins with '-' one time in 64 and must never be read as an option (issue 16).
card() {
  CARD_OUT=$(java -XX:TieredStopAtLevel=1 -jar "$CARD_JAR" "$@" 2>"$DEMO_DIR/card.err") \
    || fail "the card simulator refused '$1': $(cat "$DEMO_DIR/card.err")"
}

# card_login CARDFILE CERTFILE AUDIENCE [OPERATION]: challenge → the card signs → a resident or operation token.
card_login() {
  local card_file=$1 cert=$2 audience=$3 operation=${4:-}
  http POST "$REGISTRY/api/auth/challenges"
  expect 200 "login challenge"
  local challenge_id nonce
  challenge_id=$(field .challengeId)
  nonce=$(field .nonce)
  card sign --card="$card_file" --pin="$PIN" --challenge="$nonce"
  local body
  body=$(jq -n --arg c "$challenge_id" --rawfile cert "$cert" --arg s "$CARD_OUT" --arg a "$audience" --arg o "$operation" \
    '{challengeId: $c, certificate: $cert, signature: $s, audience: $a} + (if $o == "" then {} else {operation: $o} end)')
  http POST "$REGISTRY/api/auth/${operation:+operation-}tokens" -H 'Content-Type: application/json' --data-binary "$body"
  TOKEN=$(field .access_token)
}

# clinic_check: the clinic's nonce, signed by the card, checked by the insurance service; the answer in $BODY.
clinic_check() {
  token demo-facility
  local facility=$TOKEN
  http POST "$INSURANCE/api/eligibility/challenges" -H "Authorization: Bearer $facility" -H "X-Institution-Code: $CLINIC"
  expect 201 "the clinic's nonce"
  local challenge_id nonce
  challenge_id=$(field .challengeId)
  nonce=$(field .nonce)
  card sign --card="$CARD" --pin="$PIN" --challenge="$nonce"
  json_post "$INSURANCE/api/eligibility/card-checks" "$facility" \
    "$(jq -n --arg c "$challenge_id" --rawfile cert "$AUTH_CERT" --arg s "$CARD_OUT" '{challengeId: $c, certificate: $cert, signature: $s}')" \
    -H "X-Institution-Code: $CLINIC"
  expect 200 "eligibility check by card"
}

digits() { # N random digits
  local out=""
  for ((i = 0; i < $1; i++)); do out+=$((RANDOM % 10)); done
  echo "$out"
}

corporate_number() { # 12 digits → the 13-digit corporate number with its leading check digit
  local base=$1 sum=0 n
  for ((n = 1; n <= 12; n++)); do sum=$((sum + ${base:12-n:1} * (n % 2 == 1 ? 1 : 2))); done
  echo "$((9 - sum % 9))$base"
}

insurer_number() { # 7 digits → the 8-digit insurer number with its trailing check digit
  local base=$1 sum=0 i p
  for ((i = 0; i < ${#base}; i++)); do
    p=$((${base:${#base}-1-i:1} * (i % 2 == 0 ? 2 : 1)))
    sum=$((sum + p / 10 + p % 10))
  done
  echo "$base$(((10 - sum % 10) % 10))"
}

masked() { echo "********${1:8:4}"; } # an individual number as the demo shows it: last four digits only

# issue_card CARDFILE: application → the card's CSRs → issuance → install → activation by the holder's PIN.
# Sets CARD_ID and AUTH_SERIAL; the issuance answer stays in CARDFILE.issuance.json, the auth certificate in .auth.pem.
issue_card() {
  local card_file=$1
  card create --card="$card_file" --pin="$PIN" --password="$PASSWORD" --force
  say "the card simulator made a card with its own key pairs: card id $CARD_OUT"
  token demo-clerk
  json_post "$REGISTRY/api/card-applications" "$TOKEN" "$(jq -n --arg n "$NUMBER" '{number: $n}')"
  expect 201 "card application"
  local application
  application=$(field .applicationId)
  say "the clerk opened card application $application"
  card request --card="$card_file" --application="$application" --pin="$PIN" --password="$PASSWORD"
  say "the card signed two certificate requests (authentication key, signature key) after PIN and password"
  json_post "$REGISTRY/api/card-applications/$application/issuance" "$TOKEN" "$CARD_OUT"
  expect 200 "certificate issuance"
  cp "$BODY" "$card_file.issuance.json"
  jq -r .authCertificate "$card_file.issuance.json" >"$card_file.auth.pem"
  CARD_ID=$(field .cardId)
  AUTH_SERIAL=$(field .authSerial)
  local sign_serial challenge
  sign_serial=$(field .signSerial)
  challenge=$(field .activationChallenge)
  say "the registry's CA issued the certificates: authentication $AUTH_SERIAL, signature $sign_serial (card $CARD_ID)"
  card install --card="$card_file" --issuance="$card_file.issuance.json"
  card activate --card="$card_file" --pin="$PIN" --challenge="$challenge"
  json_post "$REGISTRY/api/cards/$CARD_ID/activation" "$TOKEN" "$(jq -n --arg s "$CARD_OUT" '{signature: $s}')"
  expect 200 "card activation"
  say "the holder entered the PIN at the counter; the card signed the activation challenge: card $CARD_ID is active"
}

# ---------------------------------------------------------------------------------------------------------------
STEP="preflight"
need java "Java 17+"
need curl "apt-get install curl"
need jq "apt-get install jq"
if [[ -z "${MYNA_CARD_JAR:-}" ]]; then
  MYNA_CARD_JAR=$(ls "$ROOT"/card-simulator/target/card-simulator-*-cli.jar 2>/dev/null | head -n 1 || true)
fi
CARD_JAR=${MYNA_CARD_JAR:-}
[[ -n "$CARD_JAR" && -f "$CARD_JAR" ]] || fail "the card simulator CLI jar is missing: ./mvnw package -pl card-simulator -am -DskipTests"
mkdir -p "$DEMO_DIR"
BODY="$DEMO_DIR/answer.json"
for url in "$REGISTRY" "$WALLET" "$INSURANCE"; do
  curl -fsS --max-time 5 -o /dev/null "$url/q/health/ready" 2>/dev/null || fail "no ready service at $url (start the suite: ./myna up)"
done
CARD="$DEMO_DIR/resident.card"
AUTH_CERT="$CARD.auth.pem"
rm -f "$CARD" "$CARD".* "$DEMO_DIR/replacement.card"*

echo "My Number Suite demo: one resident's journey"
echo "   registry $REGISTRY, wallet $WALLET, insurance $INSURANCE; card files in $DEMO_DIR"

# ---------------------------------------------------------------------------------------------------------------
step "1. The municipality registers a resident"
RESIDENT='{"familyName":"髙橋","givenName":"𠮷子","familyNameKana":"タカハシ","givenNameKana":"ヨシコ",
  "dateOfBirth":"1985-06-15","sex":"female",
  "address":{"postalCode":"100-0001","prefecture":"東京都","municipality":"千代田区","line":"千代田1-1"}}'
token demo-clerk
json_post "$REGISTRY/api/residents" "$TOKEN" "$RESIDENT" -H "Idempotency-Key: $(idempotency_key)"
expect 201 "resident registration"
NUMBER=$(field .number)
[[ "$NUMBER" =~ ^[0-9]{12}$ ]] || fail "the registry answered without a 12-digit number"
check "$(field .familyName)$(field .givenName)" "髙橋𠮷子" "the name as registered"
say "the clerk (demo-clerk) registered 髙橋 𠮷子 (タカハシ ヨシコ), female, born 1985-06-15, 東京都千代田区千代田1-1"
say "the registry assigned the individual number $(masked "$NUMBER") (shown masked; only the registry keeps it)"

# ---------------------------------------------------------------------------------------------------------------
step "2. A card: applied for, issued from the card's own keys, activated with the PIN"
issue_card "$CARD"
FIRST_CARD_ID=$CARD_ID
card show --card="$CARD"
say "the card says: $(grep 'authentication PIN' <<<"$CARD_OUT" | sed 's/  */ /g')"

# ---------------------------------------------------------------------------------------------------------------
step "3. An insurer enrols her; the registry links the member on all five attributes"
token demo-insurer
INSURER_TOKEN=$TOKEN
INSURER=$(insurer_number "06$(digits 5)")
json_post "$INSURANCE/api/insurers" "$INSURER_TOKEN" \
  "$(jq -n --arg n "$INSURER" --arg c "$(corporate_number "$(digits 12)")" '{insurerNumber: $n, name: "全国健康保険協会デモ支部", corporateNumber: $c}')"
expect 201 "insurer creation"
say "insurer $INSURER (全国健康保険協会デモ支部) is set up"
MEMBER=$(jq -n --argjson r "$RESIDENT" --arg s "記号$(digits 3)" --arg m "$(digits 6)" --arg number "$NUMBER" \
  '$r + {symbol: $s, number: $m, branch: "01", copayRate: 30, coverageStart: "2020-04-01", individualNumber: $number}')
json_post "$INSURANCE/api/insurers/$INSURER/members" "$INSURER_TOKEN" "$MEMBER"
expect 201 "member enrolment"
check "$(field .link.status)" linked "the registry's link"
grep -q "$NUMBER" "$BODY" && fail "the insurance service echoed the individual number"
say "member $(field .symbol) $(field .number)-$(field .branch), copay 30 %: link $(field .link.status) by the registry"
say "(the insurance service keeps only its link code; the individual number is not in its answer)"

# ---------------------------------------------------------------------------------------------------------------
step "4. At a clinic: the card signs the clinic's nonce, the insurance service checks"
clinic_check
check "$(field .result)" covered "eligibility result"
check "$(field .coverage.familyName) $(field .coverage.givenName)" "髙橋 𠮷子" "the name on the coverage (exactly as registered)"
check "$(field .coverage.copayRate)" 30 "copay rate"
say "result: $(field .result) — $(field .coverage.familyName) $(field .coverage.givenName), insurer $(field .coverage.insurerName), copay $(field .coverage.copayRate) %, valid from $(field .coverage.validFrom)"

# ---------------------------------------------------------------------------------------------------------------
step "5. She chooses a payment service (operation token signed by the card); the service confirms her account"
token demo-payment
PAYMENT_TOKEN=$TOKEN
PAYMENT_SERVICE=$(corporate_number "$(digits 12)")
MERCHANT=$(corporate_number "$(digits 12)")
json_post "$WALLET/api/payment-services" "$PAYMENT_TOKEN" \
  "$(jq -n --arg c "$PAYMENT_SERVICE" '{corporateNumber: $c, name: "デモペイ"}')" -H "Idempotency-Key: $(idempotency_key)"
expect 201 "payment service"
json_post "$WALLET/api/merchants" "$PAYMENT_TOKEN" \
  "$(jq -n --arg c "$MERCHANT" '{corporateNumber: $c, name: "デモ商店"}')" -H "Idempotency-Key: $(idempotency_key)"
expect 201 "merchant"
say "payment service デモペイ ($PAYMENT_SERVICE) and merchant デモ商店 ($MERCHANT) are registered"
ACCOUNT="acct-$(digits 8)"
card_login "$CARD" "$AUTH_CERT" wallet choose-payment-service
expect 200 "operation token for choose-payment-service"
json_post "$WALLET/api/payment-choices" "$TOKEN" \
  "$(jq -n --arg p "$PAYMENT_SERVICE" '{paymentService: $p}')" -H "Idempotency-Key: $(idempotency_key)"
expect 201 "payment choice"
check "$(field .status)" pending "a new binding waits for the payment service"
BINDING_CODE=$(field .bindingCode)
say "the card signed a single-use token for 'choose-payment-service'; she chose デモペイ and got binding code $BINDING_CODE"
# In デモペイ's app she enters the code; the service confirms it with her account and its holder's name in kana,
# which the registry matches against hers: a code typed into someone else's account binds nothing.
json_post "$WALLET/api/payment-choices/confirmations" "$PAYMENT_TOKEN" \
  "$(jq -n --arg c "$BINDING_CODE" '{bindingCode: $c, paymentAccount: "acct-of-a-stranger", holderKana: "スズキ イチロウ"}')" \
  -H "Idempotency-Key: $(idempotency_key)"
expect 422 "the code confirmed with a stranger's account"
check "$(field .code)" holder-kana-mismatch "the refusal of a stranger's account"
json_post "$WALLET/api/payment-choices/confirmations" "$PAYMENT_TOKEN" \
  "$(jq -n --arg c "$BINDING_CODE" --arg a "$ACCOUNT" '{bindingCode: $c, paymentAccount: $a, holderKana: "タカハシ ヨシコ"}')" \
  -H "Idempotency-Key: $(idempotency_key)"
expect 200 "the payment service's confirmation"
check "$(field .status)" confirmed "binding status"
say "デモペイ confirmed her account $ACCOUNT (a stranger's account with the same code was refused: holder-kana-mismatch)"

# ---------------------------------------------------------------------------------------------------------------
step "6. Three grants: card acquisition, insurance link, public-fund account"
card_login "$CARD" "$AUTH_CERT" registry register-public-fund-account
expect 200 "operation token for register-public-fund-account"
http PUT "$REGISTRY/api/me/public-fund-account" -H "Authorization: Bearer $TOKEN" -H 'Content-Type: application/json' \
  --data-binary "$(jq -n --arg n "$(digits 7)" '{bankCode: "0001", branchCode: "001", accountType: "ordinary", accountNumber: $n, holderKana: "タカハシ ヨシコ"}')"
expect 200 "public-fund account"
say "public-fund account registered: bank $(field .bankCode), branch $(field .branchCode), $(field .accountNumber), holder $(field .holderKana)"
for rule in card-acquisition insurance-link public-fund-account; do
  card_login "$CARD" "$AUTH_CERT" wallet apply-points
  expect 200 "operation token for apply-points"
  json_post "$WALLET/api/applications" "$TOKEN" "$(jq -n --arg r "$rule" '{rule: $r}')" -H "Idempotency-Key: $(idempotency_key)"
  expect 201 "application for $rule"
  case "$(field .status)" in
    granted) say "$rule: granted $(field .points) points (the registry confirmed the condition); balance $(field .balance)" ;;
    eligible) say "$rule: eligible — points come with charges" ;;
    *) fail "application for $rule: unexpected status '$(field .status)'" ;;
  esac
done

# ---------------------------------------------------------------------------------------------------------------
step "7. Charges and a redemption"
json_post "$WALLET/api/charges" "$PAYMENT_TOKEN" \
  "$(jq -n --arg a "$ACCOUNT" '{paymentAccount: $a, amount: 30000}')" -H "Idempotency-Key: $(idempotency_key)"
expect 201 "charge"
check "$(field .pointsGranted)" 5000 "points for a 30,000 yen charge (25 % back, capped at 5,000)"
say "she charged 30,000 yen: $(field .pointsGranted) points back (25 %, cap $(field .cap)); balance $(field .balance)"
json_post "$WALLET/api/redemptions" "$PAYMENT_TOKEN" \
  "$(jq -n --arg a "$ACCOUNT" --arg m "$MERCHANT" '{paymentAccount: $a, merchantCorporateNumber: $m, amount: 1000}')" \
  -H "Idempotency-Key: $(idempotency_key)"
expect 201 "redemption"
say "she spent 1,000 points at デモ商店; balance $(field .balance)"
card_login "$CARD" "$AUTH_CERT" wallet
expect 200 "resident login to the wallet"
http GET "$WALLET/api/me/balance" -H "Authorization: Bearer $TOKEN"
expect 200 "balance"
check "$(field .balance)" 19000 "balance (5,000 + 7,500 + 7,500 - 1,000)"
say "her own view (card login): balance $(field .balance) points, received $(field .received), spent $(field .spent)"
token demo-auditor
http GET "$WALLET/api/ledger/trial-balance" -H "Authorization: Bearer $TOKEN"
expect 200 "trial balance"
check "$(field .equal)" true "the ledger's debits equal its credits"
say "the auditor's trial balance: debits equal credits"

# ---------------------------------------------------------------------------------------------------------------
step "8. A seal and its certificate"
SEAL_PNG=iVBORw0KGgoAAAANSUhEUgAAABgAAAAYCAIAAABvFaqvAAAAaElEQVR42s2UMQ4AIAgD+/+3+Scd3BCKmGokThQvYqDoogDRGmBODbTe3yHigOKyQCjpY31QVBFlTB6c4oLceguK2iFtXgDxMUmlqV4DleboCeiPP/pvjpQrIltapY0ojU1ptUrzP4sB41PF2WyG9OwAAAAASUVORK5CYII=
token demo-clerk
json_post "$REGISTRY/api/seals" "$TOKEN" "$(jq -n --arg n "$NUMBER" --arg i "$SEAL_PNG" '{number: $n, image: $i, mediaType: "image/png"}')"
expect 201 "seal registration"
say "the clerk registered her seal impression: registration card $(field .registrationCardNumber)"
card_login "$CARD" "$AUTH_CERT" registry kiosk-seal-certificate
expect 200 "operation token for kiosk-seal-certificate"
http POST "$REGISTRY/api/kiosk/seal-certificates" -H "Authorization: Bearer $TOKEN"
expect 201 "kiosk seal certificate"
check "$(field .familyName) $(field .givenName)" "髙橋 𠮷子" "the name on the seal certificate"
CERT_NUMBER=$(field .certificateNumber)
CERT_CODE=$(field .verificationCode)
say "at a convenience-store kiosk the card got her seal certificate $CERT_NUMBER for $(field .familyName) $(field .givenName)"
http POST "$REGISTRY/api/seal-certificates/verifications" -H 'Content-Type: application/json' \
  -d "$(jq -n --arg c "$CERT_NUMBER" --arg v "$CERT_CODE" '{certificateNumber: $c, verificationCode: $v}')"
expect 200 "seal certificate verification"
check "$(field .status)" valid "the certificate's public status"
say "anyone can verify it with its code: $(field .status)"

# ---------------------------------------------------------------------------------------------------------------
step "9. The card is reported lost and revoked: every part of the system notices"
token demo-auditor
http GET "$REGISTRY/api/outbox" -H "Authorization: Bearer $TOKEN"
expect 200 "outbox before revocation"
DELIVERED_BEFORE=$(jq -r '.[] | select(.subscriber == "insurance") | .delivered' "$BODY")
[[ -n "$DELIVERED_BEFORE" ]] || fail "the registry has no 'insurance' subscriber in its outbox"
token demo-clerk
json_post "$REGISTRY/api/cards/$FIRST_CARD_ID/revocation" "$TOKEN" '{"reason":"lost"}'
expect 200 "card revocation"
say "the clerk revoked card $FIRST_CARD_ID (reason: lost)"
# Clinics answer from the insurance service's card replica, current to within 2 s (DESIGN §3): allow the bound.
for _ in 1 2 3 4 5; do
  clinic_check
  [[ "$(field .result)" == card-revoked ]] && break
  sleep 1
done
check "$(field .result)" card-revoked "eligibility with the revoked card"
FALLBACKS=$(field '.fallbacks // [] | join(", ")')
say "clinic: $(field .result) — the card is refused${FALLBACKS:+ (the clinic may fall back to: $FALLBACKS)}"
card_login "$CARD" "$AUTH_CERT" registry kiosk-seal-certificate
expect 401 "kiosk login with the revoked card"
check "$(field .code)" certificate-revoked "why the kiosk refuses"
say "kiosk: refused ($(field .code))"
token demo-auditor
AUDITOR=$TOKEN
for _ in $(seq 1 60); do
  http GET "$REGISTRY/api/outbox" -H "Authorization: Bearer $AUDITOR"
  expect 200 "outbox"
  INSURANCE_LAG=$(jq -c '.[] | select(.subscriber == "insurance")' "$BODY")
  if [[ $(jq .pending <<<"$INSURANCE_LAG") == 0 && $(jq .delivered <<<"$INSURANCE_LAG") -gt $DELIVERED_BEFORE ]]; then break; fi
  sleep 0.5
done
[[ $(jq .pending <<<"$INSURANCE_LAG") == 0 && $(jq .delivered <<<"$INSURANCE_LAG") -gt $DELIVERED_BEFORE ]] \
  || fail "the insurer was not told within 30 s: $INSURANCE_LAG"
say "insurer: the registry's card-revoked event was delivered to the insurance service (nothing pending)"

# ---------------------------------------------------------------------------------------------------------------
step "10. With a replacement card she reads who touched her data"
REPLACEMENT="$DEMO_DIR/replacement.card"
issue_card "$REPLACEMENT"
card_login "$REPLACEMENT" "$REPLACEMENT.auth.pem" registry
expect 200 "resident login with the replacement card"
http GET "$REGISTRY/api/me/access-log?limit=500" -H "Authorization: Bearer $TOKEN"
expect 200 "access log"
# The clinic's check and the payment provider's charges arrive from the other services' outboxes (every 5 s).
for who in demo-clerk insurance-service wallet-service demo-facility demo-payment; do
  jq -e --arg w "$who" 'any(.[]; .who == $w)' "$BODY" >/dev/null || fail "the access log does not show $who"
done
# Her own acts carry her pairwise subject as "who": shown as "you, with your card".
WHO='def mine: .role == "operation" or .role == "resident";
     def who: if mine then "you, with your card" elif .who == "anonymous" then "anyone (public check)"
              elif .organisation then "\(.organisation) (\(.who), \(.role))" else "\(.who) (\(.role))" end;'
say "her access log, oldest first (when, who: what, why [which data]):"
jq -r "$WHO"' reverse | .[] | "  \(.at[0:19] | sub("T"; " "))  \(who): \(.action) \(.purpose // "") [\(.fields // "")]"' "$BODY" \
  | while IFS= read -r line; do say "$line"; done
say "organisations that touched her data: $(jq -r "$WHO"' [.[] | select((mine | not) and .who != "anonymous") | .who] | unique | join(", ")' "$BODY")"

printf '\nThe demo walked the whole journey: every answer was as expected.\n'
