package org.myna.wallet.ledger.batch;

import io.agroal.api.AgroalDataSource;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.myna.platform.idempotency.Idempotency;
import org.myna.wallet.payment.AuthorizationService;
import org.myna.wallet.support.Tokens;
import org.myna.wallet.support.Wallet;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.myna.wallet.support.Wallet.PROVIDER;

/**
 * Two-phase redemptions (issue 23) through the batched writer, and attempts to break them: a capture above the hold,
 * captures and voids of settled or expired authorisations, parallel captures of one hold (one batch, two replicas), a
 * capture racing the expiry, spending racing a hold. After each: no balance below zero, the trial balance equal, and the
 * campaign's hold account holding exactly the pending amounts.
 */
@QuarkusTest
class AuthorizationTest {

    @Inject
    LedgerWriter writer;

    @Inject
    LedgerFaults faults;

    @Inject
    AuthorizationService authorizations;

    @Inject
    AgroalDataSource dataSource;

    @Inject
    Idempotency idempotency;

    private final ExecutorService clients = Executors.newFixedThreadPool(12);

    @AfterEach
    void release() {
        faults.disarm();
        clients.shutdownNow();
    }

    private record Setup(String campaign, String resident, String account, String merchant, String provider) {
    }

    /** A resident with 7,500 points at a confirmed account of the provider, and a merchant. */
    private static Setup resident() {
        String campaign = Wallet.campaign(10_000_000, Wallet.standardRules());
        String resident = Tokens.linkCode();
        String account = Wallet.choose(resident, campaign, Wallet.paymentService(PROVIDER));
        Wallet.apply(resident, campaign, "insurance-link").then().statusCode(201);
        return new Setup(campaign, resident, account, Wallet.merchant(PROVIDER), Tokens.payment(PROVIDER));
    }

    private static Response authorize(Setup s, long amount, Long validForSeconds) {
        Map<String, Object> body = new HashMap<>(Map.of("paymentAccount", s.account(), "merchantCorporateNumber", s.merchant(), "amount", amount,
                "campaign", s.campaign()));
        if (validForSeconds != null) {
            body.put("validForSeconds", validForSeconds);
        }
        return Wallet.post(s.provider(), "/api/authorizations", body);
    }

    private static Response capture(Setup s, long id, long amount, String key) {
        return Wallet.as(s.provider()).header("Idempotency-Key", key).body(Map.of("amount", amount)).post("/api/authorizations/" + id + "/capture");
    }

    private static Response voidIt(String provider, long id, String key) {
        return Wallet.as(provider).header("Idempotency-Key", key).post("/api/authorizations/" + id + "/void");
    }

    private static String code(Response r) {
        return r.statusCode() + " " + r.jsonPath().getString("code");
    }

    /** The campaign's hold account: always the sum of what is pending. */
    private long held(String campaign) throws Exception {
        try (Connection c = dataSource.getConnection();
             PreparedStatement q = c.prepareStatement("select balance from wallet.ledger_account where campaign_id = ? and kind = 'hold'")) {
            q.setString(1, campaign);
            try (ResultSet rs = q.executeQuery()) {
                assertThat(rs.next()).isTrue();
                return rs.getLong(1);
            }
        }
    }

