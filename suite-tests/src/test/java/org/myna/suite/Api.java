package org.myna.suite;

import io.restassured.config.HttpClientConfig;
import io.restassured.config.RestAssuredConfig;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import org.myna.card.Card;

import java.io.StringWriter;
import java.security.cert.X509Certificate;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;

import static io.restassured.RestAssured.given;

/** What a clerk, an insurer, a clinic, a payment provider or a resident at a terminal does, over HTTP only. */
public final class Api {

    public static final String PIN = "1234";
    public static final String PASSWORD = "abc123";

    /** Bounded: a request to a process that is being killed must fail, not hang. */
    static final RestAssuredConfig BOUNDED = RestAssuredConfig.config().httpClient(HttpClientConfig.httpClientConfig()
            .setParam("http.connection.timeout", 2_000).setParam("http.socket.timeout", 20_000));

    private final Suite suite;

    public Api(Suite suite) {
        this.suite = suite;
    }

    public RequestSpecification registry() {
        return given().config(BOUNDED).baseUri(suite.registry.url());
    }

    public RequestSpecification wallet() {
        return given().config(BOUNDED).baseUri(suite.wallet.url());
    }

    public RequestSpecification insurance() {
        return given().config(BOUNDED).baseUri(suite.insurance.url());
    }

    public String token(String client) {
        return registry().formParam("grant_type", "client_credentials").formParam("client_id", client)
                .formParam("client_secret", client + "-secret").post("/oauth2/token")
                .then().statusCode(200).extract().path("access_token");
    }

    public RequestSpecification as(RequestSpecification spec, String client) {
        return spec.auth().oauth2(token(client)).contentType(ContentType.JSON);
    }

    public RequestSpecification idempotent(RequestSpecification spec) {
        return spec.header("Idempotency-Key", UUID.randomUUID().toString());
    }

    public String register(Map<String, Object> resident) {
        return as(registry(), "demo-clerk").body(resident).post("/api/residents")
                .then().statusCode(201).extract().path("number");
    }

    /** Application → the card's CSRs → issuance → install → activation by the holder. */
    public Map<String, String> issueAndActivate(String number, Card card) {
        String applicationId = as(registry(), "demo-clerk").contentType(ContentType.JSON).body(Map.of("number", number)).post("/api/card-applications")
                .then().statusCode(201).extract().path("applicationId");
        var csrs = card.certificateRequests(applicationId, PIN, PASSWORD);
        Response issued = as(registry(), "demo-clerk").body(Map.of("authCsr", csrs.authCsrPem(), "signCsr", csrs.signCsrPem()))
                .post("/api/card-applications/" + applicationId + "/issuance");
        issued.then().statusCode(200);
        card.installCertificates(issued.path("authCertificate"), issued.path("signCertificate"));
        String challenge = issued.path("activationChallenge");
        as(registry(), "demo-clerk").body(Map.of("signature", b64(card.signWithAuthKey(PIN, Base64.getUrlDecoder().decode(challenge)))))
                .post("/api/cards/" + issued.path("cardId") + "/activation").then().statusCode(200);
        return Map.of("cardId", issued.path("cardId"), "authSerial", issued.path("authSerial"));
    }

    /** The card signs a registry challenge after its PIN; the registry answers with a token or refuses. */
    public Response cardLogin(Card card, String audience, String operation) {
        Response challenge = registry().post("/api/auth/challenges");
        challenge.then().statusCode(200);
        Map<String, Object> body = new HashMap<>(Map.of("challengeId", challenge.path("challengeId"),
                "certificate", pem(card.authCertificate().orElseThrow()),
                "signature", b64(card.signWithAuthKey(PIN, Base64.getUrlDecoder().decode((String) challenge.path("nonce")))),
                "audience", audience));
        if (operation != null) {
            body.put("operation", operation);
        }
        return registry().contentType(ContentType.JSON).body(body)
                .post(operation == null ? "/api/auth/tokens" : "/api/auth/operation-tokens");
    }

    public String operationToken(Card card, String operation, String audience) {
        return cardLogin(card, audience, operation).then().statusCode(200).extract().path("access_token");
    }

    /** A clinic: nonce from the insurance service, signed by the card, checked. */
    public Response eligibilityByCard(Card card) {
        String facility = token("demo-facility");
        Response challenge = insurance().auth().oauth2(facility).header("X-Institution-Code", "1312345678")
                .post("/api/eligibility/challenges");
        challenge.then().statusCode(201);
        return insurance().auth().oauth2(facility).header("X-Institution-Code", "1312345678").contentType(ContentType.JSON)
                .body(Map.of("challengeId", challenge.path("challengeId"), "certificate", pem(card.authCertificate().orElseThrow()),
                        "signature", b64(card.signWithAuthKey(PIN, Base64.getUrlDecoder().decode((String) challenge.path("nonce"))))))
                .post("/api/eligibility/card-checks");
    }

    /** A new insurer (random number with its check digit); returns the insurer number. */
    public String insurer(String name) {
        String insurer = insurerNumber("06" + digits(5));
        as(insurance(), "demo-insurer").body(Map.of("insurerNumber", insurer, "name", name, "corporateNumber", corporateNumber(digits(12))))
                .post("/api/insurers").then().statusCode(201);
        return insurer;
    }

