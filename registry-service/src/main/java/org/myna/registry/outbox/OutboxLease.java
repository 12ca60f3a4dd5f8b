package org.myna.registry.outbox;

import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.OffsetDateTime;
import java.util.UUID;

/**
 * The dispatcher's lease (table outbox_lease): one registry replica dispatches at a time, so per-resident order and
 * each subscriber's low watermark have a single author. Taking or renewing it is one conditional UPDATE, atomic in
 * the database; a replica that stops renewing loses it after {@code registry.outbox.lease}. Replicas' clocks must
 * agree to well within the lease (NTP), as for the tokens' lifetimes.
 */
@ApplicationScoped
public class OutboxLease {

    static final String DISPATCHER = "dispatcher";

    private final String holder = UUID.randomUUID().toString();
    private final OutboxConfig config;
    /** Until when this replica's last renewal holds it, by its own clock; null when it does not hold the lease. */
    private volatile OffsetDateTime heldUntil;

    public OutboxLease(OutboxConfig config) {
        this.config = config;
    }

    /**
     * Takes the lease if it is free or expired, or renews it if held here; true if this replica now holds it. A lease
     * with more than half its term left is not renewed (an idle dispatcher writes twice a term, not every pass).
     */
    public boolean acquire() {
        OffsetDateTime now = OffsetDateTime.now();
        OffsetDateTime held = heldUntil;
        if (held != null && now.isBefore(held.minus(config.lease().dividedBy(2)))) {
            return true;
        }
        OffsetDateTime until = now.plus(config.lease());
        boolean taken = QuarkusTransaction.requiringNew().call(() -> LeaseRow.getEntityManager().createQuery(
                        "update LeaseRow l set l.holder = :holder, l.expiresAt = :until "
                                + "where l.name = :name and (l.holder = :holder or l.expiresAt < :now)")
                .setParameter("holder", holder)
                .setParameter("until", until)
                .setParameter("name", DISPATCHER)
                .setParameter("now", now)
                .executeUpdate() == 1);
        heldUntil = taken ? until : null;
        return taken;
    }

    /** Gives the lease up at shutdown, so that another replica need not wait for it to expire. */
    public void release() {
        heldUntil = null;
        QuarkusTransaction.requiringNew().run(() -> LeaseRow.getEntityManager().createQuery(
                        "update LeaseRow l set l.expiresAt = :past where l.name = :name and l.holder = :holder")
                .setParameter("past", OffsetDateTime.parse("1970-01-01T00:00:00Z"))
                .setParameter("name", DISPATCHER)
                .setParameter("holder", holder)
                .executeUpdate());
    }

    public String holder() {
        return holder;
    }
}
