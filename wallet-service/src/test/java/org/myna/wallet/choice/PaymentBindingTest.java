package org.myna.wallet.choice;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import org.junit.jupiter.api.Test;
import org.myna.wallet.support.RegistryWireMock;
import org.myna.wallet.support.Tokens;
import org.myna.wallet.support.Wallet;

import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;
import static org.myna.wallet.support.Wallet.HOLDER_KANA;
import static org.myna.wallet.support.Wallet.PROVIDER;

/**
 * DESIGN §6.2, the MynaPoint failure: points went to whoever named an account first. Here the resident names no
 * account; the provider confirms the resident's code with its own account and the holder's name, and only a confirmed
 * binding earns.
 */
@QuarkusTest
class PaymentBindingTest {

    static String account() {
        return "acct-" + UUID.randomUUID().toString().substring(0, 12);
    }

    static Response charge(String account, String campaign) {
        return Wallet.post(Tokens.payment(PROVIDER), "/api/charges", Map.of("paymentAccount", account, "amount", 4_000, "campaign", campaign));
    }

    static Response myChoice(String resident, String campaign) {
        return given().auth().oauth2(Tokens.resident(resident)).queryParam("campaign", campaign).get("/api/me/payment-choice");
    }

    @Test
    void aResidentCannotNameTheAccountThatWillEarn() {
        String campaign = Wallet.campaign(1_000_000, Wallet.standardRules());
        String service = Wallet.paymentService(PROVIDER);
        Wallet.post(Tokens.operation(Tokens.linkCode(), "choose-payment-service"), "/api/payment-choices",
                        Map.of("paymentService", service, "paymentAccount", account(), "campaign", campaign))
                .then().statusCode(400);
    }

    @Test
    void aCodeRelayedToSomeoneElsesAccountBindsNothing() {
        String campaign = Wallet.campaign(1_000_000, Wallet.standardRules());
        String service = Wallet.paymentService(PROVIDER);
        String resident = Tokens.linkCode();
        String code = Wallet.bindingCode(resident, campaign, service);
        Wallet.apply(resident, campaign, "card-acquisition").then().statusCode(201);
        String strangers = account();
        // Shop staff type the code into a stranger's account: the holder's name is not the resident's.
        Wallet.confirm(PROVIDER, code, strangers, "スズキイチロウ").then().statusCode(422).body("code", equalTo("holder-kana-mismatch"));
        charge(strangers, campaign).then().statusCode(422).body("code", equalTo("unknown-payment-account"));
        myChoice(resident, campaign).then().statusCode(200).body("status", equalTo("pending")).body("earns", equalTo(false))
                .body("paymentAccount", nullValue());
        // The resident's own account, confirmed with the resident's name, earns.
        String own = account();
        Wallet.confirm(PROVIDER, code, own, HOLDER_KANA).then().statusCode(200).body("status", equalTo("confirmed"));
        charge(own, campaign).then().statusCode(201).body("pointsGranted", equalTo(1000));
        myChoice(resident, campaign).then().body("status", equalTo("confirmed")).body("earns", equalTo(true))
                .body("paymentAccount", equalTo(own));
    }