    /** Enrols the registered resident as a member with all five attributes; the registry must link them. Returns the member id. */
    public long enrolLinked(String insurer, String number, Map<String, Object> resident) {
        Map<String, Object> member = new HashMap<>(resident);
        member.putAll(Map.of("symbol", "記号" + digits(3), "number", digits(6), "branch", "01", "copayRate", 30,
                "coverageStart", "2020-04-01", "individualNumber", number));
        Response enrolled = as(insurance(), "demo-insurer").body(member).post("/api/insurers/" + insurer + "/members");
        enrolled.then().statusCode(201).body("link.status", org.hamcrest.Matchers.equalTo("linked"));
        return ((Number) enrolled.path("id")).longValue();
    }

    /** A payment service run by demo-payment; returns its corporate number. */
    public String paymentService(String name) {
        String corporate = corporateNumber(digits(12));
        idempotent(as(wallet(), "demo-payment")).body(Map.of("corporateNumber", corporate, "name", name))
                .post("/api/payment-services").then().statusCode(201);
        return corporate;
    }

    /**
     * The resident chooses the payment service for the campaign (null: the default campaign) and demo-payment confirms
     * the binding code with the account and the holder's name in kana (which the registry matches against the resident's).
     */
    public void choosePaymentService(Card card, String paymentService, String account, String campaign, String holderKana) {
        Map<String, Object> body = new HashMap<>(Map.of("paymentService", paymentService));
        if (campaign != null) {
            body.put("campaign", campaign);
        }
        String code = idempotent(wallet()).auth().oauth2(operationToken(card, "choose-payment-service", "wallet"))
                .contentType(ContentType.JSON).body(body).post("/api/payment-choices").then().statusCode(201)
                .extract().path("bindingCode");
        idempotent(as(wallet(), "demo-payment"))
                .body(Map.of("bindingCode", code, "paymentAccount", account, "holderKana", holderKana))
                .post("/api/payment-choices/confirmations").then().statusCode(200);
    }

    public void registerPublicFundAccount(Card card, String holderKana) {
        registry().auth().oauth2(operationToken(card, "register-public-fund-account", "registry")).contentType(ContentType.JSON)
                .body(Map.of("bankCode", "0001", "branchCode", "001", "accountType", "ordinary", "accountNumber", digits(7),
                        "holderKana", holderKana))
                .put("/api/me/public-fund-account").then().statusCode(200);
    }

    /** A campaign of its own with the three national rules, so that its report counts only this test's grants. */
    public String campaign(String id, long budget) {
        java.util.List<Map<String, Object>> rules = java.util.List.of(
                Map.of("rule", "card-acquisition", "kind", "percent-back", "percent", 25, "cap", 5_000),
                Map.of("rule", "insurance-link", "kind", "fixed", "amount", 7_500),
                Map.of("rule", "public-fund-account", "kind", "fixed", "amount", 7_500));
        idempotent(as(wallet(), "demo-auditor")).body(Map.of("id", id, "name", "障害試験 " + id, "budget", budget,
                        "startsAt", "2026-01-01T00:00:00+09:00", "endsAt", "2030-12-31T23:59:59+09:00", "rules", rules))
                .post("/api/campaigns").then().statusCode(201);
        return id;
    }

    /** The resident's own wallet token (card login, audience wallet). */
    public String walletToken(Card card) {
        return cardLogin(card, "wallet", null).then().statusCode(200).extract().path("access_token");
    }

    /** The registry's outbox counters for one subscriber: pending, delivered, skipped. */
    public Map<String, Object> outbox(String subscriber) {
        java.util.List<Map<String, Object>> lags = as(registry(), "demo-auditor").get("/api/outbox")
                .then().statusCode(200).extract().jsonPath().getList("$");
        return lags.stream().filter(l -> subscriber.equals(l.get("subscriber"))).findFirst().orElseThrow();
    }

    public static String digits(int n) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < n; i++) {
            b.append(java.util.concurrent.ThreadLocalRandom.current().nextInt(10));
        }
        return b.toString();
    }

    public static String b64(byte[] bytes) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    public static String pem(X509Certificate certificate) {
        try {
            StringWriter out = new StringWriter();
            out.write("-----BEGIN CERTIFICATE-----\n");
            out.write(Base64.getMimeEncoder(64, "\n".getBytes()).encodeToString(certificate.getEncoded()));
            out.write("\n-----END CERTIFICATE-----\n");
            return out.toString();
        } catch (java.security.cert.CertificateEncodingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Numbers with their check digits, computed here from the published rules. */
    public static String corporateNumber(String twelve) {
        int sum = 0;
        for (int n = 1; n <= 12; n++) {
            sum += (twelve.charAt(12 - n) - '0') * (n % 2 == 1 ? 1 : 2);
        }
        return (9 - sum % 9) + twelve;
    }

    public static String insurerNumber(String base) {
        int sum = 0;
        for (int i = 0; i < base.length(); i++) {
            int product = (base.charAt(base.length() - 1 - i) - '0') * (i % 2 == 0 ? 2 : 1);
            sum += product / 10 + product % 10;
        }
        return base + (10 - sum % 10) % 10;
    }
}
