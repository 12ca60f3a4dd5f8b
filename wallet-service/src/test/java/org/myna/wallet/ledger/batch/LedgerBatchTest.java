package org.myna.wallet.ledger.batch;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.myna.platform.accesslog.AccessLogOutboxRow;
import org.myna.wallet.support.Tokens;
import org.myna.wallet.support.Wallet;

import javax.sql.DataSource;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.myna.wallet.support.Wallet.PROVIDER;

/**
 * The batched writer's rules over HTTP: many requests in one transaction, each answered on its own; a conflict refuses
 * only its request; a key or token repeated inside the batch is settled in memory; a commit whose outcome is unknown
 * answers 503 and the retry is settled by the idempotency record; a failed batch is run again request by request.
 */
@QuarkusTest
class LedgerBatchTest {

    @Inject
    LedgerWriter writer;

    @Inject
    LedgerFaults faults;

    @Inject
    DataSource dataSource;

    private final ExecutorService clients = Executors.newFixedThreadPool(12);

    @AfterEach
    void release() {
        faults.disarm();
        clients.shutdownNow();
    }

    /** Holds the writer so that what is sent next waits in its queue and goes into one batch. */
    private CountDownLatch hold() throws InterruptedException {
        CountDownLatch latch = new CountDownLatch(1);
        faults.hold = latch;
        Thread.sleep(300);   // the writer polls at most 100 ms before it checks the hold again
        return latch;
    }

    private Future<Response> send(Supplier<Response> request, int queuedAfter) {
        Future<Response> f = clients.submit(request::get);
        await().atMost(Duration.ofSeconds(30)).until(() -> writer.queueDepth() >= queuedAfter || f.isDone());
        if (f.isDone()) {
            throw new AssertionError("answered before its batch: " + get(f).statusCode() + " " + get(f).asString());
        }
        return f;
    }

    private static Response apply(String token, String key, String campaign, String rule) {
        return Wallet.as(token).header("Idempotency-Key", key).body(Map.of("rule", rule, "campaign", campaign)).post("/api/applications");
    }

    private static Response get(Future<Response> f) {
        try {
            return f.get(60, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void oneBatchRefusesEachConflictAloneAndSettlesRepeatsInMemory() throws Exception {
        String campaign = Wallet.campaign(10_000_000, Wallet.standardRules());
        String service = Wallet.paymentService(PROVIDER);
        String a = Tokens.linkCode();
        String b = Tokens.linkCode();
        String c = Tokens.linkCode();
        for (String r : List.of(a, b, c)) {
            Wallet.choose(r, campaign, service);
        }
        String spent = Tokens.operation(a, "apply-points");
        apply(spent, Wallet.key(), campaign, "insurance-link").then().statusCode(201);
        String tokenB = Tokens.operation(b, "apply-points");
        String tokenC = Tokens.operation(c, "apply-points");
        String keyB = Wallet.key();
        List<String> keys = new ArrayList<>(List.of(keyB));

        CountDownLatch hold = hold();
        Future<Response> grantB = send(() -> apply(tokenB, keyB, campaign, "insurance-link"), 1);
        String keyC = Wallet.key();
        keys.add(keyC);
        Future<Response> grantC = send(() -> apply(tokenC, keyC, campaign, "insurance-link"), 2);
        String k1 = Wallet.key();
        String k4 = Wallet.key();
        String k6 = Wallet.key();
        keys.addAll(List.of(k1, k4, k6));
        Future<Response> spentToken = send(() -> apply(spent, k1, campaign, "public-fund-account"), 3);
        Future<Response> sameKeyAgain = send(() -> apply(tokenB, keyB, campaign, "insurance-link"), 4);
        Future<Response> secondGrant = send(() -> apply(Tokens.operation(b, "apply-points"), k4, campaign, "insurance-link"), 5);
        Future<Response> tokenTwice = send(() -> apply(tokenC, k6, campaign, "public-fund-account"), 6);
        Future<Response> keyReused = send(() -> apply(Tokens.operation(b, "apply-points"), keyB, campaign, "public-fund-account"), 7);
        hold.countDown();

        Response b1 = get(grantB);
        assertThat(b1.statusCode()).as(b1.asString()).isEqualTo(201);
        assertThat(b1.jsonPath().getLong("points")).isEqualTo(7500);
        Response c1 = get(grantC);
        assertThat(c1.statusCode()).as(c1.asString()).isEqualTo(201);
        Response again = get(sameKeyAgain);
        assertThat(again.statusCode()).isEqualTo(201);
        assertThat(again.asString()).isEqualTo(b1.asString());
        assertThat(code(get(spentToken))).isEqualTo("409 operation-token-used");
        assertThat(code(get(secondGrant))).isEqualTo("409 already-granted");
        assertThat(code(get(tokenTwice))).isEqualTo("409 operation-token-used");
        assertThat(code(get(keyReused))).isEqualTo("409 idempotency-key-reused");

        assertThat(Wallet.balance(a, campaign)).isEqualTo(7500);
        assertThat(Wallet.balance(b, campaign)).isEqualTo(7500);
        assertThat(Wallet.balance(c, campaign)).isEqualTo(7500);
        assertThat(Wallet.trialBalance().get("equal")).isEqualTo(true);
        // The seven went into one batch (the writer was held until all seven waited in its queue).
        String metrics = given().get("/q/metrics").asString();
        assertThat(metrics).contains("wallet_ledger_batch_size_max", "wallet_ledger_queue_depth", "wallet_ledger_commit_seconds");
        double max = metrics.lines().filter(l -> l.startsWith("wallet_ledger_batch_size_max")).mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1))).max().orElse(0);
        assertThat(max).isGreaterThanOrEqualTo(7);
        // The answers came after the replays of each key, byte for byte, and nothing clashing was logged.
        apply(Tokens.operation(b, "apply-points"), keyB, campaign, "insurance-link").then().statusCode(201);
        apply(Tokens.operation(c, "apply-points"), k6, campaign, "public-fund-account").then().statusCode(409);
        String log = Files.readString(Path.of("target/wallet-test.log"));
        for (String k : keys) {
            assertThat(log).doesNotContain(k);
        }
        assertThat(log).doesNotContain(b).doesNotContain(c);
    }

