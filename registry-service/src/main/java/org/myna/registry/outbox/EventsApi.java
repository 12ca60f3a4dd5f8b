package org.myna.registry.outbox;

import com.fasterxml.jackson.annotation.JsonInclude;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;

import java.time.OffsetDateTime;

/**
 * A subscriber's receiving endpoint. It gets only its own link code for the resident, never the number; card events
 * also carry {@code cardRef}, the card's reference for that subscriber (as in its resident tokens' card claim); for a
 * subscriber that keeps card states also {@code certificateHash} (SHA-256, hex, of the authentication certificate's
 * DER, which the subscriber computes from a card it is shown) and, in a card-standing event, {@code cardStatus}
 * (issued, active, suspended or revoked, as of delivery); an eligibility-facts event carries {@code facts}, for the
 * subscribers that keep them (the wallet).
 */
@Path("/api/events")
public interface EventsApi {

    @JsonInclude(JsonInclude.Include.NON_NULL)
    record EventMessage(String eventId, String type, String linkCode, OffsetDateTime occurredAt, String cardRef,
                        String certificateHash, String cardStatus, EligibilityFacts facts) {
        EventMessage(String eventId, String type, String linkCode, OffsetDateTime occurredAt, String cardRef) {
            this(eventId, type, linkCode, occurredAt, cardRef, null, null, null);
        }
    }

    /**
     * An eligibility-facts event's content, as of its delivery: {@code sequence} grows with every read (a higher one
     * was read later), so a receiver keeps the facts of the highest sequence it got, whatever order they arrive in.
     */
    record EligibilityFacts(long sequence, boolean cardActive, boolean publicFundAccount) {
    }

    @POST
    void deliver(@HeaderParam("Authorization") String bearer, EventMessage message);

    /**
     * The subscriber's low watermark: every event committed before {@code watermark} has been delivered to it.
     * {@code asOf} is when the registry computed it (the registry's clock): the subscriber adds its own clock's time
     * since receipt to {@code asOf - watermark} and never compares the two clocks.
     */
    record Watermark(OffsetDateTime watermark, OffsetDateTime asOf) {
    }

    @POST
    @Path("watermark")
    void watermark(@HeaderParam("Authorization") String bearer, Watermark watermark);
}
