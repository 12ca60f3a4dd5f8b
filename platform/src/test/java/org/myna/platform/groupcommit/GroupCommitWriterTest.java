package org.myna.platform.groupcommit;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.myna.platform.problem.Problem;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * The group-commit writer's rules on a real (H2) database: answers after the commit, retries one by one, drain on
 * shutdown; and for a writer that keeps its connection ({@link GroupCommitWriter.KeptBatch}): one connection and one
 * prepared statement across batches, a connection killed from outside replaced with the batch in flight committed on
 * the new one, a kill before the commit answered 503.
 */
class GroupCommitWriterTest {

    record Put(String key, CompletableFuture<String> result) implements GroupCommitWriter.Request {
        Put(String key) {
            this(key, new CompletableFuture<>());
        }
    }

    JdbcDataSource ds;
    SimpleMeterRegistry meters;
    GroupCommitWriter<Put> writer;
    /** The statements a kept writer's batches were handed (by identity). */
    final Set<Object> statementsSeen = Collections.newSetFromMap(new IdentityHashMap<>());

    @BeforeEach
    void setUp() throws Exception {
        ds = new JdbcDataSource();
        ds.setURL("jdbc:h2:mem:gc" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1;MODE=PostgreSQL");
        try (Connection c = ds.getConnection(); Statement s = c.createStatement()) {
            s.execute("create table kv (k varchar(20) primary key)");
        }
        meters = new SimpleMeterRegistry();
        writer = new GroupCommitWriter<>(ds, (c, batch, answers) -> {
            try (PreparedStatement q = c.prepareStatement("insert into kv (k) values (?)")) {
                for (Put p : batch) {
                    q.setString(1, p.key());
                    q.executeUpdate(); // a duplicate fails the whole batch
                    answers.add(() -> p.result().complete("stored"));
                }
            }
        }, new GroupCommitWriter.Settings("test-writer", "test.writer", 100, 100, Duration.ofSeconds(10)), REFUSALS, meters);
    }

    static final GroupCommitWriter.Refusals REFUSALS = new GroupCommitWriter.Refusals(() -> new Problem(503, "shutting-down", "."),
            () -> new Problem(503, "busy", "."), () -> new Problem(503, "commit-outcome-unknown", "."),
            e -> new Problem(409, "duplicate", "."));

    /** A writer whose thread keeps its connection and statements (each getConnection of this data source is a new session). */
    GroupCommitWriter<Put> kept() {
        meters = new SimpleMeterRegistry();
        return new GroupCommitWriter<Put>(ds, (c, statements, batch, answers) -> {
            PreparedStatement q = statements.prepare("insert into kv (k) values (?)");
            statementsSeen.add(q);
            for (Put p : batch) {
                q.setString(1, p.key());
                q.executeUpdate();
                answers.add(() -> p.result().complete("stored"));
            }
        }, new GroupCommitWriter.Settings("kept-writer", "test.writer", 100, 100, Duration.ofSeconds(10)), REFUSALS, meters);
    }

    double connections() {
        return meters.find("test.writer.connections").counter().count();
    }

    String put(String key) throws Exception {
        Put p = new Put(key);
        writer.submit(p);
        return p.result().get(10, TimeUnit.SECONDS);
    }

    /** Kills the H2 session of {@code c} from another connection, as an administrator or a failover would. */
    void kill(Connection c) throws java.sql.SQLException {
        int session;
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("select session_id()")) {
            rs.next();
            session = rs.getInt(1);
        }
        try (Connection admin = ds.getConnection(); PreparedStatement q = admin.prepareStatement("select abort_session(?)")) {
            q.setInt(1, session);
            try (ResultSet rs = q.executeQuery()) {
                rs.next();
                assertThat(rs.getBoolean(1)).isTrue();
            }
        }
    }

