package org.myna.registry.outbox;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.rest.client.reactive.QuarkusRestClientBuilder;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.jboss.logging.Logger;
import org.myna.platform.hash.Sha256;
import org.myna.registry.auth.CardRefs;
import org.myna.registry.ca.Pems;
import org.myna.registry.auth.TokenService;
import org.myna.registry.exchange.EligibilityFacts;
import org.myna.registry.linkcode.LinkCodeService;

import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Delivers pending events to each subscriber over REST, oldest first, with exponential back-off. A resident's
 * events go out in order: once one of them waits for a retry, that resident's later events wait behind it.
 * Delivery is at least once; receivers are idempotent by eventId. No transaction is held across a call.
 * Only the replica holding the {@link OutboxLease} dispatches; after each pass it sends every subscriber its low
 * watermark, by which a subscriber knows how current its copy of the card events is (DESIGN §6.7: fail closed).
 */
@ApplicationScoped
public class OutboxDispatcher {

    private static final Logger LOG = Logger.getLogger(OutboxDispatcher.class);

    private final OutboxConfig config;
    private final LinkCodeService linkCodes;
    private final TokenService tokens;
    private final CardRefs cardRefs;
    private final Map<String, EventsApi> clients = new ConcurrentHashMap<>();
    private final Map<String, String> tokenByAudience = new ConcurrentHashMap<>();
    private final Map<String, Instant> renewAt = new ConcurrentHashMap<>();

    private final OutboxLease lease;
    private final MeterRegistry meters;
    private final Map<String, AtomicLong> lag = new ConcurrentHashMap<>();
    private final EligibilityFacts facts;

    public OutboxDispatcher(OutboxConfig config, LinkCodeService linkCodes, TokenService tokens, CardRefs cardRefs,
                            OutboxLease lease, MeterRegistry meters, EligibilityFacts facts) {
        this.facts = facts;
        this.lease = lease;
        this.meters = meters;
        this.cardRefs = cardRefs;
        this.config = config;
        this.linkCodes = linkCodes;
        this.tokens = tokens;
    }

