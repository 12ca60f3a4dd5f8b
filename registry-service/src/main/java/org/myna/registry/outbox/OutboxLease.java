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

    public OutboxLease(OutboxConfig config) {
        this.config = config;
    }

    /** Takes the lease if it is free or expired, or renews it if held here; true if this replica now holds it. */
    public boolean acquire() {
        OffsetDateTime now = OffsetDateTime.now();
        return QuarkusTransaction.requiringNew().call(() -> LeaseRow.getEntityManager().createQuery(
                        "update LeaseRow l set l.holder = :holder, l.expiresAt = :until "
                                + "where l.name = :name and (l.holder = :holder or l.expiresAt < :now)")
                .setParameter("holder", holder)
                .setParameter("until", now.plus(config.lease()))
                .setParameter("name", DISPATCHER)
                .setParameter("now", now)
                .executeUpdate() == 1);
    }

    /** Gives the lease up at shutdown, so that another replica need not wait for it to expire. */
    public void release() {
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