    private long releases(long id) throws Exception {
        try (Connection c = dataSource.getConnection();
             PreparedStatement q = c.prepareStatement("select count(*) from wallet.transfer where client_id = 'wallet' and transfer_key = ?")) {
            q.setString(1, "release:" + id);
            try (ResultSet rs = q.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    /** The resident's own view: balance, received, spent, held. */
    private static List<Long> me(Setup s) {
        var j = given().auth().oauth2(Tokens.resident(s.resident())).queryParam("campaign", s.campaign()).get("/api/me/balance")
                .then().statusCode(200).extract().jsonPath();
        return List.of(j.getLong("balance"), j.getLong("received"), j.getLong("spent"), j.getLong("held"));
    }

    private static String status(Setup s, long id) {
        return given().auth().oauth2(s.provider()).get("/api/authorizations/" + id).then().statusCode(200).extract().jsonPath().getString("status");
    }

    @Test
    void aCaptureTakesUpToTheHoldAndReturnsTheRestOnce() throws Exception {
        Setup s = resident();
        Response auth = authorize(s, 1_000, null);
        assertThat(auth.statusCode()).as(auth.asString()).isEqualTo(201);
        long id = auth.jsonPath().getLong("id");
        assertThat(auth.jsonPath().getString("status")).isEqualTo("pending");
        assertThat(auth.jsonPath().getLong("balance")).isEqualTo(6_500);
        assertThat(Wallet.balance(s.resident(), s.campaign())).isEqualTo(6_500);
        assertThat(held(s.campaign())).isEqualTo(1_000);
        assertThat(me(s)).containsExactly(6_500L, 7_500L, 0L, 1_000L);

        // above the hold: refused, nothing changes
        assertThat(code(capture(s, id, 1_001, Wallet.key()))).isEqualTo("422 capture-above-hold");
        assertThat(status(s, id)).isEqualTo("pending");
        assertThat(Wallet.balance(s.resident(), s.campaign())).isEqualTo(6_500);

        String key = Wallet.key();
        Response captured = capture(s, id, 600, key);
        assertThat(captured.statusCode()).as(captured.asString()).isEqualTo(200);
        assertThat(captured.jsonPath().getString("status")).isEqualTo("captured");
        assertThat(captured.jsonPath().getLong("captured")).isEqualTo(600);
        assertThat(captured.jsonPath().getLong("released")).isEqualTo(400);
        assertThat(captured.jsonPath().getLong("balance")).isEqualTo(6_900);
        // the same key replays the answer; a new key, or a void, of a captured authorisation is a stable 409
        Response replay = capture(s, id, 600, key);
        assertThat(replay.statusCode()).isEqualTo(200);
        assertThat(replay.asString()).isEqualTo(captured.asString());
        assertThat(code(capture(s, id, 600, Wallet.key()))).isEqualTo("409 authorization-captured");
        assertThat(code(voidIt(s.provider(), id, Wallet.key()))).isEqualTo("409 authorization-captured");
        // another provider's view of it: as unknown as a missing one
        String other = Tokens.payment("other-payment");
        assertThat(code(voidIt(other, id, Wallet.key()))).isEqualTo("404 unknown-authorization");
        given().auth().oauth2(other).get("/api/authorizations/" + id).then().statusCode(404);

        assertThat(Wallet.balance(s.resident(), s.campaign())).isEqualTo(6_900);
        assertThat(me(s)).containsExactly(6_900L, 7_500L, 600L, 0L);
        assertThat(held(s.campaign())).isZero();
        assertThat(releases(id)).isEqualTo(1);
        assertThat(Wallet.trialBalance().get("equal")).isEqualTo(true);
        // a hold is settled by its authorisation, never by a correction
        Wallet.post(Tokens.auditor(), "/api/corrections", Map.of("transferId", auth.jsonPath().getLong("holdTransferId"), "reason", "try"))
                .then().statusCode(409);
    }

    @Test
    void aDoubleVoidIsAStable409AndTheSameKeyReplays() throws Exception {
        Setup s = resident();
        long id = authorize(s, 500, null).then().statusCode(201).extract().jsonPath().getLong("id");
        String key = Wallet.key();
        Response voided = voidIt(s.provider(), id, key);
        assertThat(voided.statusCode()).as(voided.asString()).isEqualTo(200);
        assertThat(voided.jsonPath().getString("status")).isEqualTo("voided");
        assertThat(voided.jsonPath().getLong("released")).isEqualTo(500);
        assertThat(voided.jsonPath().getLong("balance")).isEqualTo(7_500);
        assertThat(voidIt(s.provider(), id, key).asString()).isEqualTo(voided.asString());
        assertThat(code(voidIt(s.provider(), id, Wallet.key()))).isEqualTo("409 authorization-voided");
        assertThat(code(capture(s, id, 1, Wallet.key()))).isEqualTo("409 authorization-voided");
        // the same key with another request (a capture) is a reuse
        assertThat(code(capture(s, id, 1, key))).isEqualTo("409 idempotency-key-reused");
        assertThat(code(voidIt(s.provider(), 999_999_999L, Wallet.key()))).isEqualTo("404 unknown-authorization");
        assertThat(Wallet.balance(s.resident(), s.campaign())).isEqualTo(7_500);
        assertThat(held(s.campaign())).isZero();
        assertThat(releases(id)).isEqualTo(1);
        // bad input: 4xx, never 5xx
        assertThat(code(authorize(s, 0, null))).isEqualTo("400 invalid-amount");
        assertThat(code(authorize(s, 10, 0L))).isEqualTo("400 invalid-validity");
        assertThat(code(authorize(s, 10, 100L * 24 * 3600))).isEqualTo("400 invalid-validity");
        assertThat(code(authorize(s, 7_501, null))).isEqualTo("409 insufficient-balance");
        assertThat(Wallet.as(s.provider()).header("Idempotency-Key", Wallet.key()).body(Map.of("amount", 1))
                .post("/api/authorizations/abc/capture").statusCode()).isEqualTo(404);
    }

    @Test
    void anAuthorizationExpiresByItselfAndItsHoldReturns() throws Exception {
        Setup s = resident();
        Response auth = authorize(s, 2_000, 1L);
        long id = auth.then().statusCode(201).extract().jsonPath().getLong("id");
        assertThat(Wallet.balance(s.resident(), s.campaign())).isEqualTo(5_500);
        // nobody asks: the sweep (every second in tests) expires it
        await().atMost(Duration.ofSeconds(60)).until(() -> "expired".equals(status(s, id)));
        assertThat(Wallet.balance(s.resident(), s.campaign())).isEqualTo(7_500);
        assertThat(code(capture(s, id, 1, Wallet.key()))).isEqualTo("409 authorization-expired");
        assertThat(code(voidIt(s.provider(), id, Wallet.key()))).isEqualTo("409 authorization-expired");
        assertThat(held(s.campaign())).isZero();
        assertThat(releases(id)).isEqualTo(1);
        assertThat(Wallet.trialBalance().get("equal")).isEqualTo(true);
    }

    @Test
    void aCaptureRacingTheExpiryInOneBatchLosesAndTheHoldReturnsOnce() throws Exception {
        Setup s = resident();
        long id = authorize(s, 3_000, 1L).then().statusCode(201).extract().jsonPath().getLong("id");
        CountDownLatch hold = new CountDownLatch(1);
        faults.hold = hold;
        Thread.sleep(1_500);   // past the deadline while the writer is held: capture and sweep wait in one queue
        Future<Response> capture = clients.submit(() -> capture(s, id, 3_000, Wallet.key()));
        await().atMost(Duration.ofSeconds(30)).until(() -> writer.queueDepth() >= 1);
        Future<Integer> swept = clients.submit(authorizations::sweep);
        await().atMost(Duration.ofSeconds(30)).until(() -> writer.queueDepth() >= 2 || swept.isDone());
        hold.countDown();
        assertThat(code(capture.get(60, TimeUnit.SECONDS))).isEqualTo("409 authorization-expired");
        swept.get(60, TimeUnit.SECONDS);
        assertThat(status(s, id)).isEqualTo("expired");
        assertThat(releases(id)).isEqualTo(1);
        assertThat(Wallet.balance(s.resident(), s.campaign())).isEqualTo(7_500);
        assertThat(held(s.campaign())).isZero();

        // Many holds whose deadline falls while captures and the sweep run: each ends captured or expired, never both.
        List<Long> ids = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            ids.add(authorize(s, 1_000, 2L).then().statusCode(201).extract().jsonPath().getLong("id"));
        }
        Thread.sleep(1_700);
        List<Future<Response>> captures = new ArrayList<>();
        for (long h : ids) {
            captures.add(clients.submit(() -> capture(s, h, 1_000, Wallet.key())));
        }
        clients.submit(authorizations::sweep);
        long captured = 0;
        for (int i = 0; i < ids.size(); i++) {
            Response r = captures.get(i).get(60, TimeUnit.SECONDS);
            assertThat(r.statusCode() == 200 ? "200" : code(r)).isIn("200", "409 authorization-expired");
            await().atMost(Duration.ofSeconds(30)).until(() -> !"pending".equals(status(s, ids.get(0))));
            String st = status(s, ids.get(i));
            assertThat(st).isEqualTo(r.statusCode() == 200 ? "captured" : "expired");
            captured += r.statusCode() == 200 ? 1_000 : 0;
            assertThat(releases(ids.get(i))).isEqualTo(1);
        }
        assertThat(Wallet.balance(s.resident(), s.campaign())).isEqualTo(7_500 - captured);
        assertThat(held(s.campaign())).isZero();
        assertThat(Wallet.trialBalance().get("equal")).isEqualTo(true);
    }

    @Test
    void parallelCapturesOfOneHoldTakeItOnceInOneBatchAndAcrossTwoReplicas() throws Exception {
        Setup s = resident();
        // one batch: the writer is held until all captures wait in its queue
        long id = authorize(s, 1_000, null).then().statusCode(201).extract().jsonPath().getLong("id");
        CountDownLatch hold = new CountDownLatch(1);
        faults.hold = hold;
        Thread.sleep(300);
        List<Future<Response>> sent = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            long amount = 400 + i * 100;
            sent.add(clients.submit(() -> capture(s, id, amount, Wallet.key())));
        }
        sent.add(clients.submit(() -> voidIt(s.provider(), id, Wallet.key())));
        await().atMost(Duration.ofSeconds(30)).until(() -> writer.queueDepth() >= 7);
        hold.countDown();
        Map<String, Integer> answers = new HashMap<>();
        long taken = 0;
        for (Future<Response> f : sent) {
            Response r = f.get(60, TimeUnit.SECONDS);
            answers.merge(r.statusCode() == 200 ? "200" : code(r), 1, Integer::sum);
            if (r.statusCode() == 200 && r.jsonPath().get("captured") != null) {
                taken += r.jsonPath().getLong("captured");
            }
        }
        assertThat(answers.get("200")).isEqualTo(1);
        assertThat(answers.keySet()).isSubsetOf("200", "409 authorization-captured", "409 authorization-voided");

        // two replicas (two writers on one database): only the authorisation's row lock stands between them
        long second = authorize(s, 1_000, null).then().statusCode(201).extract().jsonPath().getLong("id");
        LedgerWriter replicaTwo = new LedgerWriter(dataSource, idempotency, new LedgerFaults(), new SimpleMeterRegistry(), "wallet", 200, 1000,
                Duration.ofSeconds(10));
        List<CompletableFuture<LedgerOutcome>> results = new ArrayList<>();
        try {
            for (int i = 0; i < 10; i++) {
                String key = UUID.randomUUID().toString();
                LedgerCommand.Settle settle = new LedgerCommand.Settle(new LedgerCommand.Key(PROVIDER, key, "capture", "h-" + key), PROVIDER,
                        second, 1_000L, new CompletableFuture<>());
                results.add((i % 2 == 0 ? writer : replicaTwo).submit(settle));
            }
            Map<String, Integer> outcomes = new HashMap<>();
            for (CompletableFuture<LedgerOutcome> f : results) {
                LedgerOutcome o = f.get(60, TimeUnit.SECONDS);
                outcomes.merge(o.refusal() == null ? String.valueOf(o.status()) : o.refusal().code(), 1, Integer::sum);
            }
            assertThat(outcomes).containsEntry("200", 1).containsEntry("authorization-captured", 9);
        } finally {
            replicaTwo.drain(Duration.ofSeconds(30));
        }
        assertThat(releases(id)).isEqualTo(1);
        assertThat(releases(second)).isEqualTo(1);
        assertThat(Wallet.balance(s.resident(), s.campaign())).isEqualTo(7_500 - taken - 1_000);
        assertThat(held(s.campaign())).isZero();
        assertThat(Wallet.trialBalance().get("equal")).isEqualTo(true);
    }

    @Test
    void heldPointsCannotBeSpentTwice() throws Exception {
        Setup s = resident();
        long id = authorize(s, 5_000, null).then().statusCode(201).extract().jsonPath().getLong("id");
        assertThat(code(Wallet.post(s.provider(), "/api/redemptions", Map.of("paymentAccount", s.account(), "merchantCorporateNumber", s.merchant(),
                "amount", 3_000, "campaign", s.campaign())))).isEqualTo("409 insufficient-balance");
        assertThat(code(authorize(s, 3_000, null))).isEqualTo("409 insufficient-balance");

        // authorisations and redemptions of 500 race for the 2,500 left: exactly five win
        List<Future<Response>> sent = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            boolean redeem = i % 2 == 0;
            sent.add(clients.submit(() -> redeem
                    ? Wallet.post(s.provider(), "/api/redemptions", Map.of("paymentAccount", s.account(), "merchantCorporateNumber", s.merchant(),
                    "amount", 500, "campaign", s.campaign()))
                    : authorize(s, 500, null)));
        }
        int won = 0;
        long heldNow = 5_000;
        for (Future<Response> f : sent) {
            Response r = f.get(60, TimeUnit.SECONDS);
            if (r.statusCode() == 201) {
                won++;
                if (r.jsonPath().get("status") != null) {
                    heldNow += 500;
                }
            } else {
                assertThat(code(r)).isEqualTo("409 insufficient-balance");
            }
        }
        assertThat(won).isEqualTo(5);
        assertThat(Wallet.balance(s.resident(), s.campaign())).isZero();
        assertThat(held(s.campaign())).isEqualTo(heldNow);
        // a void gives the held points back, spendable again
        voidIt(s.provider(), id, Wallet.key()).then().statusCode(200);
        assertThat(Wallet.balance(s.resident(), s.campaign())).isEqualTo(5_000);
        assertThat(held(s.campaign())).isEqualTo(heldNow - 5_000);
        assertThat(Wallet.trialBalance().get("equal")).isEqualTo(true);
    }
}
