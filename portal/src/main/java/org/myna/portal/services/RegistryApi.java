package org.myna.portal.services;

import com.fasterxml.jackson.databind.JsonNode;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.FormParam;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.QueryParam;
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

    @POST
    @Path("/oauth2/device_authorization")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    JsonNode deviceAuthorization(@FormParam("client_id") String clientId, @FormParam("client_secret") String clientSecret);

    @POST
    @Path("/oauth2/device_authorization")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    JsonNode deviceAct(@FormParam("client_id") String clientId, @FormParam("client_secret") String clientSecret,
                       @FormParam("operation") String operation, @FormParam("act") String act,
                       @FormParam("subject_token") String subjectToken);

    @POST
    @Path("/oauth2/token")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    JsonNode deviceToken(@FormParam("grant_type") String grantType, @FormParam("client_id") String clientId,
                         @FormParam("client_secret") String clientSecret, @FormParam("device_code") String deviceCode);

    @POST
    @Path("/oauth2/token")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    JsonNode exchange(@FormParam("grant_type") String grantType, @FormParam("client_id") String clientId,
                      @FormParam("client_secret") String clientSecret, @FormParam("subject_token") String subjectToken,
                      @FormParam("subject_token_type") String subjectTokenType, @FormParam("audience") String audience);

    @GET
    @Path("/api/me")
    JsonNode me(@HeaderParam("Authorization") String bearer);

    @GET
    @Path("/api/me/access-log")
    jakarta.ws.rs.core.Response accessLogPage(@HeaderParam("Authorization") String bearer,
                                              @QueryParam("organisation") String organisation,
                                              @QueryParam("purpose") String purpose, @QueryParam("from") String from,
                                              @QueryParam("to") String to, @QueryParam("cursor") String cursor,
                                              @QueryParam("limit") Integer limit);

    @POST
    @Path("/api/me/card/suspension")
    JsonNode suspendCard(@HeaderParam("Authorization") String bearer);

    @GET
    @Path("/api/me/public-fund-account")
    JsonNode publicFundAccount(@HeaderParam("Authorization") String bearer);

    @jakarta.ws.rs.PUT
    @Path("/api/me/public-fund-account")
    @Consumes(MediaType.APPLICATION_JSON)
    JsonNode registerPublicFundAccount(@HeaderParam("Authorization") String operationBearer, java.util.Map<String, String> account);
}
