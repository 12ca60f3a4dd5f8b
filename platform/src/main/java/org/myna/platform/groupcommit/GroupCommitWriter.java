package org.myna.platform.groupcommit;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import org.jboss.logging.Logger;
import org.myna.platform.persistence.Constraints;
import org.myna.platform.problem.Problem;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * Group commit for a hot durable write path (issue 18 §1), without any domain type: requests wait in a bounded queue,
 * one writer thread takes as many as are waiting (up to {@link Settings#maxBatch}), hands them to the path's
 * {@link Batch} on one connection in one transaction, and commits once. Each request's future completes only after
 * that commit (the batch queues its answers, run after the commit), so no answer is given for an effect that is not
 * durable. The shape is the wallet's ledger writer's:
 * <ul>
 *   <li>a batch that fails before its commit is rolled back and its requests are run again one by one, so one bad
 *       request (or a deadlock with another replica) cannot fail the others;</li>
 *   <li>a commit whose outcome is unknown (the connection lost during the commit) answers every request of the batch
 *       with {@link Refusals#outcomeUnknown} (503);</li>
 *   <li>{@link #drain} stops taking requests, lets the thread commit what is queued, then returns.</li>
 * </ul>
 * The owner (a CDI bean of the service) calls {@link #drain} on shutdown and reports {@link #accepting} as readiness.
 * <p>
 * Given a {@link Batch}, the writer takes a pooled connection per batch. Given a {@link KeptBatch}, its thread keeps one
 * connection and the batch's prepared statements ({@link Statements}) from one batch to the next, as a single-writer
 * design does (TigerBeetle's one thread, pgledger's one round trip): no pool acquire/release, no transaction-manager
 * lookup, no statement wrapper, parse or server-side prepare per batch (PgJDBC prepares a kept statement on the server
 * after {@code prepareThreshold} executions and then only binds and executes it). The kept connection is replaced:
 * <ul>
 *   <li>when a batch fails with a connection-class SQLState ({@code 08…}, or PostgreSQL's {@code 57P0…}: terminated,
 *       shut down), or fails otherwise and {@link Connection#isValid} then says false: it is closed, and a batch that
 *       broke on a connection kept from an earlier batch is run once more as a whole on a new one (nothing of it
 *       committed: the failure came before its commit);</li>
 *   <li>when its commit's outcome is unknown (the batch is answered 503, as above);</li>
 *   <li>after {@link #IDLE_RELEASE} (3 s) without a batch it goes back to the pool (so the pool's validation and lifetime
 *       rules see it, and an idle service holds nothing).</li>
 * </ul>
 * Metrics: {@code <prefix>.batch.size}, {@code <prefix>.commit} (latency), {@code <prefix>.queue.depth},
 * {@code <prefix>.connections} (connections taken from the pool: one per batch for a {@link Batch}, one per busy spell
 * or replacement for a {@link KeptBatch}).
 */
public final class GroupCommitWriter<C extends GroupCommitWriter.Request> {

    private static final Logger LOG = Logger.getLogger(GroupCommitWriter.class);

    /** A queued request: the writer completes its future (exceptionally with a {@link Problem} when it must refuse it). */
    public interface Request {
        CompletableFuture<?> result();
    }

    /** One transaction's work: runs {@code members} on {@code c} and adds each member's answer to {@code answers}. */
    @FunctionalInterface
    public interface Batch<C> {
        void run(Connection c, List<C> members, List<Runnable> answers) throws SQLException;
    }

    /**
     * The writer thread's prepared statements on its kept connection: {@link #prepare} returns the statement prepared for
     * this SQL on this connection, the same object batch after batch, with no batch left over from a failed batch. The
     * caller must not close it (the writer does, with the connection) and must close the result sets it opens. A batch
     * whose SQL varies with its size should pad it to a few shapes (e.g. {@link #padded}), or each size is kept apart.
     */
    public interface Statements {
        PreparedStatement prepare(String sql) throws SQLException;

        /** {@code n} rounded up to a power of two: the number of {@code ?} for an IN list of n values, the last repeated. */
        static int padded(int n) {
            return n <= 1 ? 1 : Integer.highestOneBit(n - 1) << 1;
        }

        /**
         * The statement of {@code sql}, whose IN list is written {@code %s}, for these (at least one) values, bound: the
         * list padded to {@link #padded} places with the last value repeated, so a few statements serve every size.
         */
        default PreparedStatement in(String sql, Collection<String> values) throws SQLException {
            return in(sql, 0, values, PreparedStatement::setString);
        }

        /** As {@link #in(String, Collection)}, for ids. */
        default PreparedStatement inIds(String sql, Collection<Long> values) throws SQLException {
            return in(sql, 0, values, PreparedStatement::setLong);
        }

        /**
         * As {@link #in(String, Collection)}, for values of any type bound by {@code binder}, with the IN list's places
         * after the first {@code leading} parameters (which the caller binds, e.g. {@code campaign_id = ? and x in (%s)}).
         */
        default <T> PreparedStatement in(String sql, int leading, Collection<T> values, Binder<T> binder) throws SQLException {
            int size = padded(values.size());
            PreparedStatement q = prepare(sql.formatted(String.join(",", Collections.nCopies(size, "?"))));
            int i = leading + 1;
            T last = null;
            for (T value : values) {
                binder.bind(q, i++, value);
                last = value;
            }
            while (i <= leading + size) {
                binder.bind(q, i++, last);
            }
            return q;
        }

        /** Binds one value of an IN list at {@code index}. */
        @FunctionalInterface
        interface Binder<T> {
            void bind(PreparedStatement q, int index, T value) throws SQLException;
        }
    }

    /**
     * One transaction's work on the writer's kept connection {@code c}, preparing its statements through
     * {@code statements}; as {@link Batch} otherwise. The work must leave no state of its own that a rerun of the same
     * requests (after a failure before the commit) would find changed, except what a rollback undoes.
     */
    @FunctionalInterface
    public interface KeptBatch<C> {
        void run(Connection c, Statements statements, List<C> members, List<Runnable> answers) throws SQLException;
    }

    /** Without a batch for this long, a kept connection goes back to the pool. */
    public static final Duration IDLE_RELEASE = Duration.ofSeconds(3);

    public record Settings(String threadName, String metricPrefix, int maxBatch, int queueCapacity, Duration drainTimeout) {
    }

    /**
     * The path's refusals: shutting down, queue full, commit outcome unknown (each a 503 with the path's own code and
     * words), and the problem for a request that failed on its own ({@code failed}: a constraint it broke, or a 503).
     */
    public record Refusals(Supplier<Problem> shuttingDown, Supplier<Problem> busy, Supplier<Problem> outcomeUnknown,
                           Function<Exception, Problem> failed) {
    }

    /**
     * Faults a test arms to prove the rules (an unknown commit outcome, a failed batch, several requests in one batch).
     * Never armed in production: every field is off by default and only tests set them. A service may give the writer
     * its own (e.g. a CDI singleton its tests inject).
     */
    public static class Faults {
        /** Batches of more than one request that fail before their commit. */
        public final AtomicInteger failMultiMemberBatches = new AtomicInteger();
        /** Batches that commit and then report the commit as failed (the outcome a lost connection leaves unknown). */
        public final AtomicInteger commitThenFail = new AtomicInteger();
        /** When set, the writer waits for it before taking a batch, so that a test can queue requests into one batch. */
        public volatile CountDownLatch hold;
        /** True while the writer waits at {@link #hold}: from then on, whatever is queued goes into its next batch. */
        public volatile boolean held;
        /** Run once on the writer's connection before the next batch's work (a test kills its session there). */
        public final AtomicReference<ConnectionFault> beforeNextBatch = new AtomicReference<>();
        /** Run once on the writer's connection after the next batch's work, before its commit. */
        public final AtomicReference<ConnectionFault> beforeNextCommit = new AtomicReference<>();

        /** Something a test does to the writer's connection (it is handed the writer's own connection). */
        @FunctionalInterface
        public interface ConnectionFault {
            void on(Connection c) throws SQLException;
        }

        /** After a test: lets a held writer go and disarms every fault. */
        public void disarm() {
            CountDownLatch h = hold;
            hold = null;
            if (h != null) {
                h.countDown();
            }
            failMultiMemberBatches.set(0);
            commitThenFail.set(0);
            beforeNextBatch.set(null);
            beforeNextCommit.set(null);
        }

        static void fire(AtomicReference<ConnectionFault> fault, Connection c) throws SQLException {
            ConnectionFault f = fault.getAndSet(null);
            if (f != null) {
                f.on(c);
            }
        }

        void beforeBatch() {
            CountDownLatch h = hold;
            if (h != null) {
                held = true;
                try {
                    h.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                } finally {
                    held = false;
                }
            }
        }
    }

    private final DataSource dataSource;
    private final KeptBatch<C> work;
    /** True for a {@link KeptBatch}: the thread keeps its connection and statements across batches. */
    private final boolean keep;
    private final Settings settings;
    private final Refusals refusals;
    private final BlockingQueue<C> queue;
    private final DistributionSummary batchSize;
    private final Timer commitLatency;
    private final Faults faults;
    private final Counter connections;
    private volatile boolean accepting = true;
    private Thread thread;
    // The writer thread's own (only it touches them): the kept connection, its statements, the end of the last batch.
    private Connection kept;
    private StatementCache statements;
    /** A broken connection set aside, closed only once its replacement is held (so the pool cannot hand it back). */
    private Connection retired;
    private long lastBatchNanos;

    public GroupCommitWriter(DataSource dataSource, Batch<C> work, Settings settings, Refusals refusals, MeterRegistry meters) {
        this(dataSource, work, settings, refusals, meters, new Faults());
    }

    public GroupCommitWriter(DataSource dataSource, Batch<C> work, Settings settings, Refusals refusals, MeterRegistry meters,
                             Faults faults) {
        this(dataSource, (c, statements, members, answers) -> work.run(c, members, answers), false, settings, refusals, meters, faults);
    }

    /** A writer whose thread keeps its connection and prepared statements across batches (see the class comment). */
    public GroupCommitWriter(DataSource dataSource, KeptBatch<C> work, Settings settings, Refusals refusals, MeterRegistry meters) {
        this(dataSource, work, settings, refusals, meters, new Faults());
    }

    public GroupCommitWriter(DataSource dataSource, KeptBatch<C> work, Settings settings, Refusals refusals, MeterRegistry meters,
                             Faults faults) {
        this(dataSource, work, true, settings, refusals, meters, faults);
    }

    private GroupCommitWriter(DataSource dataSource, KeptBatch<C> work, boolean keep, Settings settings, Refusals refusals,
                              MeterRegistry meters, Faults faults) {
        this.faults = faults;
        this.dataSource = dataSource;
        this.work = work;
        this.keep = keep;
        this.settings = settings;
        this.refusals = refusals;
        this.queue = new ArrayBlockingQueue<>(settings.queueCapacity());
        this.batchSize = DistributionSummary.builder(settings.metricPrefix() + ".batch.size")
                .description("Requests per committed batch").publishPercentiles(0.5, 0.99).register(meters);
        this.commitLatency = Timer.builder(settings.metricPrefix() + ".commit").description("Commit of one batch")
                .publishPercentiles(0.5, 0.99).register(meters);
        meters.gauge(settings.metricPrefix() + ".queue.depth", queue, BlockingQueue::size);
        this.connections = Counter.builder(settings.metricPrefix() + ".connections")
                .description("Connections the writer took from the pool").register(meters);
    }

    /** Queues {@code request}; its future completes after its batch committed, or exceptionally with a 503 problem. */
    public void submit(C request) {
        if (!accepting) {
            request.result().completeExceptionally(refusals.shuttingDown().get());
            return;
        }
        startOnce();
        if (!queue.offer(request)) {
            request.result().completeExceptionally(refusals.busy().get());
        }
    }

    public boolean accepting() {
        return accepting;
    }

    public int queueDepth() {
        return queue.size();
    }

    public Faults faults() {
        return faults;
    }

    /** Starts the writer's thread now (else the first {@link #submit} does). */
    public void start() {
        startOnce();
    }

    private synchronized void startOnce() {
        if (thread == null) {
            thread = new Thread(this::loop, settings.threadName());
            thread.setDaemon(true);   // never holds the JVM: the owner drains it on shutdown
            thread.start();
        }
    }

    /** Stops taking requests, lets the writer commit every queued one, then returns (bounded by the drain timeout). */
    public void drain() {
        drain(settings.drainTimeout());
    }

    /** As {@link #drain()}, bounded by {@code within}. */
    public void drain(Duration within) {
        accepting = false;
        Thread t;
        synchronized (this) {
            t = thread;
        }
        if (t != null) {
            try {
                t.join(within.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        C left;
        while ((left = queue.poll()) != null) {
            left.result().completeExceptionally(refusals.shuttingDown().get());
        }
    }

    private void loop() {
        try {
            work();
        } finally {
            release();
        }
    }

    private void work() {
        while (true) {
            faults.beforeBatch();
            C first;
            try {
                first = queue.poll(100, TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                if (!accepting) {
                    return;
                }
                continue;
            }
            if (first == null) {
                if (!accepting && queue.isEmpty()) {
                    return;
                }
                if ((kept != null || retired != null) && System.nanoTime() - lastBatchNanos > IDLE_RELEASE.toNanos()) {
                    release();
                }
                continue;
            }
            List<C> batch = new ArrayList<>(Math.min(settings.maxBatch(), queue.size() + 1));
            batch.add(first);
            queue.drainTo(batch, settings.maxBatch() - 1);
            try {
                process(batch);
            } catch (RuntimeException | Error e) {
                // Never let the writer die: whatever was not answered hears a 503 and may retry.
                LOG.errorf("%s: %s", settings.threadName(), Constraints.describe(e));
                release(); // whatever state it was left in, the next batch starts on a clean connection
                batch.forEach(c -> c.result().completeExceptionally(refusals.failed().apply(new IllegalStateException(e))));
            }
            lastBatchNanos = System.nanoTime();
        }
    }

    /** Runs {@code batch} in one transaction; on failure before the commit, each request again on its own. */
    private void process(List<C> batch) {
        try {
            run(batch);
        } catch (CommitOutcomeUnknown e) {
            LOG.warnf("%s: batch of %d, commit outcome unknown (%s); answering 503", settings.threadName(), batch.size(),
                    Constraints.describe(e.getCause()));
            batch.forEach(c -> c.result().completeExceptionally(refusals.outcomeUnknown().get()));
        } catch (StaleConnection e) {
            // The connection kept from an earlier batch had broken; nothing of this batch committed: once more, whole.
            LOG.warnf("%s: kept connection broken (%s); batch of %d again on a new connection", settings.threadName(),
                    Constraints.describe(e.getCause()), batch.size());
            process(batch);
        } catch (Exception e) {
            if (batch.size() > 1) {
                // Only types, SQL states and constraint names: the driver's message may quote the clashing values.
                LOG.warnf("%s: batch of %d failed (%s); running its requests one by one", settings.threadName(), batch.size(),
                        Constraints.describe(e));
                for (C c : batch) {
                    process(List.of(c));
                }
            } else {
                if (e instanceof SQLException || e.getCause() instanceof SQLException) {
                    LOG.warnf("%s: request failed (%s)", settings.threadName(), Constraints.describe(e));
                } else {
                    // A bug of ours, not a driver message: its stack names no request value.
                    LOG.errorf(e, "%s: request failed", settings.threadName());
                }
                batch.get(0).result().completeExceptionally(refusals.failed().apply(e));
            }
        }
    }

    private void run(List<C> batch) throws SQLException {
        List<Runnable> answers = new ArrayList<>(batch.size());
        boolean reused = kept != null;
        Connection c = connection();
        try {
            Faults.fire(faults.beforeNextBatch, c);
            work.run(c, statements, batch, answers);
            if (batch.size() > 1 && faults.failMultiMemberBatches.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
                throw new SQLException("injected failure of a batch", "40001");
            }
            Faults.fire(faults.beforeNextCommit, c);
            long start = System.nanoTime();
            try {
                c.commit();
            } catch (SQLException e) {
                throw new CommitOutcomeUnknown(e);
            }
            commitLatency.record(System.nanoTime() - start, TimeUnit.NANOSECONDS);
            if (faults.commitThenFail.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
                throw new CommitOutcomeUnknown(new SQLException("injected loss of the commit's answer", "08006"));
            }
        } catch (CommitOutcomeUnknown e) {
            if (keep) {
                if (e.getCause() instanceof SQLException lost && broken(lost, c)) {
                    discard(lost);
                } else {
                    try {
                        c.rollback(); // a commit refused by the database (e.g. a serialization failure) left it aborted
                    } catch (SQLException gone) {
                        discard(gone);
                    }
                }
            }
            throw e;
        } catch (SQLException | RuntimeException e) {
            boolean rolledBack = true;
            try {
                c.rollback();
            } catch (SQLException ignored) {
                rolledBack = false; // the connection is gone: the transaction is rolled back with it
            }
            if (keep && (!rolledBack || broken(e, c))) {
                discard(e);
                if (reused) {
                    throw new StaleConnection(e);
                }
            }
            throw e;
        } finally {
            if (!keep) {
                try {
                    c.setAutoCommit(true);
                } catch (SQLException ignored) {
                    // The pool discards a broken connection.
                }
                closeQuietly(c); // a failure to give it back must not turn a committed batch into a rerun
            }
        }
        batchSize.record(batch.size());
        answers.forEach(Runnable::run);
    }

    /** The kept connection, or a new one from the pool (kept, with a new statement cache, for a {@link KeptBatch}). */
    private Connection connection() throws SQLException {
        if (kept != null) {
            return kept;
        }
        Connection c;
        try {
            c = replacement();
        } finally {
            if (retired != null) {
                closeQuietly(retired);
                retired = null;
            }
        }
        connections.increment();
        try {
            c.setAutoCommit(false);
        } catch (SQLException e) {
            closeQuietly(c);
            throw e;
        }
        if (keep) {
            kept = c;
            statements = new StatementCache(c);
        }
        return c;
    }

    /**
     * A connection from the pool; after a broken one, a valid one: a pool without an exception sorter for its database
     * (Agroal's for H2) takes a broken connection back as good, so while the broken one is still held, another is taken
     * and asked whether it is valid (a few tries, the invalid ones given back only at the end).
     */
    private Connection replacement() throws SQLException {
        Connection c = dataSource.getConnection();
        if (retired == null) {
            return c;
        }
        List<Connection> invalid = new ArrayList<>();
        try {
            for (int tries = 1; !c.isValid(2) && tries < 3; tries++) {
                invalid.add(c);
                c = dataSource.getConnection();
            }
            return c;
        } finally {
            invalid.forEach(GroupCommitWriter::closeQuietly);
        }
    }

    /**
     * True when {@code e} says the connection is lost (SQLState class 08, or PostgreSQL's 57P0x: terminated by an
     * administrator, shut down), or when the connection, asked, is no longer valid.
     */
    static boolean broken(Exception e, Connection c) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof SQLException sql) {
                for (SQLException s = sql; s != null; s = s.getNextException()) {
                    String state = s.getSQLState();
                    if (state != null && (state.startsWith("08") || state.startsWith("57P0"))) {
                        return true;
                    }
                }
            }
        }
        try {
            return !c.isValid(2);
        } catch (SQLException | RuntimeException notValid) {
            return true;
        }
    }

    /** Sets the kept connection aside as broken: the next batch takes another before this one goes back to the pool. */
    private void discard(Exception why) {
        LOG.warnf("%s: its connection is broken (%s); the next batch takes a new one", settings.threadName(),
                Constraints.describe(why));
        Connection c = kept;
        kept = null;
        statements.close();
        statements = null;
        if (retired != null) {
            closeQuietly(retired);
        }
        retired = c;
    }

    /** Closes the kept statements and gives the kept connection (and one set aside) back to the pool (writer thread only). */
    private void release() {
        if (retired != null) {
            closeQuietly(retired);
            retired = null;
        }
        Connection c = kept;
        if (c == null) {
            return;
        }
        kept = null;
        statements.close();
        statements = null;
        try {
            c.rollback(); // nothing is open between batches; a no-op unless the last batch died half-way
        } catch (SQLException | RuntimeException ignored) {
            // broken: the pool's exception sorter or validation drops it
        }
        closeQuietly(c);
    }

    private static void closeQuietly(AutoCloseable c) {
        try {
            c.close();
        } catch (Exception ignored) {
            // already gone
        }
    }

    /** The kept connection's statements by SQL, the least recently used closed past {@link #CAPACITY}. */
    private static final class StatementCache implements Statements {
        static final int CAPACITY = 64;
        private final Connection c;
        private final Map<String, PreparedStatement> bySql = new LinkedHashMap<>(16, 0.75f, true);

        StatementCache(Connection c) {
            this.c = c;
        }

        @Override
        public PreparedStatement prepare(String sql) throws SQLException {
            PreparedStatement q = bySql.get(sql);
            if (q != null) {
                q.clearBatch(); // a batch that failed between addBatch and executeBatch must leave nothing behind
                return q;
            }
            q = c.prepareStatement(sql);
            bySql.put(sql, q);
            if (bySql.size() > CAPACITY) {
                Iterator<PreparedStatement> eldest = bySql.values().iterator();
                closeQuietly(eldest.next());
                eldest.remove();
            }
            return q;
        }

        void close() {
            bySql.values().forEach(GroupCommitWriter::closeQuietly);
            bySql.clear();
        }
    }

    /** A batch failed because the connection kept from an earlier batch had broken (before the batch's commit). */
    static final class StaleConnection extends RuntimeException {
        StaleConnection(Throwable cause) {
            super(cause);
        }
    }

    /** The commit was sent but its answer never came: it may or may not have committed. */
    static final class CommitOutcomeUnknown extends RuntimeException {
        CommitOutcomeUnknown(Throwable cause) {
            super(cause);
        }
    }
}