    @Test
    void anUnknownCommitOutcomeAnswers503AndTheRetryIsSettledByTheKey() {
        String campaign = Wallet.campaign(10_000_000, Wallet.standardRules());
        String resident = Tokens.linkCode();
        String account = Wallet.choose(resident, campaign, Wallet.paymentService(PROVIDER));
        Wallet.apply(resident, campaign, "card-acquisition").then().statusCode(201);
        String provider = Tokens.payment(PROVIDER);
        String key = Wallet.key();
        Map<String, Object> body = Map.of("paymentAccount", account, "amount", 4_000, "campaign", campaign);

        faults.commitThenFail.set(1);
        Response lost = Wallet.as(provider).header("Idempotency-Key", key).body(body).post("/api/charges");
        assertThat(code(lost)).isEqualTo("503 commit-outcome-unknown");
        Response retried = Wallet.as(provider).header("Idempotency-Key", key).body(body).post("/api/charges");
        assertThat(retried.statusCode()).isEqualTo(201);
        assertThat(retried.header("Idempotent-Replayed")).isEqualTo("true");
        assertThat(retried.jsonPath().getLong("pointsGranted")).isEqualTo(1000);
        assertThat(Wallet.balance(resident, campaign)).isEqualTo(1000);

        // A grant whose commit answer was lost: the retry, with a new token as a resident would have, replays it.
        String grantKey = Wallet.key();
        faults.commitThenFail.set(1);
        assertThat(code(apply(Tokens.operation(resident, "apply-points"), grantKey, campaign, "insurance-link")))
                .isEqualTo("503 commit-outcome-unknown");
        Response grant = apply(Tokens.operation(resident, "apply-points"), grantKey, campaign, "insurance-link");
        assertThat(grant.statusCode()).as(grant.asString()).isEqualTo(201);
        assertThat(grant.jsonPath().getLong("points")).isEqualTo(7500);
        assertThat(Wallet.balance(resident, campaign)).isEqualTo(8500);
        assertThat(Wallet.trialBalance().get("equal")).isEqualTo(true);
    }