    long rows() throws Exception {
        try (Connection c = ds.getConnection(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery("select count(*) from kv")) {
            rs.next();
            return rs.getLong(1);
        }
    }

    List<Put> queueHeld(CountDownLatch hold, String... keys) throws Exception {
        writer.faults().hold = hold;
        writer.start();
        // From the moment the thread waits at the hold, whatever is queued goes into its next batch.
        await().atMost(Duration.ofSeconds(10)).until(() -> writer.faults().held);
        List<Put> puts = new ArrayList<>();
        for (String k : keys) {
            Put p = new Put(k);
            puts.add(p);
            writer.submit(p);
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> writer.queueDepth() == keys.length);
        return puts;
    }

    @Test
    void queuedRequestsAreCommittedTogetherAndAnsweredOnlyAfterTheCommit() throws Exception {
        CountDownLatch hold = new CountDownLatch(1);
        List<Put> puts = queueHeld(hold, "a", "b", "c");
        assertThat(puts).noneMatch(p -> p.result().isDone());
        hold.countDown();
        for (Put p : puts) {
            assertThat(p.result().get(10, TimeUnit.SECONDS)).isEqualTo("stored");
        }
        assertThat(meters.find("test.writer.batch.size").summary().count()).isEqualTo(1);
        assertThat(meters.find("test.writer.batch.size").summary().totalAmount()).isEqualTo(3);
        assertThat(rows()).isEqualTo(3);
    }

    @Test
    void aFailedBatchIsRunAgainOneByOneSoOnlyTheBadRequestIsRefused() throws Exception {
        CountDownLatch hold = new CountDownLatch(1);
        List<Put> puts = queueHeld(hold, "x", "y", "x", "z");
        hold.countDown();
        assertThat(puts.get(0).result().get(10, TimeUnit.SECONDS)).isEqualTo("stored");
        assertThat(puts.get(1).result().get(10, TimeUnit.SECONDS)).isEqualTo("stored");
        assertThatThrownBy(() -> puts.get(2).result().join()).isInstanceOf(CompletionException.class)
                .cause().isInstanceOf(Problem.class).hasFieldOrPropertyWithValue("code", "duplicate");
        assertThat(puts.get(3).result().get(10, TimeUnit.SECONDS)).isEqualTo("stored");
        assertThat(rows()).isEqualTo(3);
    }

    @Test
    void aLostCommitAnswerIs503ForEveryRequestOfTheBatch() throws Exception {
        writer.faults().commitThenFail.set(1);
        CountDownLatch hold = new CountDownLatch(1);
        List<Put> puts = queueHeld(hold, "p", "q");
        hold.countDown();
        for (Put p : puts) {
            assertThatThrownBy(() -> p.result().join()).cause().isInstanceOf(Problem.class)
                    .hasFieldOrPropertyWithValue("code", "commit-outcome-unknown");
        }
        assertThat(rows()).isEqualTo(2); // it did commit: only the answer was lost
    }

    @Test
    void drainCommitsWhatIsQueuedBeforeItReturnsAndRefusesWhatComesAfter() throws Exception {
        CountDownLatch hold = new CountDownLatch(1);
        List<Put> puts = queueHeld(hold, "1", "2", "3", "4", "5");
        Thread drain = new Thread(writer::drain);
        drain.start();
        await().atMost(Duration.ofSeconds(10)).until(() -> !writer.accepting());
        Put late = new Put("late");
        writer.submit(late);
        assertThatThrownBy(late.result()::join).cause().hasFieldOrPropertyWithValue("code", "shutting-down");
        assertThat(drain.isAlive()).isTrue(); // still waiting for the queue
        hold.countDown();
        drain.join(10_000);
        assertThat(drain.isAlive()).isFalse();
        for (Put p : puts) {
            assertThat(p.result().getNow("unanswered")).isEqualTo("stored");
        }
        assertThat(rows()).isEqualTo(5);
    }

    @Test
    void aWriterGivenABatchTakesAConnectionPerBatch() throws Exception {
        for (String k : List.of("a", "b", "c")) {
            assertThat(put(k)).isEqualTo("stored");
        }
        assertThat(connections()).isEqualTo(3);
    }

    @Test
    void aKeptWriterUsesOneConnectionAndOnePreparedStatementAcrossBatches() throws Exception {
        writer = kept();
        for (String k : List.of("a", "b", "c", "d")) {
            assertThat(put(k)).isEqualTo("stored");
        }
        assertThat(meters.find("test.writer.batch.size").summary().count()).isEqualTo(4);
        assertThat(connections()).isEqualTo(1);
        assertThat(statementsSeen).hasSize(1);
        assertThat(rows()).isEqualTo(4);
        writer.drain();
    }

    @Test
    void aKeptWriterRerunsAFailedBatchOneByOneOnTheSameConnection() throws Exception {
        writer = kept();
        assertThat(put("x")).isEqualTo("stored");
        CountDownLatch hold = new CountDownLatch(1);
        List<Put> puts = queueHeld(hold, "y", "x", "z");
        hold.countDown();
        for (int i : List.of(0, 2)) {
            assertThat(puts.get(i).result().get(10, TimeUnit.SECONDS)).isEqualTo("stored");
        }
        assertThatThrownBy(() -> puts.get(1).result().join()).cause().hasFieldOrPropertyWithValue("code", "duplicate");
        assertThat(connections()).isEqualTo(1); // a constraint broken is no reason to drop the connection
        assertThat(rows()).isEqualTo(3);
        writer.drain();
    }

    @Test
    void aKilledConnectionIsReplacedAndTheBatchInFlightCommitsOnTheNewOne() throws Exception {
        writer = kept();
        assertThat(put("before")).isEqualTo("stored");
        writer.faults().beforeNextBatch.set(this::kill);
        CountDownLatch hold = new CountDownLatch(1);
        List<Put> puts = queueHeld(hold, "p", "q", "r");
        hold.countDown();
        for (Put p : puts) {
            assertThat(p.result().get(10, TimeUnit.SECONDS)).isEqualTo("stored");
        }
        assertThat(writer.faults().beforeNextBatch.get()).isNull(); // the kill did happen
        assertThat(connections()).isEqualTo(2);
        assertThat(rows()).isEqualTo(4);
        assertThat(put("after")).isEqualTo("stored");
        assertThat(connections()).isEqualTo(2);
        writer.drain();
    }

    @Test
    void aConnectionKilledBeforeTheCommitIs503OutcomeUnknownAndTheNextBatchRunsOnANewOne() throws Exception {
        writer = kept();
        assertThat(put("before")).isEqualTo("stored");
        writer.faults().beforeNextCommit.set(this::kill);
        CountDownLatch hold = new CountDownLatch(1);
        List<Put> puts = queueHeld(hold, "p", "q");
        hold.countDown();
        for (Put p : puts) {
            assertThatThrownBy(() -> p.result().get(10, TimeUnit.SECONDS)).cause().isInstanceOf(Problem.class)
                    .hasFieldOrPropertyWithValue("code", "commit-outcome-unknown");
        }
        assertThat(rows()).isEqualTo(1); // the session died before its commit: rolled back
        assertThat(put("p")).isEqualTo("stored");
        assertThat(connections()).isEqualTo(2);
        writer.drain();
    }

    @Test
    void aKeptConnectionGoesBackToThePoolWhenIdle() throws Exception {
        writer = kept();
        assertThat(put("a")).isEqualTo("stored");
        Thread.sleep(GroupCommitWriter.IDLE_RELEASE.toMillis() + 500);
        assertThat(put("b")).isEqualTo("stored");
        assertThat(connections()).isEqualTo(2);
        writer.drain();
    }
}
