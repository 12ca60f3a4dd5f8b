package org.myna.platform.groupcommit;

import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import org.jboss.logging.Logger;
import org.myna.platform.persistence.Constraints;
import org.myna.platform.problem.Problem;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
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
 * Metrics: {@code <prefix>.batch.size}, {@code <prefix>.commit} (latency), {@code <prefix>.queue.depth}.
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
    private final Batch<C> work;
    private final Settings settings;
    private final Refusals refusals;
    private final BlockingQueue<C> queue;
    private final DistributionSummary batchSize;
    private final Timer commitLatency;
    private final Faults faults;
    private volatile boolean accepting = true;
    private Thread thread;

    public GroupCommitWriter(DataSource dataSource, Batch<C> work, Settings settings, Refusals refusals, MeterRegistry meters) {
        this(dataSource, work, settings, refusals, meters, new Faults());
    }

    public GroupCommitWriter(DataSource dataSource, Batch<C> work, Settings settings, Refusals refusals, MeterRegistry meters,
                             Faults faults) {
        this.faults = faults;
        this.dataSource = dataSource;
        this.work = work;
        this.settings = settings;
        this.refusals = refusals;
        this.queue = new ArrayBlockingQueue<>(settings.queueCapacity());
        this.batchSize = DistributionSummary.builder(settings.metricPrefix() + ".batch.size")
                .description("Requests per committed batch").publishPercentiles(0.5, 0.99).register(meters);
        this.commitLatency = Timer.builder(settings.metricPrefix() + ".commit").description("Commit of one batch")
                .publishPercentiles(0.5, 0.99).register(meters);
        meters.gauge(settings.metricPrefix() + ".queue.depth", queue, BlockingQueue::size);
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
                batch.forEach(c -> c.result().completeExceptionally(refusals.failed().apply(new IllegalStateException(e))));
            }
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
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            try {
                work.run(c, batch, answers);
                if (batch.size() > 1 && faults.failMultiMemberBatches.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
                    throw new SQLException("injected failure of a batch", "40001");
                }
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
                throw e;
            } catch (SQLException | RuntimeException e) {
                try {
                    c.rollback();
                } catch (SQLException ignored) {
                    // The connection is gone: the transaction is rolled back with it.
                }
                throw e;
            } finally {
                try {
                    c.setAutoCommit(true);
                } catch (SQLException ignored) {
                    // The pool discards a broken connection.
                }
            }
        }
        batchSize.record(batch.size());
        answers.forEach(Runnable::run);
    }

    /** The commit was sent but its answer never came: it may or may not have committed. */
    static final class CommitOutcomeUnknown extends RuntimeException {
        CommitOutcomeUnknown(Throwable cause) {
            super(cause);
        }
    }
}
