package org.myna.platform.accesslog;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;
import jakarta.persistence.EntityManager;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Delivers the outbox to the registry in batches, oldest first, at least once: a batch is claimed with a lease (a
 * short transaction; of several replicas only one takes a row), sent with no transaction open, and deleted once the
 * registry answered. A failure leaves the rows to a later run after a back-off; the registry records each row id once,
 * so a batch sent twice (a lost answer, an expired lease) shows once. A batch the registry refuses as malformed is
 * sent row by row, and only the row refused alone is set aside ({@code rejected_at}), so one bad row holds back nobody.
 */
@ApplicationScoped
public class AccessLogSender {

    private static final Logger LOG = Logger.getLogger(AccessLogSender.class);

    private final EntityManager em;
    private final Instance<AccessLogTransport> transport;
    private final int batchSize;
    private final int batchesPerRun;
    private final Duration lease;
    private final Duration maxBackoff;
    private final Timer lateness;
    private final Counter rejected;
    private final AtomicLong pending = new AtomicLong();
    private final AtomicLong oldestPendingSeconds = new AtomicLong();

    /**
     * @param batchSize     rows per request to the registry (its limit is 500)
     * @param batchesPerRun batches one run sends at most before it yields to the next scheduled run
     * @param lease         how long a claimed batch is this sender's; longer than a request to the registry can take
     * @param maxBackoff    the longest wait after failures; the registry shows rows within a minute once it is back
     */
    public AccessLogSender(EntityManager em, Instance<AccessLogTransport> transport, MeterRegistry meters,
                           @ConfigProperty(name = "access-log.outbox.batch-size", defaultValue = "200") int batchSize,
                           @ConfigProperty(name = "access-log.outbox.batches-per-run", defaultValue = "20") int batchesPerRun,
                           @ConfigProperty(name = "access-log.outbox.lease", defaultValue = "PT30S") Duration lease,
                           @ConfigProperty(name = "access-log.outbox.max-backoff", defaultValue = "PT30S") Duration maxBackoff) {
        this.em = em;
        this.transport = transport;
        this.batchSize = batchSize;
        this.batchesPerRun = batchesPerRun;
        this.lease = lease;
        this.maxBackoff = maxBackoff;
        this.lateness = Timer.builder("access_log_outbox_delivery_lateness")
                .description("From a read to the registry's acknowledgement of its access-log row")
                .publishPercentileHistogram().register(meters);
        this.rejected = Counter.builder("access_log_outbox_rejected")
                .description("Access-log rows the registry refused as malformed (kept, not resent)").register(meters);
        Gauge.builder("access_log_outbox_pending", pending, AtomicLong::get)
                .description("Access-log rows not yet delivered to the registry").register(meters);
        Gauge.builder("access_log_outbox_oldest_pending_seconds", oldestPendingSeconds, AtomicLong::get)
                .description("Age of the oldest access-log row not yet delivered").register(meters);
    }

    /**
     * Scheduled every {@code access-log.outbox.interval}: "off" unless a service that keeps the outbox sets it (the
     * registry, which writes its log directly, never does; tests drive {@link #deliver} by hand).
     */
    @Scheduled(every = "${access-log.outbox.interval:off}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP,
            skipExecutionIf = Scheduled.ApplicationNotRunning.class)
    void run() {
        deliver();
    }

    /** One run: batches until the outbox is empty (or {@code batchesPerRun}); returns how many rows were delivered. */
    public int deliver() {
        int delivered = 0;
        try {
            for (int i = 0; i < batchesPerRun; i++) {
                String token = UUID.randomUUID().toString();
                List<AccessLogOutboxRow> batch = claim(token);
                if (batch.isEmpty()) {
                    break;
                }
                int sent = send(token, batch);
                delivered += sent;
                if (sent < batch.size() || batch.size() < batchSize) {
                    break;
                }
            }
        } finally {
            measure();
        }
        return delivered;
    }

    private List<AccessLogOutboxRow> claim(String token) {
        return QuarkusTransaction.requiringNew().call(() -> {
            OffsetDateTime now = OffsetDateTime.now();
            List<Long> ids = em.createQuery("select r.id from AccessLogOutboxRow r where r.rejectedAt is null "
                            + "and (r.leaseUntil is null or r.leaseUntil < :now) order by r.id", Long.class)
                    .setParameter("now", now).setMaxResults(batchSize).getResultList();
            if (ids.isEmpty()) {
                return List.of();
            }
            // The conditions are checked again by the update itself: of two senders that read the same ids, the
            // second one's update finds them leased (PostgreSQL re-reads a row a concurrent update changed).
            em.createQuery("update AccessLogOutboxRow r set r.leaseToken = :t, r.leaseUntil = :u, r.attempts = r.attempts + 1 "
                            + "where r.id in :ids and r.rejectedAt is null and (r.leaseUntil is null or r.leaseUntil < :now)")
                    .setParameter("t", token).setParameter("u", now.plus(lease)).setParameter("ids", ids)
                    .setParameter("now", now).executeUpdate();
            return em.createQuery("from AccessLogOutboxRow r where r.leaseToken = :t order by r.id", AccessLogOutboxRow.class)
                    .setParameter("t", token).getResultList();
        });
    }

