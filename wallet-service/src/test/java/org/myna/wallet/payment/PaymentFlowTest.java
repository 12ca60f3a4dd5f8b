package org.myna.wallet.payment;

import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.myna.wallet.support.Tokens;
import org.myna.wallet.support.Wallet;

import java.util.ArrayList;
import java.time.OffsetDateTime;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.myna.wallet.support.Wallet.PROVIDER;

@QuarkusTest
class PaymentFlowTest {

    @Inject
    EntityManager em;

    long transfers() {
        return em.createQuery("select count(t) from Transfer t", Long.class).getSingleResult();
    }

    record Setup(String campaign, String service, String resident, String account) {
    }

    Setup residentWithCard() {
        String campaign = Wallet.campaign(1_000_000, Wallet.standardRules());
        String service = Wallet.paymentService(PROVIDER);
        String resident = Tokens.linkCode();
        String account = Wallet.choose(resident, campaign, service);
        Wallet.apply(resident, campaign, "card-acquisition").then().statusCode(201);
        return new Setup(campaign, service, resident, account);
    }

    Map<String, Object> charge(Setup s, long amount) {
        return Map.of("paymentAccount", s.account(), "amount", amount, "campaign", s.campaign());
    }

    @Test
    void givesQuarterBackUpToTheCapAcrossCharges() {
        Setup s = residentWithCard();
        String provider = Tokens.payment(PROVIDER);
        Wallet.post(provider, "/api/charges", charge(s, 10_000)).then().statusCode(201)
                .body("pointsGranted", equalTo(2500)).body("balance", equalTo(2500));
        Wallet.post(provider, "/api/charges", charge(s, 1_001)).then().statusCode(201).body("pointsGranted", equalTo(250));
        Wallet.post(provider, "/api/charges", charge(s, 20_000)).then().statusCode(201)
                .body("pointsGranted", equalTo(2250)).body("cardAcquisitionTotal", equalTo(5000)).body("balance", equalTo(5000));
        long before = transfers();
        Wallet.post(provider, "/api/charges", charge(s, 20_000)).then().statusCode(201).body("pointsGranted", equalTo(0));
        assertThat(transfers()).isEqualTo(before);
        assertThat(Wallet.balance(s.resident(), s.campaign())).isEqualTo(5000);
    }

    @Test
    void refusesChargeBeforeApplication() {
        String campaign = Wallet.campaign(1_000_000, Wallet.standardRules());
        String service = Wallet.paymentService(PROVIDER);
        String account = Wallet.choose(Tokens.linkCode(), campaign, service);
        Wallet.post(Tokens.payment(PROVIDER), "/api/charges", Map.of("paymentAccount", account, "amount", 1000, "campaign", campaign))
                .then().statusCode(422).body("code", equalTo("not-applied"));
    }

    @Test
    void redeemsAtMerchantAndRefusesOverdraft() {
        Setup s = residentWithCard();
        String provider = Tokens.payment(PROVIDER);
        Wallet.post(provider, "/api/charges", charge(s, 8_000)).then().statusCode(201).body("pointsGranted", equalTo(2000));
        String merchant = Wallet.merchant(PROVIDER);
        Map<String, Object> redemption = Map.of("paymentAccount", s.account(), "merchantCorporateNumber", merchant, "amount", 1500,
                "campaign", s.campaign());
        Wallet.post(provider, "/api/redemptions", redemption).then().statusCode(201).body("balance", equalTo(500));
        long before = transfers();
        Map<String, Object> tooMuch = new HashMap<>(redemption);
        tooMuch.put("amount", 501);
        Wallet.post(provider, "/api/redemptions", tooMuch).then().statusCode(409).body("code", equalTo("insufficient-balance"));
        assertThat(transfers()).isEqualTo(before);
        assertThat(Wallet.balance(s.resident(), s.campaign())).isEqualTo(500);
        assertThat(Wallet.trialBalance().get("equal")).isEqualTo(true);
    }

