package org.myna.wallet.ledger.batch;

import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.quarkus.runtime.ShutdownEvent;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import jakarta.ws.rs.core.Response;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;
import org.myna.platform.idempotency.Idempotency;
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
import java.util.concurrent.CompletionStage;
import java.util.function.Function;
import java.util.concurrent.TimeUnit;

/**
 * The batched write path of grants, charge-backs and redemptions (group commit): requests wait in a bounded queue, one
 * writer thread takes as many as are waiting (up to {@code wallet.ledger.batch-size}), evaluates them in order in one
 * transaction ({@link LedgerBatch}) and commits once; each request's future completes only after that commit, so no
 * answer is given for an effect that is not durable. The shared rows are locked in the database at the start of each
 * batch, so several wallet replicas on one database stay correct: nothing is decided from memory alone.
 * <ul>
 *   <li>a batch that fails before its commit is rolled back and its requests are run again one by one, so one bad
 *       request (or a deadlock with another replica) cannot fail the others;</li>
 *   <li>a commit whose outcome is unknown (the connection lost during the commit) answers every request of the batch
 *       503: the idempotency record, committed or not, settles the client's retry;</li>
 *   <li>on shutdown the writer stops taking requests (readiness DOWN, {@link LedgerWriterReadiness}), drains its queue,
 *       then stops.</li>
 * </ul>
 */
@ApplicationScoped
public class LedgerWriter {

    private static final Logger LOG = Logger.getLogger(LedgerWriter.class);

    private final DataSource dataSource;
    private final LedgerBatch.Statements statements;
    private final Idempotency idempotency;
    private final LedgerFaults faults;
    private final int maxBatch;
    private final Duration drainTimeout;
    private final BlockingQueue<LedgerCommand> queue;
    private final DistributionSummary batchSize;
    private final Timer commitLatency;
    private final LedgerBatch.Ids ids = new LedgerBatch.Ids();
    private final LedgerBatch.BudgetAccounts budgetAccounts = new LedgerBatch.BudgetAccounts();
    private volatile boolean accepting = true;
    private Thread thread;

    public LedgerWriter(DataSource dataSource, Idempotency idempotency, LedgerFaults faults, MeterRegistry meters,
                        @ConfigProperty(name = "quarkus.hibernate-orm.database.default-schema") String schema,
                        @ConfigProperty(name = "wallet.ledger.batch-size", defaultValue = "200") int maxBatch,
                        @ConfigProperty(name = "wallet.ledger.queue-capacity", defaultValue = "4096") int queueCapacity,
                        @ConfigProperty(name = "wallet.ledger.drain-timeout", defaultValue = "PT10S") Duration drainTimeout) {
        this.dataSource = dataSource;
        this.statements = new LedgerBatch.Statements(schema);
        this.idempotency = idempotency;
        this.faults = faults;
        this.maxBatch = maxBatch;
        this.drainTimeout = drainTimeout;
        this.queue = new ArrayBlockingQueue<>(queueCapacity);
        this.batchSize = DistributionSummary.builder("wallet.ledger.batch.size").description("Requests per committed ledger batch")
                .publishPercentiles(0.5, 0.99).register(meters);
        this.commitLatency = Timer.builder("wallet.ledger.commit").description("Commit of one ledger batch")
                .publishPercentiles(0.5, 0.99).register(meters);
        meters.gauge("wallet.ledger.queue.depth", queue, BlockingQueue::size);
    }

    /** Queues {@code command}; its future completes after its batch committed, or with a 503 problem. */
    public CompletableFuture<LedgerOutcome> submit(LedgerCommand command) {
        if (!accepting) {
            command.result().completeExceptionally(new Problem(503, "shutting-down", "The wallet is shutting down; retry with the same Idempotency-Key."));
            return command.result();
        }
        startOnce();
        if (!queue.offer(command)) {
            command.result().completeExceptionally(new Problem(503, "ledger-busy", "Too many requests are waiting for the ledger; retry with the same Idempotency-Key."));
        }
        return command.result();
    }

    /**
     * Submits the command {@code make} builds and turns its outcome into the HTTP answer: the stored 201, the refusal
     * (thrown, so the problem mapper renders it), or, when the key already held an answer, that answer replayed (a
     * reservation abandoned by a killed request of this very body is taken over once, and the command runs again).
     */
    public CompletionStage<Response> answer(Function<CompletableFuture<LedgerOutcome>, LedgerCommand> make) {
        return answer(make, true);
    }

    private CompletionStage<Response> answer(Function<CompletableFuture<LedgerOutcome>, LedgerCommand> make, boolean mayTakeOver) {
        LedgerCommand command = make.apply(new CompletableFuture<>());
        return submit(command).thenCompose(outcome -> {
            if (outcome.keyTaken()) {
                // Off the writer's thread: the replay reads the record through Hibernate.
                LedgerCommand.Key k = command.key();
                return CompletableFuture.supplyAsync(() -> idempotency.afterKeyTaken(k.scope(), k.key(), k.endpoint(), k.hash(), mayTakeOver),
                        Infrastructure.getDefaultWorkerPool()).thenCompose(replay -> replay != null
                        ? CompletableFuture.completedFuture(replay) : answer(make, false));
            }
            if (outcome.refusal() != null) {
                return CompletableFuture.failedFuture(outcome.refusal());
            }
            return CompletableFuture.completedFuture(Idempotency.answer(outcome.status(), outcome.body()));
        });
    }