    @Test
    void aFailedBatchIsRunAgainRequestByRequest() throws Exception {
        String campaign = Wallet.campaign(10_000_000, Wallet.standardRules());
        String service = Wallet.paymentService(PROVIDER);
        String merchant = Wallet.merchant(PROVIDER);
        String resident = Tokens.linkCode();
        String account = Wallet.choose(resident, campaign, service);
        Wallet.apply(resident, campaign, "card-acquisition").then().statusCode(201);
        Wallet.apply(resident, campaign, "insurance-link").then().statusCode(201);
        String provider = Tokens.payment(PROVIDER);

        CountDownLatch hold = hold();
        List<Future<Response>> sent = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            sent.add(send(() -> Wallet.post(provider, "/api/charges", Map.of("paymentAccount", account, "amount", 1_000, "campaign", campaign)),
                    sent.size() + 1));
            sent.add(send(() -> Wallet.post(provider, "/api/redemptions",
                    Map.of("paymentAccount", account, "merchantCorporateNumber", merchant, "amount", 100, "campaign", campaign)), sent.size() + 1));
        }
        faults.failMultiMemberBatches.set(1);
        hold.countDown();
        for (Future<Response> f : sent) {
            Response r = get(f);
            assertThat(r.statusCode()).as(r.asString()).isEqualTo(201);
        }
        assertThat(faults.failMultiMemberBatches.get()).isZero();
        assertThat(Wallet.balance(resident, campaign)).isEqualTo(7500 + 3 * 250 - 3 * 100);
        assertThat(Wallet.trialBalance().get("equal")).isEqualTo(true);
    }

    /**
     * Between the batch's read of its grants' keys, tokens and grant rows and its writes, another transaction (another
     * replica) spends one grant's token, makes another's grant row and takes a third's key: the batch fails on those
     * inserts' counts and runs again request by request, so each of the three is refused alone and the fourth granted.
     */
    @Test
    void aKeyTokenOrGrantTakenByAnotherTransactionAfterTheBatchReadThemRefusesThatRequestOnly() throws Exception {
        String campaign = Wallet.campaign(10_000_000, Wallet.standardRules());
        String service = Wallet.paymentService(PROVIDER);
        List<String> residents = List.of(Tokens.linkCode(), Tokens.linkCode(), Tokens.linkCode(), Tokens.linkCode());
        List<String> tokens = new ArrayList<>();
        List<String> keys = new ArrayList<>();
        for (String r : residents) {
            Wallet.choose(r, campaign, service);
            tokens.add(Tokens.operation(r, "apply-points"));
            keys.add(Wallet.key());
        }
        // A percent-back rule: its grants lock no campaign row, which the other transaction's grant row refers to.
        String rule = "card-acquisition";
        faults.afterGrantPrefetch.set(writerConnection -> {
            try (Connection other = dataSource.getConnection()) {
                other.setAutoCommit(true);
                update(other, "insert into wallet.consumed_operation_token (jti, consumed_at) values (?, current_timestamp)", jti(tokens.get(0)));
                update(other, "insert into wallet.grant_record (id, campaign_id, resident, rule, granted, cap, created_at) "
                        + "values (-1 - cast(? as bigint), ?, ?, ?, 0, 0, current_timestamp)", System.nanoTime() % 1_000_000_000L, campaign,
                        residents.get(1), rule);
                update(other, "insert into wallet.idempotency_record (id, scope, idem_key, endpoint, request_hash, status, response_body, created_at) "
                        + "values (-1 - cast(? as bigint), ?, ?, 'POST /api/applications', 'another request', 201, '{}', current_timestamp)",
                        System.nanoTime() % 1_000_000_000L, residents.get(2), keys.get(2));
            }
        });
        CountDownLatch hold = hold();
        List<Future<Response>> sent = new ArrayList<>();
        for (int i = 0; i < residents.size(); i++) {
            String token = tokens.get(i);
            String key = keys.get(i);
            sent.add(send(() -> apply(token, key, campaign, rule), i + 1));
        }
        hold.countDown();
        List<String> answers = new ArrayList<>();
        for (Future<Response> f : sent) {
            answers.add(code(get(f)));
        }
        assertThat(faults.afterGrantPrefetch.get()).as("the other transaction ran").isNull();
        assertThat(answers).containsExactly("409 operation-token-used", "409 already-granted", "409 idempotency-key-reused", "201 null");
        assertThat(Files.readString(Path.of("target/wallet-test.log"))).contains("batch of 4 failed (java.sql.SQLException SQLState 40001)");
        assertThat(Wallet.trialBalance().get("equal")).isEqualTo(true);
    }

    private static void update(Connection c, String sql, Object... args) throws java.sql.SQLException {
        try (PreparedStatement q = c.prepareStatement(sql)) {
            for (int i = 0; i < args.length; i++) {
                q.setObject(i + 1, args[i]);
            }
            assertThat(q.executeUpdate()).isEqualTo(1);
        }
    }

    /** The jti claim of a signed token. */
    private static String jti(String jwt) {
        String claims = new String(Base64.getUrlDecoder().decode(jwt.split("\\.")[1]), StandardCharsets.UTF_8);
        return io.restassured.path.json.JsonPath.from(claims).getString("jti");
    }

    /** The resident's access-log rows still in the outbox, oldest first: "purpose action". */
    private static List<String> accessLog(String linkCode) {
        return QuarkusTransaction.requiringNew().call(() -> AccessLogOutboxRow.<AccessLogOutboxRow>list("linkCode = ?1 order by id", linkCode))
                .stream().map(r -> r.purpose + " " + r.action + " by " + r.clientId).toList();
    }

    @Test
    void accessLogRowsAreWrittenInTheBatchExactlyForTheOperationsThatCommitted() throws Exception {
        String campaign = Wallet.campaign(10_000_000, Wallet.standardRules());
        String service = Wallet.paymentService(PROVIDER);
        String merchant = Wallet.merchant(PROVIDER);
        String a = Tokens.linkCode();
        String b = Tokens.linkCode();
        String accountA = Wallet.choose(a, campaign, service);
        String accountB = Wallet.choose(b, campaign, service);
        Wallet.apply(a, campaign, "card-acquisition").then().statusCode(201);
        Wallet.apply(a, campaign, "insurance-link").then().statusCode(201);
        Wallet.apply(b, campaign, "card-acquisition").then().statusCode(201);
        String provider = Tokens.payment(PROVIDER);
        List<String> logA = new ArrayList<>(accessLog(a));
        List<String> logB = new ArrayList<>(accessLog(b));

        // One batch: two charges (the second finds the cap reached: the provider only read the points), a redemption,
        // and two redemptions refused inside the batch, which must leave no row.
        CountDownLatch hold = hold();
        List<Future<Response>> batch = new ArrayList<>();
        batch.add(send(() -> Wallet.post(provider, "/api/charges", Map.of("paymentAccount", accountA, "amount", 20_000, "campaign", campaign)), 1));
        batch.add(send(() -> Wallet.post(provider, "/api/charges", Map.of("paymentAccount", accountA, "amount", 1_000, "campaign", campaign)), 2));
        batch.add(send(() -> Wallet.post(provider, "/api/redemptions",
                Map.of("paymentAccount", accountA, "merchantCorporateNumber", merchant, "amount", 100, "campaign", campaign)), 3));
        batch.add(send(() -> Wallet.post(provider, "/api/redemptions",
                Map.of("paymentAccount", accountB, "merchantCorporateNumber", merchant, "amount", 50, "campaign", campaign)), 4));
        batch.add(send(() -> Wallet.post(provider, "/api/redemptions",
                Map.of("paymentAccount", accountA, "merchantCorporateNumber", merchant, "amount", 1_000_000, "campaign", campaign)), 5));
        hold.countDown();
        assertThat(batch.stream().map(LedgerBatchTest::get).map(r -> r.statusCode() + (r.statusCode() == 201 ? "" : " " + r.jsonPath().getString("code"))))
                .containsExactly("201", "201", "201", "409 insufficient-balance", "409 insufficient-balance");
        logA.addAll(List.of("charge-back update by " + PROVIDER, "charge-back read by " + PROVIDER, "redemption update by " + PROVIDER));
        assertThat(accessLog(a)).isEqualTo(logA);
        assertThat(accessLog(b)).isEqualTo(logB);

        // A batch that fails before its commit takes its rows with it; run again request by request, each committed
        // operation has its row once, and the refused one none.
        hold = hold();
        batch.clear();
        batch.add(send(() -> Wallet.post(provider, "/api/redemptions",
                Map.of("paymentAccount", accountA, "merchantCorporateNumber", merchant, "amount", 10, "campaign", campaign)), 1));
        batch.add(send(() -> Wallet.post(provider, "/api/redemptions",
                Map.of("paymentAccount", accountB, "merchantCorporateNumber", merchant, "amount", 10, "campaign", campaign)), 2));
        batch.add(send(() -> Wallet.post(provider, "/api/charges", Map.of("paymentAccount", accountB, "amount", 400, "campaign", campaign)), 3));
        faults.failMultiMemberBatches.set(1);
        hold.countDown();
        assertThat(batch.stream().map(LedgerBatchTest::get).map(Response::statusCode)).containsExactly(201, 409, 201);
        assertThat(faults.failMultiMemberBatches.get()).isZero();
        logA.add("redemption update by " + PROVIDER);
        logB.add("charge-back update by " + PROVIDER);
        assertThat(accessLog(a)).isEqualTo(logA);
        assertThat(accessLog(b)).isEqualTo(logB);
        assertThat(Wallet.balance(a, campaign)).isEqualTo(7500 + 5000 - 100 - 10);
        assertThat(Wallet.balance(b, campaign)).isEqualTo(100);
    }

    private static String code(Response r) {
        return r.statusCode() + " " + r.jsonPath().getString("code");
    }
}
