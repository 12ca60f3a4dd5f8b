package org.myna.registry.support;

import io.restassured.http.ContentType;
import io.restassured.response.Response;
import org.myna.card.Card;
import org.myna.card.CertificateRequests;
import org.myna.registry.ca.Pems;

import java.util.Base64;
import java.util.Map;

import static io.restassured.RestAssured.given;

/**
 * The whole card journey through the real API, with card-simulator's {@link Card} as the card:
 * register a resident → open an application → CSRs from the card → issuance → install → activation;
 * then card logins ({@link #login}) and single-use operation tokens ({@link #operationToken}).
 */
public final class CardFlow {

    public static final String PIN = "1234";
    public static final String PASSWORD = "abc123";

    private CardFlow() {
    }

    /** A card issued (and, with {@link #activate}, active) for a resident. */
    public record Issued(String number, Card card, String applicationId, String cardId, String authSerial,
                         String signSerial, String authCertificate, String signCertificate, String activationChallenge) {
    }

    /** Registers a sample resident and gives them an active card. */
    public static Issued newHolder() {
        return activeCardFor(Residents.register(Residents.sample()));
    }

    public static Issued activeCardFor(String number) {
        Issued issued = issuedCardFor(number);
        activate(issued);
        return issued;
    }

    /** Issued and installed on the card, not yet activated. */
    public static Issued issuedCardFor(String number) {
        return issue(number, Card.create(null, PIN, PASSWORD));
    }

    public static Issued issue(String number, Card card) {
        String applicationId = openApplication(number);
        CertificateRequests csrs = card.certificateRequests(applicationId, PIN, PASSWORD);
        Response response = issuance(applicationId, csrs.authCsrPem(), csrs.signCsrPem());
        response.then().log().ifValidationFails().statusCode(200);
        Issued issued = new Issued(number, card, applicationId, response.path("cardId"), response.path("authSerial"),
                response.path("signSerial"), response.path("authCertificate"), response.path("signCertificate"),
                response.path("activationChallenge"));
        card.installCertificates(issued.authCertificate(), issued.signCertificate());
        return issued;
    }

    public static String openApplication(String number) {
        return given().auth().oauth2(Tokens.clerk())
                .contentType(ContentType.JSON).body(Map.of("number", number)).post("/api/card-applications")
                .then().statusCode(201).extract().path("applicationId");
    }

    /** The raw issuance call, for tests that expect a refusal. */
    public static Response issuance(String applicationId, String authCsr, String signCsr) {
        return given().auth().oauth2(Tokens.clerk()).contentType(ContentType.JSON)
                .body(Map.of("authCsr", authCsr, "signCsr", signCsr))
                .post("/api/card-applications/" + applicationId + "/issuance");
    }

    public static void activate(Issued issued) {
        activation(issued.card(), issued.cardId(), issued.activationChallenge()).then().statusCode(200);
    }

    public static Response activation(Card card, String cardId, String activationChallenge) {
        byte[] signature = card.signWithAuthKey(PIN, Base64.getUrlDecoder().decode(activationChallenge));
        return given().auth().oauth2(Tokens.clerk()).contentType(ContentType.JSON)
                .body(Map.of("signature", b64(signature)))
                .post("/api/cards/" + cardId + "/activation");
    }

    public static void revoke(String cardId, String reason) {
        given().auth().oauth2(Tokens.clerk()).contentType(ContentType.JSON).body(Map.of("reason", reason))
                .post("/api/cards/" + cardId + "/revocation").then().statusCode(200);
    }

    /** A fresh challenge: [challengeId, nonce (base64url)]. */
    public static String[] challenge() {
        Response r = given().post("/api/auth/challenges").then().statusCode(200).extract().response();
        return new String[]{r.path("challengeId"), r.path("nonce")};
    }

    /** Logs in with the card (PIN {@link #PIN}); returns the resident access token for the audience. */
    public static String login(Card card, String audience) {
        return tokenResponse(card, audience).then().statusCode(200).extract().path("access_token");
    }

    public static Response tokenResponse(Card card, String audience) {
        String[] challenge = challenge();
        return given().contentType(ContentType.JSON)
                .body(proof(card, challenge[0], sign(card, challenge[1]), audience))
                .post("/api/auth/tokens");
    }

    /** A single-use operation token for {@code operation}, valid 60 s. */
    public static String operationToken(Card card, String operation, String audience) {
        String[] challenge = challenge();
        Map<String, Object> body = new java.util.HashMap<>(proof(card, challenge[0], sign(card, challenge[1]), audience));
        body.put("operation", operation);
        return given().contentType(ContentType.JSON).body(body)
                .post("/api/auth/operation-tokens")
                .then().statusCode(200).extract().path("access_token");
    }

    public static Map<String, Object> proof(Card card, String challengeId, String signature, String audience) {
        return Map.of("challengeId", challengeId,
                "certificate", Pems.write(card.authCertificate().orElseThrow()),
                "signature", signature,
                "audience", audience);
    }

    public static String sign(Card card, String nonceBase64Url) {
        return b64(card.signWithAuthKey(PIN, Base64.getUrlDecoder().decode(nonceBase64Url)));
    }

    public static String b64(byte[] bytes) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }
}
