package org.myna.insurance.eligibility;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.WireMock;
import io.agroal.api.AgroalDataSource;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.ExtractableResponse;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.myna.insurance.support.Cards;
import org.myna.insurance.support.Fixtures;
import org.myna.insurance.support.InjectRegistryMock;
import org.myna.insurance.support.RegistryMock;
import org.myna.platform.groupcommit.GroupCommitWriter;
import org.myna.platform.testkit.Sessions;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

/**
 * The card checks' batched writer against its rules (issue 18 §1): checks queued while the writer is held land in one
 * batch (the batch-size metric proves it), and then one challenge used twice in that batch, a challenge spent before,
 * a failed batch and a lost commit answer each refuse only what they must. The writer keeps its connection across
 * batches, and a connection killed from outside (PostgreSQL's {@code pg_terminate_backend}, H2's {@code ABORT_SESSION})
 * is replaced: the checks in flight are answered 200, or 503 {@code commit-outcome-unknown} when it died before the
 * commit, never a hang or a 500.
 */
@QuarkusTest
@QuarkusTestResource(RegistryMock.class)
class CheckWriterTest {

    @InjectRegistryMock
    WireMockServer registry;

    @Inject
    CheckWriter writer;

    @Inject
    MeterRegistry meters;

    @Inject
    DataSource dataSource;

    @Inject
    AgroalDataSource pool;

    @AfterEach
    void release() {
        writer.faults().disarm();
    }

    /**
     * Agroal has no exception sorter for H2, so a killed H2 session the writer gave back stays in the pool as good (on
     * PostgreSQL the sorter drops it): the pool's connections are replaced (those in use when given back) before the
     * test reads through it, and before the next test.
     */
    void dropKilledSessions() throws SQLException {
        Connection raw;
        try (Connection c = dataSource.getConnection()) {
            raw = c.unwrap(Connection.class);
        }
        pool.flush(AgroalDataSource.FlushMode.GRACEFUL);
        // Agroal flushes on its housekeeping thread: once a connection that was idle then is closed, the flush has run.
        Awaitility.await().atMost(Duration.ofSeconds(20)).until(raw::isClosed);
    }

    double connections() {
        return meters.find("eligibility.writer.connections").counter().count();
    }

    /** Kills the database session of the writer's connection {@code c}, as an administrator would. */
    void kill(Connection c) throws SQLException {
        Sessions.kill(dataSource, c);
    }

    /** A linked member and a card the fake registry calls good for them. */
    record Holder(Fixtures.Linked member, Cards card) {
    }

    Holder holder(String given) {
        Fixtures.Linked member = Fixtures.linkedMember(registry, "山田", given);
        Cards card = Cards.valid();
        registry.stubFor(post(urlEqualTo("/api/certificates/holder-link"))
                .withRequestBody(matchingJsonPath("$.certificate", WireMock.equalTo(card.authCertificate())))
                .willReturn(okJson("{\"status\":\"good\",\"linkCode\":\"" + member.linkCode() + "\"}")));
        return new Holder(member, card);
    }

    /** A signed challenge: its id and the card's signature over it. */
    record Signed(Cards card, String challengeId, String signature) {
        Callable<ExtractableResponse<Response>> send() {
            return () -> EligibilityResourceTest.cardCheck(card, challengeId, signature).extract();
        }
    }

    static Signed signed(Cards card) {
        Map<String, Object> c = EligibilityResourceTest.challenge();
        return new Signed(card, (String) c.get("challengeId"), card.sign((String) c.get("nonce")));
    }

