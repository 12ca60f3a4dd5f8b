package org.myna.registry.cardlogin;

import io.restassured.http.ContentType;
import io.restassured.response.Response;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;
import org.myna.registry.support.CardFlow;

import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

/**
 * An act approved by the card from a PC, in the login's shape (RFC 8628): the portal, for a logged-in resident, asks
 * for one operation; the card app sees the act before the PIN; only that resident's card can approve it; the portal's
 * poll receives a single-use operation token for that operation alone. The relay of RFC 8628 §5.4, played on an act,
 * gains the relayer nothing.
 */
@QuarkusTest
class DeviceActTest {

    static Response startAct(String operation, String act, String subjectToken) {
        return given().contentType("application/x-www-form-urlencoded; charset=UTF-8").formParam("client_id", "demo-portal").formParam("client_secret", "demo-portal-secret")
                .formParam("operation", operation).formParam("act", act).formParam("subject_token", subjectToken)
                .post("/oauth2/device_authorization");
    }

    static Map<String, String> account(String number) {
        return Map.of("bankCode", "0001", "branchCode", "001", "accountType", "ordinary", "accountNumber", number,
                "holderKana", "ヤマダ ハナコ");
    }

    @Test
    void theResidentsCardApprovesTheActShownAndThePortalGetsOneOperationTokenForIt() {
        CardFlow.Issued card = CardFlow.newHolder();
        String login = CardFlow.login(card.card(), "registry");
        Response started = startAct("register-public-fund-account", "公金受取口座 0001-001 ****567", login);
        started.then().statusCode(200);
        String deviceCode = started.path("device_code");
        String userCode = started.path("user_code");

        // What the card app shows before the PIN: who asks, and the act itself.
        DeviceLoginTest.lookup(userCode).then().statusCode(200).body("operation", equalTo("register-public-fund-account"))
                .body("act", equalTo("公金受取口座 0001-001 ****567")).body("clientId", equalTo("demo-portal"));
        DeviceLoginTest.poll("demo-portal", deviceCode).then().statusCode(400).body("code", equalTo("authorization_pending"));
        DeviceLoginTest.approve(card, userCode).then().statusCode(200);
        String token = DeviceLoginTest.poll("demo-portal", deviceCode).then().statusCode(200).extract().path("access_token");
        assertThat(TokenExchangeTest.claims(token)).contains("\"op\":\"register-public-fund-account\"")
                .contains("\"operation\"").contains("\"aud\":\"registry\"").doesNotContain("\"resident\"");

        // It is not a login, and it acts once.
        given().auth().oauth2(token).get("/api/me").then().statusCode(403);
        String number = String.format("%07d", ThreadLocalRandom.current().nextInt(10_000_000));
        given().auth().oauth2(token).contentType(ContentType.JSON).body(account(number))
                .put("/api/me/public-fund-account").then().statusCode(200).body("accountNumber", equalTo(number));
        given().auth().oauth2(token).contentType(ContentType.JSON).body(account(number))
                .put("/api/me/public-fund-account").then().statusCode(409).body("code", equalTo("operation-token-used"));
        DeviceLoginTest.poll("demo-portal", deviceCode).then().statusCode(400).body("code", equalTo("invalid_grant"));
    }

    @Test
    void anActRelayedToAnotherResidentsCardIsApprovedByNobody() {
        CardFlow.Issued attacker = CardFlow.newHolder();
        CardFlow.Issued victim = CardFlow.newHolder();
        // The attacker, logged in as herself, asks to register her account and sends the code to the victim.
        Response started = startAct("register-public-fund-account", "ポイント受取", CardFlow.login(attacker.card(), "registry"));
        String userCode = started.path("user_code");
        DeviceLoginTest.approve(victim, userCode).then().statusCode(403).body("code", equalTo("act-other-resident"));
        // Still pending: the victim's signature approved nothing, and no token came of it.
        DeviceLoginTest.lookup(userCode).then().statusCode(200);
        DeviceLoginTest.poll("demo-portal", started.path("device_code")).then().statusCode(400)
                .body("code", equalTo("authorization_pending"));
    }

    @Test
    void anActNeedsAKnownOperationItsWordsAndALiveResidentLogin() {
        CardFlow.Issued card = CardFlow.newHolder();
        String login = CardFlow.login(card.card(), "registry");
        startAct("kiosk-seal-certificate", "x", login).then().statusCode(400).body("code", equalTo("invalid-operation"));
        startAct("apply-points", "a\u0007b", login).then().statusCode(400).body("code", equalTo("invalid-act"));
        startAct("apply-points", "x".repeat(201), login).then().statusCode(400).body("code", equalTo("invalid-act"));
        given().formParam("client_id", "demo-portal").formParam("client_secret", "demo-portal-secret")
                .formParam("operation", "apply-points").formParam("act", "points")
                .post("/oauth2/device_authorization").then().statusCode(400).body("code", equalTo("invalid-request"));
        // An operation token or another service's token is no login to act for.
        String operation = CardFlow.operationToken(card.card(), "apply-points", "registry");
        startAct("apply-points", "points", operation).then().statusCode(400).body("code", equalTo("invalid_grant"));
        startAct("apply-points", "points", CardFlow.login(card.card(), "wallet")).then().statusCode(400)
                .body("code", equalTo("invalid_grant"));
        // A wallet act yields a wallet operation token.
        Response started = startAct("apply-points", "ポイント申請 card-acquisition", login);
        DeviceLoginTest.approve(card, started.path("user_code")).then().statusCode(200);
        String token = DeviceLoginTest.poll("demo-portal", started.path("device_code")).then().statusCode(200)
                .extract().path("access_token");
        assertThat(TokenExchangeTest.claims(token)).contains("\"aud\":\"wallet\"").contains("\"op\":\"apply-points\"");
    }
}
