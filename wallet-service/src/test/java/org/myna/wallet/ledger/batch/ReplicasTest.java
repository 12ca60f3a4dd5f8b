package org.myna.wallet.ledger.batch;

import io.agroal.api.AgroalDataSource;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.junit.jupiter.api.Test;
import org.myna.platform.idempotency.Idempotency;
import org.myna.platform.problem.Problem;
import org.myna.wallet.support.Tokens;
import org.myna.wallet.support.Wallet;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;
import static org.myna.wallet.support.Wallet.PROVIDER;

/**
 * Two ledger writers on one database stand for two wallet replicas: each has its own queue, thread and memory, and
 * only the database's row locks stand between them. The budget, "once per person and rule" and the per-person cap
 * hold all the same. And a writer that shuts down takes no new request, reports not ready, and answers what it queued.
 */
@QuarkusTest
class ReplicasTest {

    @Inject
    LedgerWriter replicaOne;

    @Inject
    AgroalDataSource dataSource;

    @Inject
    Idempotency idempotency;

    private LedgerWriter another(LedgerFaults faults) {
        return new LedgerWriter(dataSource, idempotency, faults, new SimpleMeterRegistry(), "wallet", 200, 1000, java.time.Duration.ofSeconds(10));
    }

    private static LedgerCommand.Grant grant(String campaign, String resident, String rule, CompletableFuture<LedgerOutcome> result) {
        String key = UUID.randomUUID().toString();
        return new LedgerCommand.Grant(new LedgerCommand.Key(resident, key, "POST /api/applications", "h-" + key), UUID.randomUUID().toString(),
                campaign, rule, resident, true, 7500, 7500, null, result);
    }

    private static LedgerOutcome outcome(CompletableFuture<LedgerOutcome> f) throws Exception {
        return f.get(60, TimeUnit.SECONDS);
    }

    @Test
    void twoReplicasNeverOvershootTheBudgetNorGrantTwice() throws Exception {
        long budget = 7500 * 5 + 7499;   // room for exactly five grants
        String campaign = Wallet.campaign(budget, Wallet.standardRules());
        String service = Wallet.paymentService(PROVIDER);
        List<String> residents = new ArrayList<>();
        for (int i = 0; i < 16; i++) {
            String r = Tokens.linkCode();
            Wallet.choose(r, campaign, service);
            residents.add(r);
        }
        LedgerWriter replicaTwo = another(new LedgerFaults());
        try {
            List<CompletableFuture<LedgerOutcome>> results = new ArrayList<>();
            for (int i = 0; i < residents.size(); i++) {
                LedgerWriter w = i % 2 == 0 ? replicaOne : replicaTwo;
                results.add(w.submit(grant(campaign, residents.get(i), "public-fund-account", new CompletableFuture<>())));
                // The same person's same rule, through the other replica.
                LedgerWriter other = i % 2 == 0 ? replicaTwo : replicaOne;
                results.add(other.submit(grant(campaign, residents.get(i), "public-fund-account", new CompletableFuture<>())));
            }
            Map<String, Integer> answers = new HashMap<>();
            for (CompletableFuture<LedgerOutcome> f : results) {
                LedgerOutcome o = outcome(f);
                answers.merge(o.refusal() == null ? String.valueOf(o.status()) : o.refusal().code(), 1, Integer::sum);
            }
            assertThat(answers.get("201")).isEqualTo(5);
            // whether a duplicate meets "already-granted" or the exhausted budget first depends on the batches' order
            assertThat(answers.keySet()).isSubsetOf("201", "budget-exhausted", "already-granted");
        } finally {
            replicaTwo.drain(Duration.ofSeconds(30));
        }
        long total = residents.stream().mapToLong(r -> Wallet.balance(r, campaign)).sum();
        assertThat(total).isEqualTo(5 * 7500);
        assertThat(residents.stream().mapToLong(r -> Wallet.balance(r, campaign))).allMatch(b -> b == 0 || b == 7500);
        Map<String, Object> report = given().auth().oauth2(Tokens.auditor()).get("/api/campaigns/" + campaign + "/report")
                .then().statusCode(200).extract().jsonPath().getMap("");
        assertThat(((Number) report.get("granted")).longValue()).isEqualTo(5 * 7500);
        assertThat(Wallet.trialBalance().get("equal")).isEqualTo(true);
    }