    long count(String sql, Object... args) throws Exception {
        try (Connection c = dataSource.getConnection(); PreparedStatement q = c.prepareStatement(sql)) {
            for (int i = 0; i < args.length; i++) {
                q.setObject(i + 1, args[i]);
            }
            try (ResultSet rs = q.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    long records(Fixtures.Linked m) throws Exception {
        return count("select count(*) from insurance.eligibility_check where link_code = ?", m.linkCode());
    }

    long accessRows(Fixtures.Linked m) throws Exception {
        return count("select count(*) from insurance.access_log_outbox where link_code = ? and purpose = 'eligibility-check:card'", m.linkCode());
    }

    DistributionSummary batches() {
        return meters.find("eligibility.writer.batch.size").summary();
    }

    /**
     * Holds the writer, sends {@code checks} at once, waits until all are queued, lets the writer go, and returns the
     * answers in the order given.
     */
    List<ExtractableResponse<Response>> inOneGo(List<Callable<ExtractableResponse<Response>>> checks) throws Exception {
        CountDownLatch hold = new CountDownLatch(1);
        writer.faults().hold = hold;
        // From here on, whatever is queued goes into the writer's next batch.
        Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> writer.faults().held);
        ExecutorService pool = Executors.newFixedThreadPool(checks.size());
        try {
            List<Future<ExtractableResponse<Response>>> futures = new ArrayList<>();
            for (Callable<ExtractableResponse<Response>> check : checks) {
                futures.add(pool.submit(check));
            }
            Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> writer.queueDepth() == checks.size());
            writer.faults().hold = null;
            hold.countDown();
            List<ExtractableResponse<Response>> answers = new ArrayList<>();
            for (Future<ExtractableResponse<Response>> f : futures) {
                answers.add(f.get(60, TimeUnit.SECONDS));
            }
            return answers;
        } finally {
            pool.shutdown();
        }
    }

    static void assertCovered(ExtractableResponse<Response> r) {
        assertThat(r.statusCode()).as(r.body().asString()).isEqualTo(200);
        assertThat(r.jsonPath().getString("result")).isEqualTo("covered");
    }

    static void assertUsed(ExtractableResponse<Response> r) {
        assertThat(r.statusCode()).as(r.body().asString()).isEqualTo(409);
        assertThat(r.jsonPath().getString("code")).isEqualTo("challenge-used");
    }

    @Test
    void oneChallengeSentTwiceIntoOneBatchIsAnsweredOnceAndTheOtherIs409() throws Exception {
        Holder h = holder("一郎");
        Signed s = signed(h.card());
        long batchesBefore = batches() == null ? 0 : batches().count();
        double checksBefore = batches() == null ? 0 : batches().totalAmount();
        List<ExtractableResponse<Response>> answers = inOneGo(List.of(s.send(), s.send()));
        // One batch of two: both were decided in the same transaction.
        assertThat(batches().count() - batchesBefore).isEqualTo(1);
        assertThat(batches().totalAmount() - checksBefore).isEqualTo(2);
        long covered = answers.stream().filter(r -> r.statusCode() == 200).count();
        assertThat(covered).isEqualTo(1);
        answers.stream().filter(r -> r.statusCode() != 200).forEach(CheckWriterTest::assertUsed);
        answers.stream().filter(r -> r.statusCode() == 200).forEach(CheckWriterTest::assertCovered);
        assertThat(records(h.member())).isEqualTo(1);
        assertThat(accessRows(h.member())).isEqualTo(1);
    }

    @Test
    void aBatchWhereOneCheckReusesASpentChallengeCommitsTheOthers() throws Exception {
        Holder spent = holder("二郎");
        Signed replay = signed(spent.card());
        assertCovered(replay.send().call());
        Holder b = holder("三郎");
        Holder c = holder("四郎");
        long batchesBefore = batches().count();
        List<ExtractableResponse<Response>> answers = inOneGo(List.of(signed(b.card()).send(), replay.send(), signed(c.card()).send()));
        assertThat(batches().count() - batchesBefore).isEqualTo(1);
        assertCovered(answers.get(0));
        assertUsed(answers.get(1));
        assertCovered(answers.get(2));
        assertThat(records(spent.member())).isEqualTo(1);
        assertThat(accessRows(spent.member())).isEqualTo(1);
        for (Holder h : List.of(b, c)) {
            assertThat(records(h.member())).isEqualTo(1);
            assertThat(accessRows(h.member())).isEqualTo(1);
        }
    }

    @Test
    void aFailedBatchIsRunAgainCheckByCheck() throws Exception {
        Holder a = holder("五郎");
        Holder b = holder("六郎");
        Signed s = signed(a.card());
        writer.faults().failMultiMemberBatches.set(1);
        long batchesBefore = batches().count();
        List<ExtractableResponse<Response>> answers = inOneGo(List.of(s.send(), signed(b.card()).send(), s.send()));
        assertThat(writer.faults().failMultiMemberBatches.get()).isZero(); // the batch of three did fail
        // Then each check in its own transaction: the first use of the challenge wins, its repeat is 409.
        assertThat(batches().count() - batchesBefore).isEqualTo(3);
        assertThat(answers.stream().filter(r -> r.statusCode() == 200).count()).isEqualTo(2);
        assertThat(answers.stream().filter(r -> r.statusCode() == 409).count()).isEqualTo(1);
        assertCovered(answers.get(1));
        assertThat(records(a.member())).isEqualTo(1);
        assertThat(records(b.member())).isEqualTo(1);
        assertThat(accessRows(a.member())).isEqualTo(1);
        assertThat(accessRows(b.member())).isEqualTo(1);
    }

    @Test
    void anUnknownCommitOutcomeIs503AndTheRetryFindsTheChallengeSpent() throws Exception {
        Holder h = holder("七郎");
        Signed s = signed(h.card());
        writer.faults().commitThenFail.set(1);
        ExtractableResponse<Response> lost = s.send().call();
        assertThat(lost.statusCode()).isEqualTo(503);
        assertThat(lost.contentType()).startsWith("application/problem+json");
        assertThat(lost.jsonPath().getString("code")).isEqualTo("commit-outcome-unknown");
        // It did commit (the injected fault loses only the answer): the record and its access-log row exist, once.
        assertThat(records(h.member())).isEqualTo(1);
        assertThat(accessRows(h.member())).isEqualTo(1);
        assertUsed(s.send().call());
        assertThat(records(h.member())).isEqualTo(1);
    }

    @Test
    void theWriterKeepsOneConnectionAcrossBatches() throws Exception {
        Holder h = holder("八郎");
        double connectionsBefore = connections();
        long batchesBefore = batches().count();
        for (int i = 0; i < 3; i++) {
            assertCovered(signed(h.card()).send().call());
        }
        assertThat(batches().count() - batchesBefore).isGreaterThanOrEqualTo(3);
        // At most the one taken for the first of them (the writer gives its connection back after 3 s idle).
        assertThat(connections() - connectionsBefore).isLessThanOrEqualTo(1);
        assertThat(records(h.member())).isEqualTo(3);
    }

    @Test
    void aConnectionKilledBetweenBatchesIsReplacedAndTheChecksInFlightAreAnswered() throws Exception {
        Holder a = holder("九郎");
        Holder b = holder("十郎");
        assertCovered(signed(a.card()).send().call()); // the writer now holds a connection
        double connectionsBefore = connections();
        writer.faults().beforeNextBatch.set(this::kill);
        List<ExtractableResponse<Response>> answers = inOneGo(List.of(signed(a.card()).send(), signed(b.card()).send()));
        assertThat(writer.faults().beforeNextBatch.get()).as("the kill happened").isNull();
        answers.forEach(CheckWriterTest::assertCovered);
        assertThat(connections() - connectionsBefore).isGreaterThanOrEqualTo(1); // a new one replaced it
        dropKilledSessions();
        assertThat(records(a.member())).isEqualTo(2);
        assertThat(records(b.member())).isEqualTo(1);
        assertThat(accessRows(b.member())).isEqualTo(1);
        assertCovered(signed(b.card()).send().call()); // and the writer goes on
    }

    @Test
    void aConnectionKilledBeforeTheCommitIs503OutcomeUnknownAndTheNextCheckRunsOnANewConnection() throws Exception {
        Holder h = holder("十一郎");
        assertCovered(signed(h.card()).send().call());
        double connectionsBefore = connections();
        writer.faults().beforeNextCommit.set(this::kill);
        ExtractableResponse<Response> lost = signed(h.card()).send().call();
        assertThat(writer.faults().beforeNextCommit.get()).as("the kill happened").isNull();
        assertThat(lost.statusCode()).as(lost.body().asString()).isEqualTo(503);
        assertThat(lost.contentType()).startsWith("application/problem+json");
        assertThat(lost.jsonPath().getString("code")).isEqualTo("commit-outcome-unknown");
        assertCovered(signed(h.card()).send().call()); // on a new connection
        dropKilledSessions();
        assertThat(records(h.member())).isEqualTo(2); // the session died before its commit: nothing of it was kept
        assertThat(connections() - connectionsBefore).isGreaterThanOrEqualTo(1);
    }
}
