package org.myna.registry.cardlogin;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import org.myna.platform.lease.Lease;

import java.time.Duration;
import java.time.OffsetDateTime;

/**
 * Spent and stale card-login challenges and device authorisations are kept a day for diagnosis, then dropped. Once an
 * hour on one replica: a platform {@link Lease} (job_lease) held for the hour lets the replica that took it purge and
 * the others' timers pass, instead of every replica deleting the same rows each hour.
 */
@ApplicationScoped
public class CardLoginPurge {

    static final String JOB = "purge-card-login";
    static final Duration PERIOD = Duration.ofHours(1);
    static final Duration KEPT = Duration.ofDays(1);

    private final Lease lease;

    public CardLoginPurge(EntityManager em) {
        this.lease = new Lease(em, "job_lease", JOB, PERIOD);
    }

    @Scheduled(every = "1h", delayed = "10m", skipExecutionIf = Scheduled.ApplicationNotRunning.class)
    void scheduled() {
        purge();
    }

    /** Purges unless another replica holds this hour's lease; true if this one purged. */
    boolean purge() {
        if (!lease.acquire()) {
            return false;
        }
        OffsetDateTime before = OffsetDateTime.now().minus(KEPT);
        QuarkusTransaction.requiringNew().run(() -> {
            AuthChallenge.delete("expiresAt < ?1", before);
            DeviceAuthorization.delete("expiresAt < ?1", before);
        });
        return true;
    }
}
