package org.myna.registry.outbox;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.transaction.Transactional;
import org.myna.registry.resident.ResidentChanged;

import java.time.OffsetDateTime;
import java.util.Collection;
import java.util.List;
import java.util.Map;
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
    /** For card-state subscribers only ({@link OutboxConfig.Subscriber#cardStates()}). */
    public static final String CARD_ISSUED = "card-issued";
    public static final String CARD_ACTIVATED = "card-activated";
    /**
     * For card-state subscribers only: the card's standing as of delivery (read by the dispatcher then), sent when
     * the subscriber's link code for the holder is created, so that it learns the cards issued before it could hear.
     */
    public static final String CARD_STANDING = "card-standing";
    /**
     * For eligibility-facts subscribers only (the wallet): the person's facts a grant needs, read when the event is
     * delivered (so a change committed meanwhile is never lost, and a later change has its own event). Published in
     * every transaction that may change one (a card activated or revoked, a public-fund account registered) and when
     * the subscriber's link code for the person is created.
     */
    public static final String ELIGIBILITY_FACTS = "eligibility-facts";

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
        publish(residentId, type, cardSerial, config.subscribers().keySet());
    }

    /** A card event only the subscribers that keep card states hear of (card issued, activated). */
    @Transactional(Transactional.TxType.MANDATORY)
    public void publishCardState(long residentId, String type, String cardSerial) {
        List<String> subscribers = config.subscribers().entrySet().stream().filter(s -> s.getValue().cardStates())
                .map(Map.Entry::getKey).toList();
        if (!subscribers.isEmpty()) {
            publish(residentId, type, cardSerial, subscribers);
        }
    }

    /** True if this audience is a subscriber that keeps card states. */
    public boolean keepsCardStates(String audience) {
        OutboxConfig.Subscriber subscriber = config.subscribers().get(audience);
        return subscriber != null && subscriber.cardStates();
    }

    /** An eligibility-facts event for every subscriber that keeps them (see {@link #ELIGIBILITY_FACTS}). */
    @Transactional(Transactional.TxType.MANDATORY)
    public void publishEligibilityFacts(long residentId) {
        List<String> subscribers = config.subscribers().entrySet().stream().filter(s -> s.getValue().eligibilityFacts())
                .map(Map.Entry::getKey).toList();
        if (!subscribers.isEmpty()) {
            publish(residentId, ELIGIBILITY_FACTS, null, subscribers);
        }
    }

    /** True if this audience is a subscriber that keeps eligibility facts. */
    public boolean keepsEligibilityFacts(String audience) {
        OutboxConfig.Subscriber subscriber = config.subscribers().get(audience);
        return subscriber != null && subscriber.eligibilityFacts();
    }

    /** An eligibility-facts event for one subscriber, when its link code for the person is created. */
    @Transactional(Transactional.TxType.MANDATORY)
    public void publishEligibilityFacts(long residentId, String subscriber) {
        publish(residentId, ELIGIBILITY_FACTS, null, List.of(subscriber));
    }

    /** A card-standing event for one subscriber (see {@link #CARD_STANDING}). */
    @Transactional(Transactional.TxType.MANDATORY)
    public void publishCardStanding(long residentId, String cardSerial, String subscriber) {
        publish(residentId, CARD_STANDING, cardSerial, List.of(subscriber));
    }

    private void publish(long residentId, String type, String cardSerial, Collection<String> subscribers) {
        OutboxEvent event = new OutboxEvent();
        event.cardSerial = cardSerial;
        event.eventId = UUID.randomUUID().toString();
        event.residentId = residentId;
        event.type = type;
        event.occurredAt = OffsetDateTime.now();
        event.persist();
        for (String subscriber : subscribers) {
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
