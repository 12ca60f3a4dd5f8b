package org.myna.registry.exchange;

import jakarta.ws.rs.POST;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.Path;
import org.eclipse.microprofile.rest.client.inject.RegisterRestClient;

/** The part of the insurance service's API the exchange reads. */
@RegisterRestClient(configKey = "insurance")
@Path("/api/links")
interface InsuranceApi {

    // Tolerant reader: a field the other service adds later must not break this one.
    @com.fasterxml.jackson.annotation.JsonIgnoreProperties(ignoreUnknown = true)
    record LinkAnswer(boolean linked) {
    }

    /** The link code travels in the body, never in a URL. */
    record LinkQuery(String linkCode) {
    }

    @POST
    @Path("lookup")
    LinkAnswer link(LinkQuery query, @HeaderParam("Authorization") String bearer);
}
