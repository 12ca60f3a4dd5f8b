package org.myna.registry.cardlogin;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import org.junit.jupiter.api.Test;
import org.myna.registry.ca.Pems;
import org.myna.registry.support.CardFlow;
import org.myna.registry.support.Residents;

import java.time.OffsetDateTime;
import java.util.Map;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.matchesPattern;
import static org.hamcrest.Matchers.notNullValue;

/**
 * Card login from a PC by the device authorization grant (RFC 8628): the portal starts, the card app sees who asks
 * before the PIN and approves by the card's signature, the portal's poll receives the resident's token — and the
 * remote-phishing relay of RFC 8628 §5.4 meets each of its defences.
 */
@QuarkusTest
class DeviceLoginTest {

    record Login(String deviceCode, String userCode) {
    }

    static Login start(String client) {
        Response r = given().formParam("client_id", client).formParam("client_secret", client + "-secret")
                .post("/oauth2/device_authorization");
        r.then().statusCode(200).body("user_code", matchesPattern("[BCDFGHJKLMNPQRSTVWXZ]{4}-[BCDFGHJKLMNPQRSTVWXZ]{4}"))
                .body("expires_in", equalTo(120)).body("interval", equalTo(2))
                .body("verification_uri", equalTo("https://card-app.myna.example/login"))
                .body("verification_uri_complete", equalTo("https://card-app.myna.example/login?user_code=" + r.path("user_code")));
        return new Login(r.path("device_code"), r.path("user_code"));
    }

    static Response poll(String client, String deviceCode) {
        return given().formParam("grant_type", DeviceLoginService.GRANT_TYPE).formParam("client_id", client)
                .formParam("client_secret", client + "-secret").formParam("device_code", deviceCode)
                .post("/oauth2/token");
    }

    static Response lookup(String userCode) {
        return given().contentType(ContentType.JSON).body(Map.of("userCode", userCode)).post("/api/device-logins/lookup");
    }

    /** The card app: looks the code up (shown to the holder), then the card signs that login's nonce after the PIN. */
    static Response approve(CardFlow.Issued card, String userCode) {
        String nonce = lookup(userCode).then().statusCode(200).extract().path("nonce");
        return given().contentType(ContentType.JSON).body(Map.of("userCode", userCode,
                        "certificate", Pems.write(card.card().authCertificate().orElseThrow()),
                        "signature", CardFlow.sign(card.card(), nonce)))
                .post("/api/device-logins/approval");
    }

    @Test
    void aResidentLogsInFromAPcWithTheCardAndThePortalReceivesHerToken() {
        CardFlow.Issued card = CardFlow.newHolder();
        Login login = start("demo-portal");
        poll("demo-portal", login.deviceCode()).then().statusCode(400).body("code", equalTo("authorization_pending"));

        // Before the PIN, the card app shows who asks, the code and when: no personal data.
        lookup(login.userCode().toLowerCase().replace("-", " ")).then().statusCode(200)
                .body("clientName", equalTo("マイナポータル（デモ）")).body("userCode", equalTo(login.userCode()))
                .body("createdAt", notNullValue()).body("expiresAt", notNullValue());
        approve(card, login.userCode()).then().statusCode(200).body("status", equalTo("approved"));

        String token = poll("demo-portal", login.deviceCode()).then().statusCode(200)
                .body("token_type", equalTo("Bearer")).extract().path("access_token");
        given().auth().oauth2(token).get("/api/me").then().statusCode(200);
        // Redeemed once: a second poll with the same device code gets nothing.
        poll("demo-portal", login.deviceCode()).then().statusCode(400).body("code", equalTo("invalid_grant"));
    }

    @Test
    void pollingFasterThanTheIntervalIsToldToSlowDown() {
        Login login = start("demo-portal");
        poll("demo-portal", login.deviceCode()).then().statusCode(400).body("code", equalTo("authorization_pending"));
        poll("demo-portal", login.deviceCode()).then().statusCode(400).body("code", equalTo("slow_down"));
    }