    @Test
    void chargesThroughTwoReplicasStopExactlyAtTheCap() throws Exception {
        String campaign = Wallet.campaign(10_000_000, Wallet.standardRules());
        String resident = Tokens.linkCode();
        String account = Wallet.choose(resident, campaign, Wallet.paymentService(PROVIDER));
        Wallet.apply(resident, campaign, "card-acquisition").then().statusCode(201);
        LedgerWriter replicaTwo = another(new LedgerFaults());
        try {
            List<CompletableFuture<LedgerOutcome>> results = new ArrayList<>();
            for (int i = 0; i < 30; i++) {
                String key = UUID.randomUUID().toString();
                LedgerCommand.Charge charge = new LedgerCommand.Charge(new LedgerCommand.Key(PROVIDER, key, "POST /api/charges", "h-" + key),
                        PROVIDER, account, null, 1_000, campaign, "card-acquisition", 25, new CompletableFuture<>());
                results.add((i % 2 == 0 ? replicaOne : replicaTwo).submit(charge));
            }
            long points = 0;
            for (CompletableFuture<LedgerOutcome> f : results) {
                LedgerOutcome o = outcome(f);
                assertThat(o.status()).as(o.body()).isEqualTo(201);
                points += io.restassured.path.json.JsonPath.from(o.body()).getLong("pointsGranted");
            }
            assertThat(points).isEqualTo(5000);
        } finally {
            replicaTwo.drain(Duration.ofSeconds(30));
        }
        assertThat(Wallet.balance(resident, campaign)).isEqualTo(5000);
        assertThat(Wallet.trialBalance().get("equal")).isEqualTo(true);
    }

    @Test
    void onShutdownTheWriterIsNotReadyTakesNothingNewAndAnswersWhatItQueued() throws Exception {
        LedgerFaults faults = new LedgerFaults();
        CountDownLatch hold = new CountDownLatch(1);
        faults.hold = hold;
        LedgerWriter writer = another(faults);
        LedgerWriterReadiness readiness = new LedgerWriterReadiness(writer);
        assertThat(readiness.call().getStatus()).isEqualTo(HealthCheckResponse.Status.UP);
        List<CompletableFuture<LedgerOutcome>> queued = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            String key = UUID.randomUUID().toString();
            queued.add(writer.submit(new LedgerCommand.Refusal(new LedgerCommand.Key("drain-test", key, "POST /api/charges", "h"), null,
                    new Problem(422, "campaign-closed", "closed"), null, new CompletableFuture<>())));
        }
        Thread draining = new Thread(() -> writer.drain(Duration.ofSeconds(60)));
        draining.start();
        await().atMost(Duration.ofSeconds(10)).until(() -> !writer.accepting());
        assertThat(readiness.call().getStatus()).isEqualTo(HealthCheckResponse.Status.DOWN);
        CompletableFuture<LedgerOutcome> late = writer.submit(new LedgerCommand.Refusal(new LedgerCommand.Key("drain-test", "late", "POST /api/charges", "h"),
                null, new Problem(422, "campaign-closed", "closed"), null, new CompletableFuture<>()));
        assertThatThrownBy(() -> late.get(10, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class)
                .hasCauseInstanceOf(Problem.class).cause().extracting(e -> ((Problem) e).code()).isEqualTo("shutting-down");
        assertThat(queued).noneMatch(CompletableFuture::isDone);
        hold.countDown();
        for (CompletableFuture<LedgerOutcome> f : queued) {
            assertThat(outcome(f).status()).isEqualTo(422);
        }
        draining.join(TimeUnit.SECONDS.toMillis(60));
        assertThat(draining.isAlive()).isFalse();
    }
}