    /** Sends a claimed batch; returns how many of its rows the registry now has. */
    private int send(String token, List<AccessLogOutboxRow> batch) {
        try {
            transport().send(batch.stream().map(AccessLogSender::record).toList());
            delivered(token, batch);
            return batch.size();
        } catch (AccessLogTransport.Rejected refused) {
            return batch.size() == 1 ? reject(token, batch.get(0)) : oneByOne(token, batch);
        } catch (RuntimeException e) {
            // The type only: a transport's message may quote the answer's body.
            LOG.warnf("access-log delivery to the registry failed (%s); %d row(s) wait for a retry", e.getClass().getSimpleName(), batch.size());
            backOff(token, batch.get(0).attempts);
            return 0;
        }
    }

    private int oneByOne(String token, List<AccessLogOutboxRow> batch) {
        int done = 0;
        for (AccessLogOutboxRow row : batch) {
            try {
                transport().send(List.of(record(row)));
                delivered(token, List.of(row));
                done++;
            } catch (AccessLogTransport.Rejected refused) {
                reject(token, row);
                done++;
            } catch (RuntimeException e) {
                LOG.warnf("access-log delivery to the registry failed (%s); rows wait for a retry", e.getClass().getSimpleName());
                backOff(token, row.attempts);
                break;
            }
        }
        return done;
    }

    private void delivered(String token, List<AccessLogOutboxRow> rows) {
        List<Long> ids = rows.stream().map(r -> r.id).toList();
        QuarkusTransaction.requiringNew().run(() -> em.createQuery("delete from AccessLogOutboxRow r where r.id in :ids and r.leaseToken = :t")
                .setParameter("ids", ids).setParameter("t", token).executeUpdate());
        OffsetDateTime now = OffsetDateTime.now();
        for (AccessLogOutboxRow row : rows) {
            Duration late = Duration.between(row.at, now);
            lateness.record(late.isNegative() ? Duration.ZERO : late);
        }
    }

    private int reject(String token, AccessLogOutboxRow row) {
        LOG.warnf("the registry refused access-log row %d as malformed; it is kept in the outbox and not sent again", row.id);
        rejected.increment();
        QuarkusTransaction.requiringNew().run(() -> em.createQuery("update AccessLogOutboxRow r set r.rejectedAt = :now, "
                        + "r.leaseToken = null, r.leaseUntil = null where r.id = :id and r.leaseToken = :t")
                .setParameter("now", OffsetDateTime.now()).setParameter("id", row.id).setParameter("t", token).executeUpdate());
        return 0;
    }

    /** Exponential from one second (attempts already counts this one), at most {@code maxBackoff}. */
    private void backOff(String token, int attempts) {
        Duration wait = Duration.ofSeconds(1L << Math.min(20, Math.max(0, attempts - 1)));
        OffsetDateTime retryAt = OffsetDateTime.now().plus(wait.compareTo(maxBackoff) > 0 ? maxBackoff : wait);
        QuarkusTransaction.requiringNew().run(() -> em.createQuery("update AccessLogOutboxRow r set r.leaseUntil = :u, "
                        + "r.leaseToken = null where r.leaseToken = :t")
                .setParameter("u", retryAt).setParameter("t", token).executeUpdate());
    }

    private void measure() {
        try {
            Object[] stats = QuarkusTransaction.requiringNew().call(() -> em.createQuery(
                    "select count(r), min(r.at) from AccessLogOutboxRow r where r.rejectedAt is null", Object[].class).getSingleResult());
            pending.set(((Number) stats[0]).longValue());
            OffsetDateTime oldest = (OffsetDateTime) stats[1];
            oldestPendingSeconds.set(oldest == null ? 0 : Math.max(0, Duration.between(oldest, OffsetDateTime.now()).toSeconds()));
        } catch (RuntimeException e) {
            LOG.debugf("access-log outbox not measured (%s)", e.getClass().getSimpleName());
        }
    }

    private AccessLogTransport transport() {
        return transport.get();
    }

    private static AccessRecord record(AccessLogOutboxRow r) {
        return new AccessRecord(r.id, r.linkCode, r.clientId, r.role, r.action, r.purpose, r.fields, r.at);
    }
}
