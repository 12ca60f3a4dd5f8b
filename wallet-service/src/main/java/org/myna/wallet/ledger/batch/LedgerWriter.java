package org.myna.wallet.ledger.batch;

import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.ShutdownEvent;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.myna.platform.groupcommit.GroupCommitWriter;
import org.myna.platform.idempotency.Idempotency;
import org.myna.platform.persistence.Constraints;
import org.myna.platform.problem.Problem;

import javax.sql.DataSource;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;

/**
 * The batched write path of grants, charge-backs and redemptions (group commit, the platform's
 * {@link GroupCommitWriter}): requests wait in a bounded queue, one writer thread takes as many as are waiting (up to
 * {@code wallet.ledger.batch-size}), evaluates them in order in one transaction ({@link LedgerBatch}) and commits
 * once; each request's future completes only after that commit, so no answer is given for an effect that is not
 * durable. The shared rows are locked in the database at the start of each batch, so several wallet replicas on one
 * database stay correct: nothing is decided from memory alone. The writer's thread keeps its connection and prepared
 * statements from one batch to the next ({@link GroupCommitWriter.KeptBatch}; a broken one is replaced and its batch
 * run again whole).
 * <ul>
 *   <li>a batch that fails before its commit is rolled back and its requests are run again one by one, so one bad
 *       request (or a deadlock with another replica) cannot fail the others;</li>
 *   <li>a commit whose outcome is unknown (the connection lost during the commit) answers every request of the batch
 *       503: the idempotency record, committed or not, settles the client's retry;</li>
 *   <li>on shutdown the writer stops taking requests (readiness DOWN, {@link LedgerWriterReadiness}), drains its queue,
 *       then stops.</li>
 * </ul>
 * Metrics: {@code wallet.ledger.batch.size}, {@code wallet.ledger.commit}, {@code wallet.ledger.queue.depth}.
 */
@ApplicationScoped
public class LedgerWriter {

    private final Idempotency idempotency;
    private final Duration drainTimeout;
    private final GroupCommitWriter<LedgerCommand> writer;

    public LedgerWriter(DataSource dataSource, Idempotency idempotency, LedgerFaults faults, MeterRegistry meters,
                        @ConfigProperty(name = "quarkus.hibernate-orm.database.default-schema") String schema,
                        @ConfigProperty(name = "wallet.ledger.batch-size", defaultValue = "200") int maxBatch,
                        @ConfigProperty(name = "wallet.ledger.queue-capacity", defaultValue = "4096") int queueCapacity,
                        @ConfigProperty(name = "wallet.ledger.drain-timeout", defaultValue = "PT10S") Duration drainTimeout) {
        this.idempotency = idempotency;
        this.drainTimeout = drainTimeout;
        LedgerBatch.Sql sql = new LedgerBatch.Sql(schema);
        // Kept across batches: the ids handed out and the budget accounts known, both owned by the writer's thread. A batch
        // rolled back leaves both right for its rerun: ids drawn are skipped (sequences are not transactional), and a
        // campaign's budget and hold accounts, read from committed rows, never change.
        LedgerBatch.Ids ids = new LedgerBatch.Ids();
        LedgerBatch.BudgetAccounts budgetAccounts = new LedgerBatch.BudgetAccounts();
        this.writer = new GroupCommitWriter<>(dataSource,
                (GroupCommitWriter.KeptBatch<LedgerCommand>) (c, statements, batch, answers) ->
                        new LedgerBatch(c, statements, sql, ids, budgetAccounts, idempotency, faults, answers).execute(batch),
                new GroupCommitWriter.Settings("ledger-writer", "wallet.ledger", maxBatch, queueCapacity, drainTimeout),
                new GroupCommitWriter.Refusals(
                        () -> new Problem(503, "shutting-down", "The wallet is shutting down; retry with the same Idempotency-Key."),
                        () -> new Problem(503, "ledger-busy", "Too many requests are waiting for the ledger; retry with the same Idempotency-Key."),
                        () -> new Problem(503, "commit-outcome-unknown",
                                "Whether this request took effect is not known yet; retry with the same Idempotency-Key."),
                        LedgerWriter::problemFor),
                meters, faults);
    }

    /** Queues {@code command}; its future completes after its batch committed, or with a 503 problem. */
    public CompletableFuture<LedgerOutcome> submit(LedgerCommand command) {
        writer.submit(command);
        return command.result();
    }

    /**
     * Submits the command {@code make} builds and turns its outcome into the HTTP answer: the stored 201, the refusal
     * (thrown, so the problem mapper renders it), or, when the key already held an answer, that answer replayed (a
     * reservation abandoned by a killed request of this very body is taken over once, and the command runs again).
     */
    public CompletionStage<Response> answer(Function<CompletableFuture<LedgerOutcome>, LedgerCommand> make) {
        return answer(make, null, true);
    }

    /**
     * As {@link #answer(Function)}, for a command the batch may leave unanswered ({@link LedgerOutcome#unanswered()}):
     * then {@code otherwise} makes the answer, on a worker thread (it may block: a registry question, another batch).
     */
    public CompletionStage<Response> answer(Function<CompletableFuture<LedgerOutcome>, LedgerCommand> make,
                                            Function<String, CompletionStage<Response>> otherwise) {
        return answer(make, otherwise, true);
    }

    private CompletionStage<Response> answer(Function<CompletableFuture<LedgerOutcome>, LedgerCommand> make,
                                             Function<String, CompletionStage<Response>> otherwise, boolean mayTakeOver) {
        LedgerCommand command = make.apply(new CompletableFuture<>());
        return submit(command).thenCompose(outcome -> {
            if (outcome.unanswered() != null) {
                // Only a grant to be decided from the copies is left unanswered, and its caller always passes otherwise
                // (a repeat inside one batch is answered like its first, and runs its own caller's otherwise).
                if (otherwise == null) {
                    throw new IllegalStateException("a command the batch may leave unanswered was submitted without otherwise");
                }
                return CompletableFuture.supplyAsync(() -> otherwise.apply(outcome.unanswered()), Infrastructure.getDefaultWorkerPool())
                        .thenCompose(Function.identity());
            }
            if (outcome.keyTaken()) {
                // Off the writer's thread: the replay reads the record through Hibernate.
                LedgerCommand.Key k = command.key();
                return CompletableFuture.supplyAsync(() -> idempotency.afterKeyTaken(k.scope(), k.key(), k.endpoint(), k.hash(), mayTakeOver),
                        Infrastructure.getDefaultWorkerPool()).thenCompose(replay -> replay != null
                        ? CompletableFuture.completedFuture(replay) : answer(make, otherwise, false));
            }
            if (outcome.refusal() != null) {
                return CompletableFuture.failedFuture(outcome.refusal());
            }
            return CompletableFuture.completedFuture(Idempotency.answer(outcome.status(), outcome.body()));
        });
    }

    public boolean accepting() {
        return writer.accepting();
    }

    public int queueDepth() {
        return writer.queueDepth();
    }

    /** Stops taking requests, answers every queued one, then returns (bounded by {@code within}). */
    public void drain(Duration within) {
        writer.drain(within);
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
        return new Problem(503, "ledger-unavailable", "The ledger could not record this request now; retry with the same Idempotency-Key.");
    }
}