    public boolean accepting() {
        return accepting;
    }

    public int queueDepth() {
        return queue.size();
    }

    private synchronized void startOnce() {
        if (thread == null) {
            thread = new Thread(this::loop, "ledger-writer");
            thread.setDaemon(true);   // never holds the JVM: shutdown drains it first (onShutdown)
            thread.start();
        }
    }

    /** Stops taking requests, answers every queued one, then returns (bounded by {@code within}). */
    public void drain(Duration within) {
        accepting = false;
        Thread t;
        synchronized (this) {
            t = thread;
        }
        if (t == null) {
            return;
        }
        try {
            t.join(within.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        LedgerCommand left;
        while ((left = queue.poll()) != null) {
            left.result().completeExceptionally(new Problem(503, "shutting-down", "The wallet is shutting down; retry with the same Idempotency-Key."));
        }
    }

    /**
     * Runs after Quarkus's graceful shutdown (readiness DOWN for {@code quarkus.shutdown.delay}, then up to
     * {@code quarkus.shutdown.timeout} for requests in flight, which the writer answers meanwhile): whatever is still
     * queued is committed within {@code wallet.ledger.drain-timeout}. The pod's grace period exceeds the three together.
     */
    void onShutdown(@Observes ShutdownEvent event) {
        drain(drainTimeout);
    }

    @PreDestroy
    void close() {
        drain(drainTimeout);
    }

    private void loop() {
        while (true) {
            faults.beforeBatch();
            LedgerCommand first;
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
            List<LedgerCommand> batch = new ArrayList<>(Math.min(maxBatch, queue.size() + 1));
            batch.add(first);
            queue.drainTo(batch, maxBatch - 1);
            try {
                process(batch);
            } catch (RuntimeException | Error e) {
                // Never let the writer die: whatever was not answered hears a 503 and may retry.
                LOG.errorf("ledger writer: %s", Constraints.describe(e));
                batch.forEach(c -> c.result().completeExceptionally(unavailable()));
            }
        }
    }

    /** Runs {@code batch} in one transaction; on failure before the commit, each request again on its own. */
    private void process(List<LedgerCommand> batch) {
        try {
            run(batch);
        } catch (CommitOutcomeUnknown e) {
            LOG.warnf("ledger batch of %d: commit outcome unknown (%s); answering 503, the idempotency records settle the retries",
                    batch.size(), Constraints.describe(e.getCause()));
            batch.forEach(c -> c.result().completeExceptionally(
                    new Problem(503, "commit-outcome-unknown", "Whether this request took effect is not known yet; retry with the same Idempotency-Key.")));
        } catch (Exception e) {
            if (batch.size() > 1) {
                // Describe only types, SQL states and constraint names: the driver's message may quote the clashing values.
                LOG.warnf("ledger batch of %d failed (%s); running its requests one by one", batch.size(), Constraints.describe(e));
                for (LedgerCommand c : batch) {
                    process(List.of(c));
                }
            } else {
                LedgerCommand c = batch.get(0);
                if (e instanceof SQLException || e.getCause() instanceof SQLException) {
                    LOG.warnf("ledger request failed (%s)", Constraints.describe(e));
                } else {
                    // A bug of ours, not a driver message: its stack names no request value.
                    LOG.error("ledger request failed", e);
                }
                c.result().completeExceptionally(problemFor(e));
            }
        }
    }

    private void run(List<LedgerCommand> batch) throws SQLException {
        List<Runnable> answers = new ArrayList<>(batch.size());
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            try {
                new LedgerBatch(c, statements, ids, budgetAccounts, idempotency, answers).execute(batch);
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

    private static Problem problemFor(Exception e) {
        if (Constraints.violated(e, "uq_transfer_key")) {
            return Problem.conflict("transfer-exists", "A transfer with this id was already posted.");
        }
        if (Constraints.violated(e, "ck_campaign_granted")) {
            return Problem.conflict("budget-exhausted", "The campaign's budget cannot cover this grant.");
        }
        if (Constraints.violated(e, "ck_ledger_account_balance")) {
            return Problem.conflict("insufficient-balance", "The account's balance does not cover this amount.");
        }
        return unavailable();
    }

    private static Problem unavailable() {
        return new Problem(503, "ledger-unavailable", "The ledger could not record this request now; retry with the same Idempotency-Key.");
    }

    /** The commit was sent but its answer never came: it may or may not have committed. */
    static final class CommitOutcomeUnknown extends RuntimeException {
        CommitOutcomeUnknown(Throwable cause) {
            super(cause);
        }
    }
}
