package org.myna.registry.exchange;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import org.eclipse.microprofile.rest.client.inject.RegisterRestClient;

/** The part of the insurance service's API the exchange reads. */
@RegisterRestClient(configKey = "insurance")
@Path("/api/links")
interface InsuranceApi {

    // Tolerant reader: a field the other service adds later must not break this one.
    @com.fasterxml.jackson.annotation.JsonIgnoreProperties(ignoreUnknown = true)
    record LinkAnswer(boolean linked) {
    }

    @GET
    @Path("{linkCode}")
    LinkAnswer link(@PathParam("linkCode") String insuranceLinkCode, @HeaderParam("Authorization") String bearer);
}
