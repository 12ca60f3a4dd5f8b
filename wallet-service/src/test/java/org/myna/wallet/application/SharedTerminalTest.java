package org.myna.wallet.application;

import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;
import org.myna.wallet.support.Tokens;
import org.myna.wallet.support.Wallet;

import java.util.Map;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.myna.wallet.support.Wallet.PROVIDER;

/** DESIGN §6.2: points or a payment-service link landing on the wrong person at a shared terminal. */
@QuarkusTest
class SharedTerminalTest {

    @Test
    void theFirstPersonsOperationTokenCannotActAgain() {
        String campaign = Wallet.campaign(1_000_000, Wallet.standardRules());
        String service = Wallet.paymentService(PROVIDER);
        String first = Tokens.linkCode();
        String second = Tokens.linkCode();
        String firstChoose = Tokens.operation(first, "choose-payment-service");
        Wallet.post(firstChoose, "/api/payment-choices", Map.of("paymentService", service, "campaign", campaign))
                .then().statusCode(201);
        // The next person at the terminal reuses what the first left behind: refused, whatever the body says.
        Wallet.post(firstChoose, "/api/payment-choices", Map.of("paymentService", service, "campaign", campaign))
                .then().statusCode(409).body("code", equalTo("operation-token-used"));

        String firstApply = Tokens.operation(first, "apply-points");
        Wallet.post(firstApply, "/api/applications", Map.of("rule", "insurance-link", "campaign", campaign)).then().statusCode(201);
        Wallet.post(firstApply, "/api/applications", Map.of("rule", "public-fund-account", "campaign", campaign))
                .then().statusCode(409).body("code", equalTo("operation-token-used"));
        assertThat(Wallet.balance(first, campaign)).isEqualTo(7500);
    }

    @Test
    void aRefusedAttemptSpendsTheTokenToo() {
        String campaign = Wallet.campaign(1_000_000, Wallet.standardRules());
        String resident = Tokens.linkCode();
        String token = Tokens.operation(resident, "apply-points");
        Wallet.post(token, "/api/applications", Map.of("rule", "insurance-link", "campaign", campaign))
                .then().statusCode(422).body("code", equalTo("no-payment-service"));
        Wallet.choose(resident, campaign, Wallet.paymentService(PROVIDER));
        Wallet.post(token, "/api/applications", Map.of("rule", "insurance-link", "campaign", campaign))
                .then().statusCode(409).body("code", equalTo("operation-token-used"));
    }

    @Test
    void eachPersonsTokenActsOnlyOnThatPerson() {
        String campaign = Wallet.campaign(1_000_000, Wallet.standardRules());
        String service = Wallet.paymentService(PROVIDER);
        String first = Tokens.linkCode();
        String second = Tokens.linkCode();
        Wallet.choose(first, campaign, service);
        Wallet.choose(second, campaign, service);
        Wallet.apply(second, campaign, "insurance-link").then().statusCode(201);

        assertThat(Wallet.balance(second, campaign)).isEqualTo(7500);
        assertThat(Wallet.balance(first, campaign)).isZero();
        given().auth().oauth2(Tokens.resident(first)).queryParam("campaign", campaign).get("/api/me/history")
                .then().statusCode(200).body("entries", hasSize(0));
        given().auth().oauth2(Tokens.resident(second)).queryParam("campaign", campaign).get("/api/me/history")
                .then().statusCode(200).body("entries", hasSize(1)).body("entries[0].amount", equalTo(7500))
                .body("entries[0].rule", equalTo("insurance-link"));
    }

    @Test
    void anOperationTokenIsNotAResidentTokenAndViceVersa() {
        String resident = Tokens.linkCode();
        given().auth().oauth2(Tokens.operation(resident, "apply-points")).get("/api/me/balance").then().statusCode(403);
        given().get("/api/me/balance").then().statusCode(401);
        given().auth().oauth2(Tokens.payment(PROVIDER)).get("/api/me/balance").then().statusCode(403);
    }
}
