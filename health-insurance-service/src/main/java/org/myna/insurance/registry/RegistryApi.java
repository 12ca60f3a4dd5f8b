package org.myna.insurance.registry;

import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.FormParam;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.rest.client.inject.RegisterRestClient;
import io.quarkus.rest.client.reactive.ClientExceptionMapper;

/** The registry endpoints this service uses, as plain strings: {@link RegistryCalls} reads the JSON itself. */
@RegisterRestClient(configKey = "registry")
@Path("/")
@Produces(MediaType.APPLICATION_JSON)
interface RegistryApi {

    @POST
    @Path("oauth2/token")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    String token(@FormParam("grant_type") String grantType, @FormParam("client_id") String clientId,
                 @FormParam("client_secret") String clientSecret);

    @GET
    @Path("api/ca")
    String ca();

    @POST
    @Path("api/certificates/holder-link")
    @Consumes(MediaType.APPLICATION_JSON)
    String holderLink(@HeaderParam("Authorization") String bearer, String body);

    @POST
    @Path("api/card-standings/lookup")
    @Consumes(MediaType.APPLICATION_JSON)
    String cardStanding(@HeaderParam("Authorization") String bearer, String body);

    @POST
    @Path("api/insurance-links")
    @Consumes(MediaType.APPLICATION_JSON)
    String link(@HeaderParam("Authorization") String bearer, String body);

    @POST
    @Path("api/access-log/entries")
    @Consumes(MediaType.APPLICATION_JSON)
    String accessLog(@HeaderParam("Authorization") String bearer, String body);

    /** Keeps status and body of an error answer; 4xx answers are business answers here, not failures. */
    @ClientExceptionMapper
    static RuntimeException toException(Response response) {
        if (response.getStatus() < 400) {
            return null;
        }
        String body = response.hasEntity() ? response.readEntity(String.class) : "";
        return new RegistryHttpException(response.getStatus(), body);
    }

}
