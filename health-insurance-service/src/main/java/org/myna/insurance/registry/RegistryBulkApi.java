package org.myna.insurance.registry;

import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import io.quarkus.rest.client.reactive.ClientExceptionMapper;
import org.eclipse.microprofile.rest.client.inject.RegisterRestClient;

/**
 * The registry's page endpoints (bulk enrolment, reconciliation), on a client of their own ({@code registry-bulk}):
 * a page of 500 may take seconds, which must neither need the clinics' short read timeout nor share their
 * connections.
 */
@RegisterRestClient(configKey = "registry-bulk")
@Path("/")
@Produces(MediaType.APPLICATION_JSON)
interface RegistryBulkApi {

    @POST
    @Path("api/insurance-links/batch")
    @Consumes(MediaType.APPLICATION_JSON)
    String linkBatch(@HeaderParam("Authorization") String bearer, String body);

    @POST
    @Path("api/insurance-links/verifications")
    @Consumes(MediaType.APPLICATION_JSON)
    String verifications(@HeaderParam("Authorization") String bearer, String body);

    @ClientExceptionMapper
    static RuntimeException toException(Response response) {
        return RegistryApi.toException(response);
    }
}
