package org.myna.registry.outbox;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import org.myna.platform.lease.Lease;

/**
 * The dispatcher's lease (row {@value #DISPATCHER} of table outbox_lease, a platform {@link Lease}): one registry
 * replica dispatches at a time, so per-resident order and each subscriber's low watermark have a single author. A
 * replica that stops renewing loses it after {@code registry.outbox.lease}.
 */
@ApplicationScoped
public class OutboxLease {

    static final String DISPATCHER = "dispatcher";

    private final Lease lease;

    public OutboxLease(OutboxConfig config, EntityManager em) {
        this.lease = new Lease(em, "outbox_lease", DISPATCHER, config.lease());
    }

    /** Takes the lease if it is free or expired, or renews it if held here; true if this replica now holds it. */
    public boolean acquire() {
        return lease.acquire();
    }

    /** Gives the lease up at shutdown, so that another replica need not wait for it to expire. */
    public void release() {
        lease.release();
    }

    public String holder() {
        return lease.holder();
    }
}