    /**
     * RFC 8628 §5.4: the attacker starts a login at the portal and sends the victim the code "to claim points". What
     * defends: the victim's card app names the portal and the time of the login before any PIN (asserted above); a
     * relayed code dies within two minutes; it is approved once, so a code sprayed to many victims captures at most
     * one; only the client that started the login can redeem it, proving its secret again; and what a captured login
     * yields is a registry login, not an operation token: registering an account or applying for points needs a fresh
     * card signature for that operation.
     */
    @Test
    void theRemotePhishingRelayIsDefeated() {
        CardFlow.Issued victim = CardFlow.newHolder();
        CardFlow.Issued secondVictim = CardFlow.newHolder();

        // 1. A relayed code that the victim gets to after its lifetime is refused, before any PIN.
        Login stale = start("demo-portal");
        QuarkusTransaction.requiringNew().run(() -> DeviceAuthorization.update("expiresAt = ?1 where userCode = ?2",
                OffsetDateTime.now().minusSeconds(1), stale.userCode()));
        lookup(stale.userCode()).then().statusCode(410).body("code", equalTo("login-code-expired"));
        poll("demo-portal", stale.deviceCode()).then().statusCode(400).body("code", equalTo("expired_token"));

        // 2. One code sprayed to two victims: the second approval is refused, nothing of hers is captured.
        Login sprayed = start("demo-portal");
        approve(victim, sprayed.userCode()).then().statusCode(200);
        lookup(sprayed.userCode()).then().statusCode(409).body("code", equalTo("login-code-used"));

        // 3. The device code is worth nothing to anyone but the client that started the login.
        poll("demo-clerk", sprayed.deviceCode()).then().statusCode(400).body("code", equalTo("invalid_grant"));
        given().formParam("grant_type", DeviceLoginService.GRANT_TYPE).formParam("client_id", "demo-portal")
                .formParam("client_secret", "guessed").formParam("device_code", sprayed.deviceCode())
                .post("/oauth2/token").then().statusCode(401).body("code", equalTo("invalid-client"));

        // 4. What the phisher captures cannot act: an operation needs a fresh card signature for that operation.
        String captured = poll("demo-portal", sprayed.deviceCode()).then().statusCode(200).extract().path("access_token");
        given().auth().oauth2(captured).contentType(ContentType.JSON)
                .body(Map.of("bankCode", "0001", "branchCode", "001", "accountType", "ordinary",
                        "accountNumber", "7654321", "holderKana", "ヤマダ タロウ"))
                .put("/api/me/public-fund-account").then().statusCode(403);
        assertThat(secondVictim.cardId()).isNotNull();
    }

    @Test
    void onlyAPortalMayStartAndAStrangersSignatureApprovesNothing() {
        given().formParam("client_id", "demo-clerk").formParam("client_secret", "demo-clerk-secret")
                .post("/oauth2/device_authorization").then().statusCode(401).body("code", equalTo("unauthorized_client"));
        CardFlow.Issued card = CardFlow.newHolder();
        Login login = start("demo-portal");
        // The card signs something else than this login's nonce (say, a login challenge relayed from elsewhere).
        String otherNonce = CardFlow.challenge()[1];
        given().contentType(ContentType.JSON).body(Map.of("userCode", login.userCode(),
                        "certificate", Pems.write(card.card().authCertificate().orElseThrow()),
                        "signature", CardFlow.sign(card.card(), otherNonce)))
                .post("/api/device-logins/approval").then().statusCode(401).body("code", equalTo("signature-invalid"));
        poll("demo-portal", login.deviceCode()).then().statusCode(400).body("code", equalTo("authorization_pending"));
        lookup("BBBB-BBBB").then().statusCode(404).body("code", equalTo("login-code-unknown"));
    }

    @Test
    void aCardRevokedBetweenApprovalAndRedemptionYieldsNoToken() {
        CardFlow.Issued card = CardFlow.newHolder();
        Login login = start("demo-portal");
        approve(card, login.userCode()).then().statusCode(200);
        CardFlow.revoke(card.cardId(), "lost");
        poll("demo-portal", login.deviceCode()).then().statusCode(400).body("code", equalTo("access_denied"));
        assertThat(Residents.class).isNotNull();
    }
}