    @Test
    void aCodeIsRefusedPreciselyWhenReusedLateForeignLockedOrUnknownAndChangesNothing() {
        String campaign = Wallet.campaign(1_000_000, Wallet.standardRules());
        String service = Wallet.paymentService(PROVIDER);
        String resident = Tokens.linkCode();
        String code = Wallet.bindingCode(resident, campaign, service);
        Wallet.confirm("other-payment", code, account(), HOLDER_KANA).then().statusCode(403).body("code", equalTo("binding-other-provider"));
        Wallet.confirm(PROVIDER, "ZZZZZZZZZZ", account(), HOLDER_KANA).then().statusCode(404).body("code", equalTo("binding-unknown"));
        Wallet.confirm(PROVIDER, "not a code", account(), HOLDER_KANA).then().statusCode(400).body("code", equalTo("invalid-binding-code"));
        String account = account();
        Wallet.confirm(PROVIDER, code.toLowerCase(), account, HOLDER_KANA).then().statusCode(200);
        Wallet.confirm(PROVIDER, code, account(), HOLDER_KANA).then().statusCode(409).body("code", equalTo("binding-already-confirmed"));
        myChoice(resident, campaign).then().body("paymentAccount", equalTo(account));

        String late = Tokens.linkCode();
        String lateCode = Wallet.bindingCode(late, campaign, service);
        QuarkusTransaction.requiringNew().run(() -> PaymentChoice.update("bindingExpiresAt = ?1 where resident = ?2",
                OffsetDateTime.now().minusSeconds(1), late));
        Wallet.confirm(PROVIDER, lateCode, account(), HOLDER_KANA).then().statusCode(422).body("code", equalTo("binding-expired"));

        String guessed = Tokens.linkCode();
        String guessedCode = Wallet.bindingCode(guessed, campaign, service);
        for (int i = 0; i < ChoiceService.MAX_ATTEMPTS; i++) {
            Wallet.confirm(PROVIDER, guessedCode, account(), "タナカ" + i).then().statusCode(422).body("code", equalTo("holder-kana-mismatch"));
        }
        Wallet.confirm(PROVIDER, guessedCode, account(), HOLDER_KANA).then().statusCode(422).body("code", equalTo("binding-locked"));
        myChoice(guessed, campaign).then().body("status", equalTo("pending")).body("paymentAccount", nullValue());
        // A new binding gives a new code; the old one is dead.
        String fresh = Wallet.bindingCode(guessed, campaign, service);
        Wallet.confirm(PROVIDER, guessedCode, account(), HOLDER_KANA).then().statusCode(404);
        Wallet.confirm(PROVIDER, fresh, account(), HOLDER_KANA).then().statusCode(200);
    }

    @Test
    void parallelGuessesGetNoMoreNamesCheckedThanTheLimit() throws Exception {
        String campaign = Wallet.campaign(1_000_000, Wallet.standardRules());
        String service = Wallet.paymentService(PROVIDER);
        String resident = Tokens.linkCode();
        String code = Wallet.bindingCode(resident, campaign, service);
        int guessers = 10;
        CountDownLatch start = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(guessers);
        List<String> codes = new ArrayList<>();
        try {
            List<Future<String>> answers = new ArrayList<>();
            for (int i = 0; i < guessers; i++) {
                String kana = "スズキ" + "アイウエオカキクケコ".charAt(i);
                Callable<String> guess = () -> {
                    start.await();
                    return Wallet.confirm(PROVIDER, code, account(), kana).path("code");
                };
                answers.add(pool.submit(guess));
            }
            start.countDown();
            for (Future<String> answer : answers) {
                codes.add(answer.get());
            }
        } finally {
            pool.shutdownNow();
        }
        assertThat(codes).filteredOn("holder-kana-mismatch"::equals).hasSize(ChoiceService.MAX_ATTEMPTS);
        assertThat(codes).filteredOn("binding-locked"::equals).hasSize(guessers - ChoiceService.MAX_ATTEMPTS);
        assertThat(RegistryWireMock.server().findAll(com.github.tomakehurst.wiremock.client.WireMock
                .postRequestedFor(com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo("/api/exchange/holder-name"))
                .withRequestBody(com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath("$.linkCode",
                        com.github.tomakehurst.wiremock.client.WireMock.equalTo(resident))))).hasSize(ChoiceService.MAX_ATTEMPTS);
        myChoice(resident, campaign).then().body("status", equalTo("pending")).body("paymentAccount", nullValue());
    }

    @Test
    void aBindingThatExpiresWhileTheRegistryChecksTheNameIsNotConfirmed() {
        String campaign = Wallet.campaign(1_000_000, Wallet.standardRules());
        String service = Wallet.paymentService(PROVIDER);
        String resident = Tokens.linkCode();
        String code = Wallet.bindingCode(resident, campaign, service);
        // The registry takes 800 ms to say yes; the code expires 300 ms into that.
        RegistryWireMock.server().stubFor(com.github.tomakehurst.wiremock.client.WireMock.post(
                        com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo("/api/exchange/holder-name")).atPriority(1)
                .withRequestBody(com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath("$.linkCode",
                        com.github.tomakehurst.wiremock.client.WireMock.equalTo(resident)))
                .willReturn(com.github.tomakehurst.wiremock.client.WireMock.aResponse().withFixedDelay(800)
                        .withHeader("Content-Type", "application/json").withBody("{\"matches\":true}")));
        QuarkusTransaction.requiringNew().run(() -> PaymentChoice.update("bindingExpiresAt = ?1 where resident = ?2",
                OffsetDateTime.now().plusNanos(300_000_000), resident));
        String account = account();
        Wallet.confirm(PROVIDER, code, account, HOLDER_KANA).then().statusCode(422).body("code", equalTo("binding-expired"));
        myChoice(resident, campaign).then().body("status", equalTo("pending")).body("paymentAccount", nullValue());
        charge(account, campaign).then().statusCode(422).body("code", equalTo("unknown-payment-account"));
    }