    /** A charge retried at once by a provider's many workers with one key is one charge: one transfer, one answer. */
    @Test
    void concurrentRetriesOfOneChargeActOnce() throws Exception {
        Setup s = residentWithCard();
        String provider = Tokens.payment(PROVIDER);
        String key = Wallet.key();
        long before = transfers();
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<io.restassured.response.Response>> answers = new ArrayList<>();
            for (int i = 0; i < 24; i++) {
                answers.add(pool.submit(() -> Wallet.as(provider).header("Idempotency-Key", key).body(charge(s, 4_000)).post("/api/charges")));
            }
            Set<String> bodies = new HashSet<>();
            for (Future<io.restassured.response.Response> f : answers) {
                io.restassured.response.Response r = f.get(60, TimeUnit.SECONDS);
                // A retry that overlaps the first may be told to come back; none may act a second time.
                if (r.statusCode() == 409) {
                    assertThat(r.jsonPath().getString("code")).isEqualTo("request-in-progress");
                } else {
                    assertThat(r.statusCode()).isEqualTo(201);
                    bodies.add(r.asString());
                }
            }
            assertThat(bodies).hasSize(1);
        } finally {
            pool.shutdownNow();
        }
        assertThat(transfers()).isEqualTo(before + 1);
        assertThat(Wallet.balance(s.resident(), s.campaign())).isEqualTo(1000);
        Wallet.as(provider).header("Idempotency-Key", key).body(charge(s, 4_000)).post("/api/charges").then()
                .statusCode(201).header("Idempotent-Replayed", "true").body("pointsGranted", equalTo(1000));
        Wallet.as(provider).header("Idempotency-Key", key).body(charge(s, 4_001)).post("/api/charges").then()
                .statusCode(409).body("code", equalTo("idempotency-key-reused"));
    }

    /** A refusal rolls back everything the request did and is replayed as the key's first answer. */
    @Test
    void aRefusedRedemptionIsStoredAndChangesNothing() {
        Setup s = residentWithCard();
        String provider = Tokens.payment(PROVIDER);
        String merchant = Wallet.merchant(PROVIDER);
        String key = Wallet.key();
        Map<String, Object> redemption = Map.of("paymentAccount", s.account(), "merchantCorporateNumber", merchant, "amount", 1,
                "campaign", s.campaign());
        long before = transfers();
        Wallet.as(provider).header("Idempotency-Key", key).body(redemption).post("/api/redemptions").then()
                .statusCode(409).body("code", equalTo("insufficient-balance"));
        Wallet.post(provider, "/api/charges", charge(s, 400)).then().statusCode(201);
        // Points now cover it, but the key's first answer stands.
        Wallet.as(provider).header("Idempotency-Key", key).body(redemption).post("/api/redemptions").then()
                .statusCode(409).header("Idempotent-Replayed", "true").body("code", equalTo("insufficient-balance"));
        assertThat(transfers()).isEqualTo(before + 1);
        assertThat(Wallet.balance(s.resident(), s.campaign())).isEqualTo(100);
    }

    @ParameterizedTest
    @ValueSource(longs = {0, -1, -5000, 10_000_001, Long.MAX_VALUE})
    void refusesAbsurdAmountsAndChangesNothing(long amount) {
        Setup s = residentWithCard();
        String provider = Tokens.payment(PROVIDER);
        String merchant = Wallet.merchant(PROVIDER);
        long before = transfers();
        Map<String, Object> tb = Wallet.trialBalance();
        Wallet.post(provider, "/api/charges", charge(s, amount)).then().statusCode(400).body("code", equalTo("invalid-amount"));
        Wallet.post(provider, "/api/redemptions", Map.of("paymentAccount", s.account(), "merchantCorporateNumber", merchant,
                "amount", amount, "campaign", s.campaign())).then().statusCode(400).body("code", equalTo("invalid-amount"));
        assertThat(transfers()).isEqualTo(before);
        assertThat(Wallet.trialBalance()).isEqualTo(tb);
    }

    @Test
    void refusesUnknownMerchantAndBadCorporateNumbers() {
        Setup s = residentWithCard();
        String provider = Tokens.payment(PROVIDER);
        Wallet.post(provider, "/api/charges", charge(s, 8_000)).then().statusCode(201);
        long before = transfers();
        Wallet.post(provider, "/api/redemptions", Map.of("paymentAccount", s.account(), "merchantCorporateNumber", Wallet.corporateNumber(),
                "amount", 100, "campaign", s.campaign())).then().statusCode(422).body("code", equalTo("unknown-merchant"));
        String valid = Wallet.merchant(PROVIDER);
        String badCheck = ((valid.charAt(0) - '0' + 1) % 10) + valid.substring(1);
        Wallet.post(provider, "/api/redemptions", Map.of("paymentAccount", s.account(), "merchantCorporateNumber", badCheck,
                "amount", 100, "campaign", s.campaign())).then().statusCode(400).body("code", equalTo("invalid-corporate-number"));
        Wallet.post(provider, "/api/merchants", Map.of("corporateNumber", badCheck, "name", "Bad"))
                .then().statusCode(400).body("code", equalTo("invalid-corporate-number"));
        Wallet.post(provider, "/api/payment-services", Map.of("corporateNumber", "123456789012", "name", "Short"))
                .then().statusCode(400).body("code", equalTo("invalid-corporate-number"));
        assertThat(transfers()).isEqualTo(before);
    }

    @Test
    void providerReachesOnlyAccountsAtItsOwnServices() {
        Setup s = residentWithCard();
        Wallet.post(Tokens.payment("other-payment"), "/api/charges", charge(s, 8_000))
                .then().statusCode(422).body("code", equalTo("unknown-payment-account"));
        assertThat(Wallet.balance(s.resident(), s.campaign())).isZero();
    }

    @Test
    void refusesUnknownPaymentServiceAndNonProviders() {
        String campaign = Wallet.campaign(1_000_000, Wallet.standardRules());
        Wallet.post(Tokens.operation(Tokens.linkCode(), "choose-payment-service"), "/api/payment-choices",
                        Map.of("paymentService", Wallet.corporateNumber(), "campaign", campaign))
                .then().statusCode(422).body("code", equalTo("unknown-payment-service"));
        Wallet.post(Tokens.auditor(), "/api/charges", Map.of("paymentAccount", "acct-x", "amount", 100)).then().statusCode(403);
        Wallet.post(Tokens.resident(Tokens.linkCode()), "/api/payment-services", Map.of("corporateNumber", Wallet.corporateNumber(), "name", "x"))
                .then().statusCode(403);
    }

    @Test
    void choiceCannotBeChangedAndAccountBelongsToOnePerson() {
        String campaign = Wallet.campaign(1_000_000, Wallet.standardRules());
        String service = Wallet.paymentService(PROVIDER);
        String other = Wallet.paymentService(PROVIDER);
        String first = Tokens.linkCode();
        String account = Wallet.choose(first, campaign, service);
        Wallet.startBinding(first, campaign, other)
                .then().statusCode(409).body("code", equalTo("payment-service-already-chosen"));
        String code = Wallet.bindingCode(Tokens.linkCode(), campaign, service);
        Wallet.confirm(PROVIDER, code, account, Wallet.HOLDER_KANA)
                .then().statusCode(409).body("code", equalTo("payment-account-taken"));
    }

    /** One account id at two of a provider's services: the charge must name the service, and then reaches only its holder. */
    @Test
    void anAccountIdAtTwoServicesNeedsTheServiceNamed() {
        String campaign = Wallet.campaign(1_000_000, Wallet.standardRules());
        String first = Wallet.paymentService(PROVIDER);
        String second = Wallet.paymentService(PROVIDER);
        String holder = Tokens.linkCode();
        String other = Tokens.linkCode();
        String account = Wallet.choose(holder, campaign, first);
        Wallet.confirm(PROVIDER, Wallet.bindingCode(other, campaign, second), account, Wallet.HOLDER_KANA).then().statusCode(200);
        Wallet.apply(holder, campaign, "card-acquisition").then().statusCode(201);
        Wallet.apply(other, campaign, "card-acquisition").then().statusCode(201);
        String provider = Tokens.payment(PROVIDER);
        long before = transfers();
        Wallet.post(provider, "/api/charges", Map.of("paymentAccount", account, "amount", 4_000, "campaign", campaign))
                .then().statusCode(400).body("code", equalTo("payment-service-required"));
        assertThat(transfers()).isEqualTo(before);
        Wallet.post(provider, "/api/charges", Map.of("paymentAccount", account, "amount", 4_000, "campaign", campaign, "paymentService", first))
                .then().statusCode(201).body("pointsGranted", equalTo(1000));
        assertThat(Wallet.balance(holder, campaign)).isEqualTo(1000);
        assertThat(Wallet.balance(other, campaign)).isZero();
    }

    /** Charges outside the campaign's period earn nothing and change nothing. */
    @Test
    void refusesChargesOutsideTheCampaignPeriod() {
        String campaign = Wallet.campaign(1_000_000, OffsetDateTime.now().minusDays(10), OffsetDateTime.now().minusDays(1), Wallet.standardRules());
        long before = transfers();
        Wallet.post(Tokens.payment(PROVIDER), "/api/charges", Map.of("paymentAccount", "acct-none", "amount", 4_000, "campaign", campaign))
                .then().statusCode(422).body("code", equalTo("campaign-closed"));
        assertThat(transfers()).isEqualTo(before);
    }
}
