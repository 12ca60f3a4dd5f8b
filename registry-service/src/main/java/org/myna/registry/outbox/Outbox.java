package org.myna.registry.outbox;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.transaction.Transactional;
import org.myna.registry.resident.ResidentChanged;

import java.time.OffsetDateTime;
import java.util.UUID;

/**
 * Writes an event and one pending delivery per subscriber in the caller's transaction: the change and the news of
 * it commit together or not at all.
 */
@ApplicationScoped
public class Outbox {

    public static final String CARD_REVOKED = "card-revoked";
    public static final String CARD_SUSPENDED = "card-suspended";
    public static final String CARD_RESUMED = "card-resumed";
    public static final String SEAL_DEREGISTERED = "seal-deregistered";

    private final OutboxConfig config;

    public Outbox(OutboxConfig config) {
        this.config = config;
    }

    @Transactional(Transactional.TxType.MANDATORY)
    public void publish(long residentId, String type) {
        publish(residentId, type, null);
    }

    /** A card event names the card (by its authentication certificate) so that receivers void that card's tokens. */
    @Transactional(Transactional.TxType.MANDATORY)
    public void publish(long residentId, String type, String cardSerial) {
        OutboxEvent event = new OutboxEvent();
        event.cardSerial = cardSerial;
        event.eventId = UUID.randomUUID().toString();
        event.residentId = residentId;
        event.type = type;
        event.occurredAt = OffsetDateTime.now();
        event.persist();
        for (String subscriber : config.subscribers().keySet()) {
            OutboxDelivery delivery = new OutboxDelivery();
            delivery.key = new OutboxDelivery.Key(event.id, subscriber);
            delivery.residentId = residentId;
            delivery.status = OutboxDelivery.PENDING;
            delivery.attempts = 0;
            delivery.nextAttemptAt = event.occurredAt;
            delivery.persist();
        }
    }

    void onResidentChanged(@Observes ResidentChanged change) {
        publish(change.residentId(), switch (change.kind()) {
            case MOVED -> "resident-moved";
            case RENAMED -> "resident-renamed";
            case DECEASED -> "resident-deceased";
        });
    }
}
