package org.myna.wallet.application;

import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;
import org.myna.wallet.support.RegistryWireMock;
import org.myna.wallet.support.Tokens;
import org.myna.wallet.support.Wallet;

import java.time.OffsetDateTime;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.myna.wallet.support.Wallet.PROVIDER;

@QuarkusTest
class ApplicationFlowTest {

    @Test
    void grantsFixedRuleOnceAndRefusesSecondGrant() {
        String campaign = Wallet.campaign(1_000_000, Wallet.standardRules());
        String service = Wallet.paymentService(PROVIDER);
        String resident = Tokens.linkCode();
        Wallet.choose(resident, campaign, service);

        Wallet.apply(resident, campaign, "insurance-link").then().statusCode(201)
                .body("status", equalTo("granted")).body("points", equalTo(7500)).body("balance", equalTo(7500));
        Wallet.apply(resident, campaign, "insurance-link").then().statusCode(409).body("code", equalTo("already-granted"));

        assertThat(Wallet.balance(resident, campaign)).isEqualTo(7500);
        assertThat(Wallet.trialBalance().get("equal")).isEqualTo(true);
    }

    @Test
    void refusesApplicationWithoutPaymentService() {
        String campaign = Wallet.campaign(1_000_000, Wallet.standardRules());
        Wallet.apply(Tokens.linkCode(), campaign, "insurance-link").then().statusCode(422)
                .body("code", equalTo("no-payment-service"));
    }

    @Test
    void refusesRuleNotInCampaign() {
        String campaign = Wallet.campaign(1_000_000, java.util.List.of(Map.of("rule", "insurance-link", "kind", "fixed", "amount", 7500)));
        String resident = Tokens.linkCode();
        Wallet.choose(resident, campaign, Wallet.paymentService(PROVIDER));
        Wallet.apply(resident, campaign, "public-fund-account").then().statusCode(422).body("code", equalTo("unknown-rule"));
        Wallet.apply(resident, campaign, "free-money").then().statusCode(422).body("code", equalTo("unknown-rule"));
    }

    @Test
    void refusesApplicationOutsideCampaignPeriod() {
        String service = Wallet.paymentService(PROVIDER);
        String future = Wallet.campaign(1_000_000, OffsetDateTime.now().plusDays(1), OffsetDateTime.now().plusDays(2), Wallet.standardRules());
        String resident = Tokens.linkCode();
        Wallet.post(Tokens.operation(resident, "choose-payment-service"), "/api/payment-choices",
                        Map.of("paymentService", service, "campaign", future))
                .then().statusCode(422).body("code", equalTo("campaign-closed"));
        Wallet.apply(resident, future, "insurance-link").then().statusCode(422).body("code", equalTo("campaign-closed"));
    }

    @Test
    void refusesWhenRegistrySaysNo() {
        String campaign = Wallet.campaign(1_000_000, Wallet.standardRules());
        String resident = Tokens.linkCode();
        Wallet.choose(resident, campaign, Wallet.paymentService(PROVIDER));
        RegistryWireMock.answer(resident, "public-fund-account", false);
        Wallet.apply(resident, campaign, "public-fund-account").then().statusCode(422).body("code", equalTo("not-eligible"));
        assertThat(Wallet.balance(resident, campaign)).isZero();
    }

    @Test
    void answersRegistryUnavailableAndLetsTheSameRequestBeRetried() {
        String campaign = Wallet.campaign(1_000_000, Wallet.standardRules());
        String resident = Tokens.linkCode();
        Wallet.choose(resident, campaign, Wallet.paymentService(PROVIDER));
        RegistryWireMock.fail(resident);
        String token = Tokens.operation(resident, "apply-points");
        String key = Wallet.key();
        Map<String, String> body = Map.of("rule", "insurance-link", "campaign", campaign);
        Wallet.as(token).header("Idempotency-Key", key).body(body).post("/api/applications")
                .then().statusCode(503).body("code", equalTo("registry-unavailable"));
        assertThat(Wallet.balance(resident, campaign)).isZero();

        RegistryWireMock.answer(resident, "insurance-linked", true);
        Wallet.as(token).header("Idempotency-Key", key).body(body).post("/api/applications")
                .then().statusCode(201).body("points", equalTo(7500));
    }

    @Test
    void asksTheRegistryTheRightQuestionForEachRule() {
        String campaign = Wallet.campaign(1_000_000, Wallet.standardRules());
        String resident = Tokens.linkCode();
        Wallet.choose(resident, campaign, Wallet.paymentService(PROVIDER));
        RegistryWireMock.answer(resident, "card-active", false);
        Wallet.apply(resident, campaign, "card-acquisition").then().statusCode(422).body("code", equalTo("not-eligible"));
        RegistryWireMock.answer(resident, "card-active", true);
        Wallet.apply(resident, campaign, "card-acquisition").then().statusCode(201)
                .body("status", equalTo("eligible")).body("points", equalTo(0));
    }

    @Test
    void refusesResidentTokenAndWrongOperation() {
        String campaign = Wallet.campaign(1_000_000, Wallet.standardRules());
        String resident = Tokens.linkCode();
        Wallet.choose(resident, campaign, Wallet.paymentService(PROVIDER));
        Wallet.post(Tokens.resident(resident), "/api/applications", Map.of("rule", "insurance-link", "campaign", campaign))
                .then().statusCode(403);
        Wallet.post(Tokens.operation(resident, "choose-payment-service"), "/api/applications", Map.of("rule", "insurance-link", "campaign", campaign))
                .then().statusCode(403).body("code", equalTo("wrong-operation"));
        assertThat(Wallet.balance(resident, campaign)).isZero();
    }

    @Test
    void seededNationalCampaignHasItsRules() {
        io.restassured.RestAssured.given().auth().oauth2(Tokens.auditor()).get("/api/campaigns/mynapoint-2")
                .then().statusCode(200)
                .body("budget", equalTo(1_800_000_000_000L))
                .body("rules.find { it.rule == 'card-acquisition' }.percent", equalTo(25))
                .body("rules.find { it.rule == 'card-acquisition' }.cap", equalTo(5000))
                .body("rules.find { it.rule == 'insurance-link' }.amount", equalTo(7500))
                .body("rules.find { it.rule == 'public-fund-account' }.amount", equalTo(7500));
    }
}
