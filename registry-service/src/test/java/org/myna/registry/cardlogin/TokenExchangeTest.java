package org.myna.registry.cardlogin;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import org.junit.jupiter.api.Test;
import org.myna.registry.support.CardFlow;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

/**
 * RFC 8693 for the portal: one card login at the registry, exchanged for wallet and insurance tokens under each
 * service's own pairwise subject, without a second card signature — and refused for anyone else or any other token.
 */
@QuarkusTest
class TokenExchangeTest {

    static Response exchange(String client, String secret, String subjectToken, String audience) {
        return given().formParam("grant_type", TokenExchangeService.GRANT_TYPE).formParam("client_id", client)
                .formParam("client_secret", secret).formParam("subject_token", subjectToken)
                .formParam("subject_token_type", TokenExchangeService.ACCESS_TOKEN_TYPE).formParam("audience", audience)
                .post("/oauth2/token");
    }

    static String claims(String jwt) {
        return new String(Base64.getUrlDecoder().decode(jwt.split("\\.")[1]), StandardCharsets.UTF_8);
    }

    static String sub(String jwt) {
        return claims(jwt).replaceAll(".*\"sub\":\"([^\"]+)\".*", "$1");
    }

    @Test
    void thePortalGetsWalletAndInsuranceTokensUnderTheirOwnPairwiseSubjects() {
        CardFlow.Issued card = CardFlow.newHolder();
        String registry = CardFlow.login(card.card(), "registry");
        String wallet = exchange("demo-portal", "demo-portal-secret", registry, "wallet").then().statusCode(200)
                .body("issued_token_type", equalTo(TokenExchangeService.ACCESS_TOKEN_TYPE)).extract().path("access_token");
        String insurance = exchange("demo-portal", "demo-portal-secret", registry, "insurance").then().statusCode(200)
                .extract().path("access_token");
        // The same subjects a card login for that audience gives: each service's own link code, three different ones.
        assertThat(sub(wallet)).isEqualTo(sub(CardFlow.login(card.card(), "wallet")));
        assertThat(sub(insurance)).isEqualTo(sub(CardFlow.login(card.card(), "insurance")));
        assertThat(java.util.Set.of(sub(registry), sub(wallet), sub(insurance))).hasSize(3);
        assertThat(claims(wallet)).contains("\"aud\":\"wallet\"").contains("\"resident\"");
    }

    @Test
    void noneButAPortalMayExchangeAndOnlyAResidentsLiveLoginTokenCounts() {
        CardFlow.Issued card = CardFlow.newHolder();
        String registry = CardFlow.login(card.card(), "registry");
        exchange("demo-clerk", "demo-clerk-secret", registry, "wallet").then().statusCode(400)
                .body("code", equalTo("unauthorized_client"));
        exchange("demo-portal", "wrong", registry, "wallet").then().statusCode(401).body("code", equalTo("invalid-client"));
        exchange("demo-portal", "demo-portal-secret", registry, "registry").then().statusCode(400)
                .body("code", equalTo("invalid_target"));
        // A wallet token cannot be turned into an insurance token (only the registry login is a subject token).
        String wallet = CardFlow.login(card.card(), "wallet");
        exchange("demo-portal", "demo-portal-secret", wallet, "insurance").then().statusCode(400)
                .body("code", equalTo("invalid_grant"));
        // An operation token is not a login.
        String op = CardFlow.operationToken(card.card(), "apply-points", "registry");
        exchange("demo-portal", "demo-portal-secret", op, "wallet").then().statusCode(400).body("code", equalTo("invalid_grant"));
        // An organisation's token is not a resident's.
        String clerk = org.myna.registry.support.Tokens.clerk();
        exchange("demo-portal", "demo-portal-secret", clerk, "wallet").then().statusCode(400).body("code", equalTo("invalid_grant"));
        exchange("demo-portal", "demo-portal-secret", "not.a.token", "wallet").then().statusCode(400)
                .body("code", equalTo("invalid_grant"));
        // The card revoked: the login it made cannot be stretched to another service.
        CardFlow.revoke(card.cardId(), "lost");
        exchange("demo-portal", "demo-portal-secret", registry, "wallet").then().statusCode(400)
                .body("code", equalTo("invalid_grant"));
    }
}
