package org.myna.insurance.event;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.annotation.security.RolesAllowed;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.jwt.JsonWebToken;
import org.myna.insurance.auth.Roles;
import org.myna.insurance.cardreplica.CardReplica;
import org.myna.platform.cardstanding.CardStandingFeed;
import org.myna.platform.cardstanding.CardStandings;
import org.myna.platform.problem.Problem;

import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;

/**
 * Receives the registry's outbox events. Only the registry may send them; each is applied once by event id (the
 * primary key of received_event settles concurrent redeliveries).
 */
@Path("/api/events")
@RolesAllowed(Roles.SERVICE)
public class EventResource {

    static final String REGISTRY = CardStandingFeed.REGISTRY;
    static final Set<String> REVERIFY = Set.of("resident-renamed", "resident-moved", "resident-deceased");

    private final JsonWebToken jwt;
    private final EntityManager em;
    private final CardStandings standings;

    private final CardStandingFeed feed;
    private final CardReplica replica;

    public EventResource(JsonWebToken jwt, EntityManager em, CardStandings standings, CardStandingFeed feed, CardReplica replica) {
        this.replica = replica;
        this.jwt = jwt;
        this.feed = feed;
        this.em = em;
        this.standings = standings;
    }

    /**
     * A tolerant reader: the registry may add fields to its events before this service reads them. {@code facts} is the
     * registry's event schema, filled in eligibility-facts events for the wallet only; declared so the contract says so.
     */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record EventMessage(@NotBlank @Size(max = 36) String eventId, @NotBlank @Size(max = 32) String type,
                               @NotBlank @Size(max = 32) String linkCode, @NotNull OffsetDateTime occurredAt,
                               @Size(min = 1, max = 64) String cardRef,
                               @Pattern(regexp = "[0-9a-f]{64}") String certificateHash,
                               @Pattern(regexp = "issued|active|suspended|revoked") String cardStatus,
                               EligibilityFacts facts) {
    }

    /** An eligibility-facts event's content (the wallet's); never sent here. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record EligibilityFacts(Long sequence, Boolean cardActive, Boolean publicFundAccount) {
    }

    @APIResponse(responseCode = "204", description = "The watermark is recorded")
    @POST
    @Path("watermark")
    public Response watermark(@NotNull @Valid CardStandingFeed.Watermark message) {
        feed.receive(jwt.getSubject(), message);
        return Response.noContent().build();
    }

    /** What has been applied, for auditors: events (one per event id), members marked, events by type. */
    public record ReceivedSummary(long events, long membersMarked, Map<String, Long> byType) {
    }

    /**
     * Read-only audit of the events applied so far. Compared with the registry's outbox counts it shows that every
     * delivered event was applied, and once: a redelivery adds neither an event nor a marked member.
     */
    @GET
    @Path("received")
    @RolesAllowed(Roles.AUDITOR)
    @Produces(MediaType.APPLICATION_JSON)
    @Transactional
    public ReceivedSummary received() {
        List<Object[]> rows = em.createQuery("select e.type, count(e), coalesce(sum(e.members), 0) from ReceivedEvent e group by e.type",
                Object[].class).getResultList();
        Map<String, Long> byType = new TreeMap<>();
        long events = 0;
        long members = 0;
        for (Object[] row : rows) {
            long count = ((Number) row[1]).longValue();
            byType.put((String) row[0], count);
            events += count;
            members += ((Number) row[2]).longValue();
        }
        return new ReceivedSummary(events, members, byType);
    }

    @APIResponse(responseCode = "204", description = "The event is applied (or was already)")
    @POST
    public Response receive(@NotNull @Valid EventMessage event) {
        if (!REGISTRY.equals(jwt.getSubject())) {
            throw new Problem(403, "not-the-registry", "Only the registry sends events.");
        }
        try {
            QuarkusTransaction.requiringNew().run(() -> apply(event));
        } catch (RuntimeException e) {
            // A concurrent redelivery won the race on the primary key: the event is applied, once.
            if (!QuarkusTransaction.requiringNew().call(() -> ReceivedEvent.findById(event.eventId()) != null)) {
                throw e;
            }
        }
        return Response.noContent().build();
    }

    private void apply(EventMessage event) {
        if (ReceivedEvent.findById(event.eventId()) != null) {
            return;
        }
        int members = 0;
        if (REVERIFY.contains(event.type())) {
            // Coverage answers keep working; the mark tells the insurer and the reconciliation to look again.
            members = em.createQuery("update Member m set m.reverificationReason = :reason, m.reverificationSince = :at "
                            + "where m.linkCode = :code")
                    .setParameter("reason", event.type()).setParameter("at", event.occurredAt())
                    .setParameter("code", event.linkCode()).executeUpdate();
        }
        // Card events void the resident tokens made with that card, from this transaction's commit on.
        standings.apply(event.type(), event.linkCode(), event.cardRef(), event.occurredAt());
        // and update the card replica that answers clinics' card checks.
        replica.apply(event.type(), event.certificateHash(), event.linkCode(), event.cardStatus(), event.occurredAt());
        ReceivedEvent received = new ReceivedEvent();
        received.eventId = event.eventId();
        received.type = event.type();
        received.occurredAt = event.occurredAt();
        received.receivedAt = OffsetDateTime.now();
        received.members = members;
        received.persist();
        received.flush();
    }
}
