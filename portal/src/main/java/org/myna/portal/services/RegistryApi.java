package org.myna.portal.services;

import com.fasterxml.jackson.databind.JsonNode;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.FormParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.rest.client.inject.RegisterRestClient;

/** The registry's endpoints the portal calls (its OpenAPI document is the contract). */
@RegisterRestClient(configKey = "registry")
@Produces(MediaType.APPLICATION_JSON)
interface RegistryApi {

    @POST
    @Path("/oauth2/token")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    JsonNode clientCredentials(@FormParam("grant_type") String grantType, @FormParam("client_id") String clientId,
                               @FormParam("client_secret") String clientSecret);
}
