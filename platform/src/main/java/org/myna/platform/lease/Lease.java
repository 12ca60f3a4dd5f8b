package org.myna.platform.lease;

import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.persistence.EntityManager;

import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.UUID;

/**
 * A named lease in one of a service's lease tables ({@code name} primary key, {@code holder}, {@code expires_at}): one
 * replica at a time holds it, so a job it guards runs on one replica at a time. Taking or renewing it is one
 * conditional UPDATE, atomic in the database (an absent row is inserted with {@code on conflict do nothing}, so a new
 * lease needs no migration); a replica that stops renewing loses it once its term ends. Portable between PostgreSQL
 * and H2 (an advisory lock would tie the suite to PostgreSQL and to one connection held for the whole job). Replicas'
 * clocks must agree to well within the term (NTP), as for the tokens' lifetimes.
 */
public final class Lease {

    private static final OffsetDateTime PAST = OffsetDateTime.parse("1970-01-01T00:00:00Z");

    private final EntityManager em;
    private final String name;
    private final Duration term;
    private final String holder = UUID.randomUUID().toString();
    private final String take;
    private final String insert;
    private final String giveUp;
    /** Until when this holder's last renewal holds it, by its own clock; null when it does not hold the lease. */
    private volatile OffsetDateTime heldUntil;

    /**
     * @param table a table of the service's own schema (see {@code job_lease} in its migrations)
     * @param term  how long a taking or renewal holds the lease; a holder that dies frees it this long after its last
     *              renewal at the latest
     */
    public Lease(EntityManager em, String table, String name, Duration term) {
        this.em = em;
        this.name = name;
        this.term = term;
        this.take = "update {h-schema}" + table + " set holder = ?1, expires_at = ?2 where name = ?3 and (holder = ?1 or expires_at < ?4)";
        this.insert = "insert into {h-schema}" + table + " (name, holder, expires_at) values (?1, ?2, ?3) on conflict do nothing";
        this.giveUp = "update {h-schema}" + table + " set expires_at = ?1 where name = ?2 and holder = ?3";
    }

    /**
     * Takes the lease if it is free or expired, or renews it if held here; true if this holder now holds it. A lease
     * with more than half its term left is not renewed (a frequent caller writes twice a term, not every call).
     */
    public boolean acquire() {
        OffsetDateTime now = OffsetDateTime.now();
        OffsetDateTime held = heldUntil;
        if (held != null && now.isBefore(held.minus(term.dividedBy(2)))) {
            return true;
        }
        OffsetDateTime until = now.plus(term);
        boolean taken = QuarkusTransaction.requiringNew().call(() -> em.createNativeQuery(take)
                .setParameter(1, holder).setParameter(2, until).setParameter(3, name).setParameter(4, now)
                .executeUpdate() == 1
                // Never taken before: the first insert wins; a concurrent one waits for it and then inserts nothing.
                || em.createNativeQuery(insert).setParameter(1, name).setParameter(2, holder).setParameter(3, until)
                .executeUpdate() == 1);
        heldUntil = taken ? until : null;
        return taken;
    }

    /** Gives the lease up (at shutdown), so that another replica need not wait for it to expire. */
    public void release() {
        heldUntil = null;
        QuarkusTransaction.requiringNew().run(() -> em.createNativeQuery(giveUp)
                .setParameter(1, PAST).setParameter(2, name).setParameter(3, holder).executeUpdate());
    }

    public String holder() {
        return holder;
    }

    public String name() {
        return name;
    }
}