    @Test
    void twoResidentsRacingToBindOneAccountBindItOnce() throws Exception {
        String campaign = Wallet.campaign(1_000_000, Wallet.standardRules());
        String service = Wallet.paymentService(PROVIDER);
        String account = account();
        int racers = 6;
        List<String> codes = new ArrayList<>();
        for (int i = 0; i < racers; i++) {
            codes.add(Wallet.bindingCode(Tokens.linkCode(), campaign, service));
        }
        CountDownLatch start = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(racers);
        try {
            List<Future<Integer>> answers = new ArrayList<>();
            for (String code : codes) {
                Callable<Integer> confirm = () -> {
                    start.await();
                    return Wallet.confirm(PROVIDER, code, account, HOLDER_KANA).statusCode();
                };
                answers.add(pool.submit(confirm));
            }
            start.countDown();
            List<Integer> statuses = new ArrayList<>();
            for (Future<Integer> answer : answers) {
                statuses.add(answer.get());
            }
            assertThat(statuses).containsOnlyOnce(200).allMatch(s -> s == 200 || s == 409);
        } finally {
            pool.shutdownNow();
        }
        assertThat(QuarkusTransaction.requiringNew().call(() -> PaymentChoice.count("status = ?1 and paymentAccountId = "
                + "(select a.id from PaymentAccount a where a.accountRef = ?2)", PaymentChoice.CONFIRMED, account))).isEqualTo(1);
    }

    @Test
    void aBindingNobodyConfirmedEarnsNothingAndItsOwnerCanStillBindTheAccount() {
        String campaign = Wallet.campaign(1_000_000, Wallet.standardRules());
        String service = Wallet.paymentService(PROVIDER);
        String squatter = Tokens.linkCode();
        String account = Wallet.choose(squatter, campaign, service);
        Wallet.apply(squatter, campaign, "card-acquisition").then().statusCode(201);
        // As V6 leaves every binding made before confirmations existed.
        QuarkusTransaction.requiringNew().run(() -> PaymentChoice.update("status = ?1 where resident = ?2", PaymentChoice.UNCONFIRMED, squatter));
        charge(account, campaign).then().statusCode(409).body("code", equalTo("payment-account-unconfirmed"));
        myChoice(squatter, campaign).then().body("status", equalTo("unconfirmed")).body("earns", equalTo(false));

        String owner = Tokens.linkCode();
        Wallet.apply(owner, campaign, "card-acquisition").then().statusCode(422); // no payment service yet
        Wallet.confirm(PROVIDER, Wallet.bindingCode(owner, campaign, service), account, HOLDER_KANA).then().statusCode(200);
        Wallet.apply(owner, campaign, "card-acquisition").then().statusCode(201);
        charge(account, campaign).then().statusCode(201).body("pointsGranted", equalTo(1000));
        given().auth().oauth2(Tokens.resident(owner)).queryParam("campaign", campaign).get("/api/me/balance").then().body("balance", equalTo(1000));
        myChoice(squatter, campaign).then().body("status", equalTo("unconfirmed")).body("paymentAccount", nullValue());
    }

