package org.myna.registry.card;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.persistence.EntityManager;
import org.myna.registry.linkcode.LinkCodeCreated;
import org.myna.registry.outbox.Outbox;

import java.util.List;

/**
 * When a subscriber that keeps card states gets its first link code for residents, it is told of their cards that are
 * not revoked (one card-standing event per authentication certificate, in the transaction that creates the codes):
 * their card-issued and card-activated events were skipped for it while it had no code. The standing itself is read
 * when the event is delivered, so a change committed meanwhile is never lost (a later change has its own event,
 * delivered after this one). A card revoked already is left out: unknown to the replica, it is asked of the registry.
 */
@ApplicationScoped
public class CardStandingSnapshot {

    private final Outbox outbox;
    private final EntityManager em;

    public CardStandingSnapshot(Outbox outbox, EntityManager em) {
        this.outbox = outbox;
        this.em = em;
    }

    void onLinkCodeCreated(@Observes LinkCodeCreated created) {
        if (!outbox.keepsCardStates(created.audience())) {
            return;
        }
        List<Object[]> certificates = em.createQuery("select c.residentId, t.serial from Card c, CardCertificate t "
                        + "where t.cardRef = c.id and t.type = :auth and c.status <> :revoked and c.residentId in :residents "
                        + "order by c.residentId, c.id", Object[].class)
                .setParameter("auth", CardCertificate.AUTHENTICATION).setParameter("revoked", Card.REVOKED)
                .setParameter("residents", created.residentIds()).getResultList();
        for (Object[] row : certificates) {
            outbox.publishCardStanding((Long) row[0], (String) row[1], created.audience());
        }
    }
}
