package org.myna.registry.outbox;

import jakarta.annotation.security.RolesAllowed;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import org.myna.registry.auth.Roles;

import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;

/** The outbox backlog and each subscriber's lag, for auditors and operators. */
@Path("/api/outbox")
@RolesAllowed(Roles.AUDITOR)
public class OutboxResource {

    private final EntityManager em;
    private final OutboxConfig config;

    public OutboxResource(EntityManager em, OutboxConfig config) {
        this.em = em;
        this.config = config;
    }

    public record SubscriberLag(String subscriber, long pending, long delivered, long skipped, Long oldestPendingSeconds,
                                String lastError) {
    }

    @GET
    @Transactional
    public List<SubscriberLag> backlog() {
        List<SubscriberLag> result = new ArrayList<>();
        for (String subscriber : config.subscribers().keySet().stream().sorted().toList()) {
            long pending = count(subscriber, OutboxDelivery.PENDING);
            OffsetDateTime oldest = em.createQuery("select min(e.occurredAt) from OutboxDelivery d, OutboxEvent e "
                            + "where e.id = d.key.eventRef and d.key.subscriber = :s and d.status = 'pending'", OffsetDateTime.class)
                    .setParameter("s", subscriber).getSingleResult();
            String lastError = em.createQuery("select d.lastError from OutboxDelivery d where d.key.subscriber = :s "
                            + "and d.status = 'pending' and d.lastError is not null order by d.key.eventRef", String.class)
                    .setParameter("s", subscriber).setMaxResults(1).getResultStream().findFirst().orElse(null);
            result.add(new SubscriberLag(subscriber, pending, count(subscriber, OutboxDelivery.DELIVERED),
                    count(subscriber, OutboxDelivery.SKIPPED),
                    oldest == null ? null : Duration.between(oldest, OffsetDateTime.now()).toSeconds(), lastError));
        }
        return result;
    }

    private long count(String subscriber, String status) {
        return em.createQuery("select count(d) from OutboxDelivery d where d.key.subscriber = :s and d.status = :st", Long.class)
                .setParameter("s", subscriber).setParameter("st", status).getSingleResult();
    }
}
