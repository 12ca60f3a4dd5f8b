package org.myna.wallet.payment;

import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;
import org.myna.platform.persistence.Constraints;
import org.myna.platform.problem.Problem;
import org.myna.wallet.ledger.batch.LedgerCommand;
import org.myna.wallet.ledger.batch.LedgerWriter;
import org.myna.wallet.payment.PaymentRequests.AuthorizationResponse;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Reads of two-phase redemptions and their expiry. An authorisation past its deadline expires by itself: every
 * {@code wallet.authorization.sweep-interval} the due ones are handed to the batched ledger writer, which releases each
 * hold in a batch's transaction (and a capture or void that finds one due expires it first, so the deadline holds
 * between sweeps too). Several replicas may sweep at once: the writer locks the authorisation and expires it once.
 */
@ApplicationScoped
public class AuthorizationService {

    private static final Logger LOG = Logger.getLogger(AuthorizationService.class);
    private static final int SWEEP_LIMIT = 500;

    private final DataSource dataSource;
    private final LedgerWriter writer;
    private final String find;
    private final String due;
    private final Duration validity;
    private final Duration maxValidity;

    public AuthorizationService(DataSource dataSource, LedgerWriter writer,
                                @ConfigProperty(name = "quarkus.hibernate-orm.database.default-schema") String schema,
                                @ConfigProperty(name = "wallet.authorization.validity", defaultValue = "PT24H") Duration validity,
                                @ConfigProperty(name = "wallet.authorization.max-validity", defaultValue = "P7D") Duration maxValidity) {
        this.dataSource = dataSource;
        this.writer = writer;
        this.validity = validity;
        this.maxValidity = maxValidity;
        String t = schema + ".redemption_authorization";
        this.find = "select id, campaign_id, payment_account, merchant, amount, status, captured, expires_at, hold_transfer_id, "
                + "capture_transfer_id, release_transfer_id from " + t + " where id = ? and client_id = ?";
        this.due = "select id from " + t + " where status = 'pending' and expires_at <= ? order by expires_at";
    }

    /** How long a new authorisation holds its points: the configured default, or less or more up to the maximum. */
    public Duration validity(Long seconds) {
        if (seconds == null) {
            return validity;
        }
        if (seconds < 1 || seconds > maxValidity.toSeconds()) {
            throw Problem.invalidField("validForSeconds", "invalid-validity",
                    "An authorization is valid from 1 to " + maxValidity.toSeconds() + " seconds.");
        }
        return Duration.ofSeconds(seconds);
    }

    /** The provider's own authorisation (another's is as unknown as a missing one). No balance: nothing of the person's is read. */
    public AuthorizationResponse find(String providerClient, long id) {
        try (Connection c = dataSource.getConnection(); PreparedStatement q = c.prepareStatement(find)) {
            q.setLong(1, id);
            q.setString(2, providerClient);
            try (ResultSet rs = q.executeQuery()) {
                if (!rs.next()) {
                    throw Problem.notFound("unknown-authorization", "You made no authorization with this id.");
                }
                long amount = rs.getLong(5);
                String status = rs.getString(6);
                Long captured = (Long) rs.getObject(7, Long.class);
                Long released = "pending".equals(status) ? null : amount - (captured == null ? 0 : captured);
                return new AuthorizationResponse(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getString(4), amount, status, captured,
                        released, rs.getObject(8, OffsetDateTime.class).withOffsetSameInstant(ZoneOffset.UTC).toString(), null,
                        rs.getLong(9), rs.getObject(10, Long.class), rs.getObject(11, Long.class));
            }
        } catch (SQLException e) {
            LOG.warnf("authorization read failed (%s)", Constraints.describe(e));
            throw new Problem(503, "ledger-unavailable", "The ledger could not be read now; retry.");
        }
    }

    @Scheduled(every = "${wallet.authorization.sweep-interval:5s}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP,
            skipExecutionIf = Scheduled.ApplicationNotRunning.class)
    void scheduledSweep() {
        try {
            sweep();
        } catch (RuntimeException e) {
            LOG.warnf("authorization expiry sweep failed (%s); the next one retries", Constraints.describe(e));
        }
    }

    /** Expires every authorisation due now (up to a bounded number per pass); returns how many were handed to the writer. */
    public int sweep() {
        List<Long> ids = new ArrayList<>();
        try (Connection c = dataSource.getConnection(); PreparedStatement q = c.prepareStatement(due)) {
            q.setMaxRows(SWEEP_LIMIT);
            q.setObject(1, OffsetDateTime.now(ZoneOffset.UTC));
            try (ResultSet rs = q.executeQuery()) {
                while (rs.next()) {
                    ids.add(rs.getLong(1));
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException("expiry sweep: " + Constraints.describe(e));
        }
        if (ids.isEmpty() || !writer.accepting()) {
            return 0;
        }
        List<CompletableFuture<?>> pending = new ArrayList<>(ids.size());
        for (Long id : ids) {
            pending.add(writer.submit(new LedgerCommand.Expire(id, new CompletableFuture<>())));
        }
        try {
            CompletableFuture.allOf(pending.toArray(CompletableFuture[]::new)).get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            // A failed or refused (shutting down) expiry stays pending: the next sweep, here or at another replica, takes it.
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
        }
        return ids.size();
    }
}
