package org.myna.insurance.eligibility;

import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.ShutdownEvent;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.myna.insurance.cardreplica.CardReplica;
import org.myna.insurance.config.InsuranceConfig;
import org.myna.platform.groupcommit.GroupCommitWriter;
import org.myna.platform.persistence.Constraints;
import org.myna.platform.problem.Problem;

import javax.sql.DataSource;
import java.sql.SQLException;
import java.util.concurrent.CompletionException;

/**
 * The card checks' batched write path (issue 18 §1, group commit as the wallet's ledger writer): the check record that
 * spends the challenge, the card replica's and the member's reads, and the resident's access-log row, many checks in
 * one transaction by plain JDBC ({@link CheckBatch}); a check is answered only after its batch committed. A batch that
 * fails is run again check by check; an unknown commit outcome is 503 {@code commit-outcome-unknown}; on shutdown the
 * writer stops taking checks (readiness DOWN, {@link CheckWriterReadiness}) and commits what is queued. The writer's
 * thread keeps one pooled connection and its prepared statements across batches while checks keep coming (a broken one
 * is replaced, the batch it broke run again on the new one), so the pool and the transaction manager are off the path.
 * Metrics: {@code eligibility.writer.batch.size}, {@code eligibility.writer.commit}, {@code eligibility.writer.queue.depth},
 * {@code eligibility.writer.connections}.
 */
@ApplicationScoped
public class CheckWriter {

    private final GroupCommitWriter<CheckRequest> writer;

    public CheckWriter(DataSource dataSource, CardReplica replica, InsuranceConfig config, MeterRegistry meters,
                       @ConfigProperty(name = "quarkus.hibernate-orm.database.default-schema") String schema) {
        InsuranceConfig.Writer w = config.eligibility().writer();
        this.writer = new GroupCommitWriter<>(dataSource, new CheckBatch(replica, schema),
                new GroupCommitWriter.Settings("eligibility-writer", "eligibility.writer", w.batchSize(), w.queueCapacity(), w.drainTimeout()),
                new GroupCommitWriter.Refusals(
                        () -> new Problem(503, "shutting-down", "This node is shutting down; retry with the same challenge."),
                        () -> new Problem(503, "busy", "Too many card checks are waiting to be recorded; retry in a second with the same challenge."),
                        () -> new Problem(503, "commit-outcome-unknown",
                                "Whether this check was recorded is not known; ask for a new challenge and check again."),
                        CheckWriter::problemFor),
                meters);
        writer.start(); // with the bean: a test's hold (faults) then always finds the thread waiting at it
    }

    /** Records the check and returns its answer once committed; {@code null} when the card replica does not know the card. */
    CheckAnswer check(CheckRequest request) {
        writer.submit(request);
        try {
            return request.result().join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof Problem p) {
                throw p;
            }
            throw e;
        }
    }

    public boolean accepting() {
        return writer.accepting();
    }

    public int queueDepth() {
        return writer.queueDepth();
    }

    /** For tests: faults to arm (never armed in production). */
    public GroupCommitWriter.Faults faults() {
        return writer.faults();
    }

    /** After Quarkus's graceful shutdown (requests in flight answered meanwhile), whatever is queued is committed. */
    void onShutdown(@Observes ShutdownEvent event) {
        writer.drain();
    }

    @PreDestroy
    void close() {
        writer.drain();
    }

    private static Problem problemFor(Exception e) {
        if (Constraints.violated(e, "uq_eligibility_check_nonce")) {
            return EligibilityService.used();
        }
        for (Throwable t = e; t != null && t.getCause() != t; t = t.getCause()) {
            if (t instanceof SQLException && t.getMessage() != null && t.getMessage().contains("acquisition timeout")) {
                return new Problem(503, "busy", "This node has no free database connection; retry in a second with the same challenge.");
            }
        }
        return new Problem(503, "database-unavailable", "The check could not be recorded now; retry shortly with the same challenge.");
    }
}
