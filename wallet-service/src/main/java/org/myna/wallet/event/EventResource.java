package org.myna.wallet.event;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.jwt.JsonWebToken;
import org.myna.platform.cardstanding.CardStandingFeed;
import org.myna.platform.cardstanding.CardStandings;
import org.myna.platform.problem.Problem;
import org.myna.wallet.auth.Roles;
import org.myna.wallet.eligibility.EligibilityFacts;

import java.time.OffsetDateTime;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.extensions.Extension;

/**
 * Receives the registry's outbox events and keeps them, once each by event id, as the wallet's record of what it
 * was told about a person (by its own link code). Card events void the tokens made with that card
 * ({@link CardStandings}) and eligibility-facts events update the copy grants decide from ({@link EligibilityFacts}),
 * in the transaction that records the event; a grant uses the copy only while the feed is fresh, else it asks.
 */
@Path("/api/events")
@RolesAllowed(Roles.SERVICE)
public class EventResource {

    static final String REGISTRY = CardStandingFeed.REGISTRY;

    private final JsonWebToken jwt;
    private final CardStandings standings;

    private final CardStandingFeed feed;
    private final EligibilityFacts facts;

    public EventResource(JsonWebToken jwt, CardStandings standings, CardStandingFeed feed, EligibilityFacts facts) {
        this.facts = facts;
        this.jwt = jwt;
        this.feed = feed;
        this.standings = standings;
    }

    /**
     * A tolerant reader: the registry may add fields to its events before this service reads them. The card's
     * certificate hash and status are the registry's event schema, filled for card-state subscribers (the insurance
     * service's replica) only; they are declared here so the contract says so, and the wallet does not use them.
     * {@code facts} comes with an eligibility-facts event, and only with it.
     */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record EventMessage(@NotBlank @Size(max = 36) String eventId, @NotBlank @Size(max = 32) String type,
                               @NotBlank @Size(max = 32) String linkCode, @NotNull OffsetDateTime occurredAt,
                               @Size(min = 1, max = 64) String cardRef,
                               @Size(max = 64) String certificateHash, @Size(max = 16) String cardStatus,
                               @Valid EligibilityFacts.Facts facts) {
    }

    @APIResponse(responseCode = "204", description = "The watermark is recorded")
    @POST
    @Path("watermark")
    public Response watermark(@NotNull @Valid CardStandingFeed.Watermark message) {
        feed.receive(jwt.getSubject(), message);
        return Response.noContent().build();
    }

    @APIResponse(responseCode = "204", description = "The event is applied (or was already)")
    @Extension(name = "x-refusals", value = "400 facts-required")
    @POST
    public Response receive(@NotNull @Valid EventMessage event) {
        if (!REGISTRY.equals(jwt.getSubject())) {
            throw new Problem(403, "not-the-registry", "Only the registry sends events.");
        }
        if (EligibilityFacts.EVENT.equals(event.type()) && event.facts() == null) {
            throw Problem.invalidField("facts", "facts-required", "An eligibility-facts event carries its facts.");
        }
        try {
            record(event);
        } catch (RuntimeException e) {
            // A concurrent delivery won a race on a primary key (this event's id, or the person's first facts row):
            // run it once more, when it finds the winner's row.
            if (!QuarkusTransaction.requiringNew().call(() -> ReceivedEvent.findById(event.eventId()) != null)) {
                record(event);
            }
        }
        return Response.noContent().build();
    }

    private void record(EventMessage event) {
        QuarkusTransaction.requiringNew().run(() -> {
                if (ReceivedEvent.findById(event.eventId()) == null) {
                    ReceivedEvent received = new ReceivedEvent();
                    received.eventId = event.eventId();
                    received.type = event.type();
                    received.linkCode = event.linkCode();
                    received.occurredAt = event.occurredAt();
                    received.receivedAt = OffsetDateTime.now();
                    received.persist();
                    standings.apply(event.type(), event.linkCode(), event.cardRef(), event.occurredAt());
                    if (EligibilityFacts.EVENT.equals(event.type())) {
                        facts.apply(event.linkCode(), event.facts());
                    }
                    received.flush();
                }
            });
    }
}