    // The first pass waits a moment after start: its first-time work (REST clients, lease, queries) competed with the
    // start itself for the cores and delayed readiness; consumers meanwhile see a stale feed and ask the registry.
    @Scheduled(every = "${registry.outbox.interval:250ms}", delayed = "${registry.outbox.initial-delay:2s}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP, skipExecutionIf = Scheduled.ApplicationNotRunning.class)
    void tick() {
        if (!lease.acquire()) {
            return; // another replica dispatches
        }
        for (String subscriber : config.subscribers().keySet()) {
            try {
                OffsetDateTime passStart = OffsetDateTime.now();
                boolean nothingPending = dispatch(subscriber) < 0;
                client(subscriber).watermark("Bearer " + token(subscriber),
                        lowWatermark(subscriber, nothingPending ? passStart : null));
            } catch (RuntimeException e) {
                LOG.debugf("outbox dispatch to %s failed: %s", subscriber, e.getClass().getSimpleName());
            }
        }
    }

    void onStop(@Observes ShutdownEvent stop) {
        try {
            lease.release();
        } catch (RuntimeException e) {
            LOG.debugf("outbox lease not released: %s", e.getClass().getSimpleName());
        }
    }

    /**
     * The subscriber's low watermark: every event committed before it has been delivered (or skipped) to that
     * subscriber. It is the oldest undelivered event's time, one in back-off included, so a delivery that keeps
     * failing holds it back and the subscriber learns that it is behind; with nothing pending, the time of the query
     * less the commit-lag margin (an event stamped earlier may still be committing).
     */
    public EventsApi.Watermark lowWatermark(String subscriber) {
        return lowWatermark(subscriber, null);
    }

    /**
     * As {@link #lowWatermark(String)}; {@code nothingPendingAt}, when given, is a moment at which this pass found no
     * pending delivery, which spares the query: nothing committed before it is undelivered, so the watermark is that
     * moment less the commit lag (an idle dispatcher then costs one query per subscriber and pass).
     */
    EventsApi.Watermark lowWatermark(String subscriber, OffsetDateTime nothingPendingAt) {
        OffsetDateTime asOf = OffsetDateTime.now();
        OffsetDateTime oldestPending = nothingPendingAt != null ? null : QuarkusTransaction.requiringNew().call(() -> OutboxDelivery.getEntityManager()
                .createQuery("select min(e.occurredAt) from OutboxDelivery d, OutboxEvent e "
                        + "where d.key.subscriber = ?1 and d.status = ?2 and e.id = d.key.eventRef", OffsetDateTime.class)
                .setParameter(1, subscriber).setParameter(2, OutboxDelivery.PENDING)
                .getSingleResult());
        OffsetDateTime settled = (nothingPendingAt != null ? nothingPendingAt : asOf).minus(config.commitLag());
        OffsetDateTime watermark = oldestPending != null && oldestPending.isBefore(settled) ? oldestPending : settled;
        lag.computeIfAbsent(subscriber, s -> {
            AtomicLong millis = new AtomicLong();
            meters.gauge("myna.outbox.watermark.lag", Tags.of("subscriber", s), millis, AtomicLong::doubleValue);
            return millis;
        }).set(Duration.between(watermark, asOf).toMillis());
        return new EventsApi.Watermark(watermark, asOf);
    }

    /** Tells the subscriber its low watermark (after the pass's deliveries, so they count). */
    public void sendWatermark(String subscriber) {
        client(subscriber).watermark("Bearer " + token(subscriber), lowWatermark(subscriber));
    }

    /**
     * One pass over a subscriber's pending deliveries; returns how many were delivered or skipped, or -1 when none was
     * pending at the pass's start.
     */
    public int dispatch(String subscriber) {
        List<OutboxDelivery> pending = QuarkusTransaction.requiringNew().call(() -> OutboxDelivery
                .<OutboxDelivery>find("key.subscriber = ?1 and status = ?2 order by key.eventRef", subscriber, OutboxDelivery.PENDING)
                .page(0, config.batchSize()).list());
        if (pending.isEmpty()) {
            return -1;
        }
        Set<Long> waiting = new HashSet<>();
        OffsetDateTime now = OffsetDateTime.now();
        int done = 0;
        for (OutboxDelivery delivery : pending) {
            if (waiting.contains(delivery.residentId)) {
                continue;
            }
            if (delivery.nextAttemptAt.isAfter(now)) {
                waiting.add(delivery.residentId);
                continue;
            }
            if (attempt(subscriber, delivery)) {
                done++;
            } else {
                waiting.add(delivery.residentId);
            }
        }
        return done;
    }

    private boolean attempt(String subscriber, OutboxDelivery delivery) {
        OutboxEvent event = QuarkusTransaction.requiringNew().call(() -> OutboxEvent.findById(delivery.key.eventRef()));
        Optional<String> linkCode = QuarkusTransaction.requiringNew().call(() -> linkCodes.find(event.residentId, subscriber));
        if (linkCode.isEmpty()) {
            finish(delivery.key, OutboxDelivery.SKIPPED);
            return true;
        }
        try {
            String cardRef = event.cardSerial == null ? null : cardRefs.forAudience(subscriber, event.cardSerial);
            CardState card = event.cardSerial != null && config.subscribers().get(subscriber).cardStates()
                    ? QuarkusTransaction.requiringNew().call(() -> cardState(event.cardSerial)) : null;
            // Read now, after the change's commit: the facts as of delivery (see Outbox.ELIGIBILITY_FACTS).
            boolean factsEvent = Outbox.ELIGIBILITY_FACTS.equals(event.type);
            EventsApi.EligibilityFacts eligibility = factsEvent
                    ? QuarkusTransaction.requiringNew().call(() -> facts.read(event.residentId)) : null;
            client(subscriber).deliver("Bearer " + token(subscriber),
                    new EventsApi.EventMessage(event.eventId, event.type, linkCode.get(), event.occurredAt, cardRef,
                            card == null ? null : card.certificateHash(),
                            card == null || !Outbox.CARD_STANDING.equals(event.type) ? null : card.status(), eligibility));
            finish(delivery.key, OutboxDelivery.DELIVERED, factsEvent ? () -> facts.delivered(event.residentId) : null);
            return true;
        } catch (RuntimeException e) {
            retryLater(delivery.key, e.getClass().getSimpleName() + ": " + String.valueOf(e.getMessage()));
            return false;
        }
    }

    /** A card as a card-state subscriber knows it: its certificate's SHA-256 and its standing now. */
    record CardState(String certificateHash, String status) {
    }

    /** Read when the event is delivered: the standing of a card-standing event is the card's standing then. */
    private CardState cardState(String authSerial) {
        Object[] row = OutboxEvent.getEntityManager().createQuery("select t.pem, t.status, c.status, c.suspended "
                        + "from CardCertificate t, Card c where t.serial = :serial and c.id = t.cardRef", Object[].class)
                .setParameter("serial", authSerial).getSingleResult();
        String hash = Pems.parseCertificate((String) row[0]).map(OutboxDispatcher::der).map(Sha256::hex)
                .orElseThrow(() -> new IllegalStateException("stored certificate unreadable"));
        String status;
        if ("revoked".equals(row[1]) || "revoked".equals(row[2])) {
            status = "revoked";
        } else if ("active".equals(row[2])) {
            status = Boolean.TRUE.equals(row[3]) ? "suspended" : "active";
        } else {
            status = "issued";
        }
        return new CardState(hash, status);
    }

    private static byte[] der(java.security.cert.X509Certificate certificate) {
        try {
            return certificate.getEncoded();
        } catch (java.security.cert.CertificateEncodingException e) {
            throw new IllegalStateException(e);
        }
    }

    private void finish(OutboxDelivery.Key key, String status) {
        finish(key, status, null);
    }

    /** {@code also} runs in the same transaction (the access-log row of facts told to a subscriber). */
    private void finish(OutboxDelivery.Key key, String status, Runnable also) {
        QuarkusTransaction.requiringNew().run(() -> {
            if (also != null) {
                also.run();
            }
            OutboxDelivery d = OutboxDelivery.findById(key);
            d.status = status;
            d.attempts++;
            d.deliveredAt = OffsetDateTime.now();
            d.lastError = null;
        });
    }

    private void retryLater(OutboxDelivery.Key key, String error) {
        QuarkusTransaction.requiringNew().run(() -> {
            OutboxDelivery d = OutboxDelivery.findById(key);
            d.attempts++;
            long factor = 1L << Math.min(20, d.attempts - 1);
            Duration backoff = config.initialBackoff().multipliedBy(factor);
            if (backoff.compareTo(config.maxBackoff()) > 0) {
                backoff = config.maxBackoff();
            }
            d.nextAttemptAt = OffsetDateTime.now().plus(backoff);
            d.lastError = error.length() > 200 ? error.substring(0, 200) : error;
        });
    }

    private EventsApi client(String subscriber) {
        return clients.computeIfAbsent(subscriber, s -> QuarkusRestClientBuilder.newBuilder()
                .baseUri(URI.create(config.subscribers().get(s).url()))
                .connectTimeout(1, TimeUnit.SECONDS)
                .readTimeout(3, TimeUnit.SECONDS)
                .build(EventsApi.class));
    }

    private String token(String audience) {
        Instant renew = renewAt.getOrDefault(audience, Instant.EPOCH);
        if (Instant.now().isAfter(renew)) {
            TokenService.IssuedToken issued = tokens.sign("registry-service", Set.of(audience), Set.of("service"));
            tokenByAudience.put(audience, issued.accessToken());
            renewAt.put(audience, Instant.now().plusSeconds(issued.expiresIn() / 2));
        }
        return tokenByAudience.get(audience);
    }
}