    @Test
    void aProviderReleasesAWrongBindingWithAReasonAndTheOwnerBindsTheAccount() {
        String campaign = Wallet.campaign(1_000_000, Wallet.standardRules());
        String service = Wallet.paymentService(PROVIDER);
        String wrong = Tokens.linkCode();
        String account = Wallet.choose(wrong, campaign, service);
        Wallet.apply(wrong, campaign, "card-acquisition").then().statusCode(201);
        charge(account, campaign).then().statusCode(201);
        long earned = given().auth().oauth2(Tokens.resident(wrong)).queryParam("campaign", campaign).get("/api/me/balance")
                .then().extract().jsonPath().getLong("balance");

        Wallet.post(Tokens.payment(PROVIDER), "/api/payment-choices/releases", Map.of("paymentAccount", account, "campaign", campaign))
                .then().statusCode(400).body("code", equalTo("reason-required"));
        Wallet.post(Tokens.payment("other-payment"), "/api/payment-choices/releases",
                        Map.of("paymentAccount", account, "campaign", campaign, "reason", "not ours"))
                .then().statusCode(422).body("code", equalTo("unknown-payment-account"));
        Wallet.post(Tokens.payment(PROVIDER), "/api/payment-choices/releases",
                        Map.of("paymentAccount", account, "campaign", campaign, "reason", "holder reported a wrong binding (ticket 42)"))
                .then().statusCode(200).body("status", equalTo("released"));
        assertThat(QuarkusTransaction.requiringNew().call(() -> PaymentRelease.count("accountRef = ?1 and resident = ?2", account, wrong)))
                .isEqualTo(1);
        charge(account, campaign).then().statusCode(422).body("code", equalTo("unknown-payment-account"));
        // Points already earned stay where the ledger put them; moving them is a correction.
        given().auth().oauth2(Tokens.resident(wrong)).queryParam("campaign", campaign).get("/api/me/balance").then()
                .body("balance", equalTo((int) earned));

        String owner = Tokens.linkCode();
        Wallet.confirm(PROVIDER, Wallet.bindingCode(owner, campaign, service), account, HOLDER_KANA).then().statusCode(200);
        myChoice(wrong, campaign).then().body("status", equalTo("unconfirmed")).body("earns", equalTo(false));
        // The provider learnt who holds the account, and later gave it up: both are in the residents' access logs.
        assertThat(QuarkusTransaction.requiringNew().call(() -> org.myna.platform.accesslog.AccessLogOutboxRow
                .<org.myna.platform.accesslog.AccessLogOutboxRow>list("linkCode", wrong).stream().map(r -> r.purpose + " " + r.clientId).toList()))
                .contains("payment-binding-confirmation " + PROVIDER, "payment-binding-release " + PROVIDER);
        assertThat(QuarkusTransaction.requiringNew().call(() -> org.myna.platform.accesslog.AccessLogOutboxRow
                .count("linkCode = ?1 and purpose = 'payment-binding-confirmation'", owner))).isEqualTo(1);
    }
    /**
     * The binding code is a secret shown once and kept as a hash; the idempotency record of the choice must not keep
     * it in clear (a database copy or an operator's query would read a live code). A replay answers without it, and
     * the code the first answer gave still binds.
     */
    @Test
    void theBindingCodeIsNeverInTheIdempotencyRecordAndAReplayAnswersWithoutIt() {
        String campaign = Wallet.campaign(1_000_000, Wallet.standardRules());
        String service = Wallet.paymentService(PROVIDER);
        String resident = Tokens.linkCode();
        String key = Wallet.key();
        String token = Tokens.operation(resident, "choose-payment-service");
        Map<String, String> body = Map.of("paymentService", service, "campaign", campaign);
        Response first = Wallet.as(token).header("Idempotency-Key", key).body(body).post("/api/payment-choices");
        first.then().statusCode(201);
        String code = first.jsonPath().getString("bindingCode");
        assertThat(code).hasSize(ChoiceService.CODE_LENGTH);

        assertThat(recordsHolding(code)).isZero();
        assertThat(recordsHolding(resident)).as("the choice's record is there to search").isPositive();

        Response replay = Wallet.as(token).header("Idempotency-Key", key).body(body).post("/api/payment-choices");
        replay.then().statusCode(201).header("Idempotent-Replayed", "true").body("bindingCode", nullValue())
                .body("status", equalTo("pending")).body("expiresAt", equalTo(first.jsonPath().getString("expiresAt")))
                .body("chosenAt", equalTo(first.jsonPath().getString("chosenAt")));
        assertThat(replay.asString()).doesNotContain(code);

        Wallet.confirm(PROVIDER, code, account(), HOLDER_KANA).then().statusCode(200);
        assertThat(recordsHolding(code)).isZero();
    }

    /** Idempotency records holding {@code text} in any column. */
    private static long recordsHolding(String text) {
        return QuarkusTransaction.requiringNew().call(() -> org.myna.platform.idempotency.IdempotencyRecord.count(
                "scope like ?1 or key like ?1 or endpoint like ?1 or requestHash like ?1 or responseBody like ?1", "%" + text + "%"));
    }
}
