package org.myna.registry.outbox;

import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;

import java.time.OffsetDateTime;

/** A subscriber's receiving endpoint. It gets only its own link code for the resident, never the number. */
@Path("/api/events")
public interface EventsApi {

    record EventMessage(String eventId, String type, String linkCode, OffsetDateTime occurredAt) {
    }

    @POST
    void deliver(@HeaderParam("Authorization") String bearer, EventMessage message);
}
