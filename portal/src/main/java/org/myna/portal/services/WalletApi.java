package org.myna.portal.services;

import com.fasterxml.jackson.databind.JsonNode;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.rest.client.inject.RegisterRestClient;

import java.util.Map;

/** The wallet's resident endpoints the portal calls, with the resident's wallet token or an operation token. */
@RegisterRestClient(configKey = "wallet")
@Produces(MediaType.APPLICATION_JSON)
interface WalletApi {

    @GET
    @Path("/api/me/balance")
    JsonNode balance(@HeaderParam("Authorization") String bearer);

    @GET
    @Path("/api/me/balance")
    JsonNode balanceIn(@HeaderParam("Authorization") String bearer, @QueryParam("campaign") String campaign);

    @GET
    @Path("/api/me/history")
    JsonNode history(@HeaderParam("Authorization") String bearer, @QueryParam("campaign") String campaign);

    @GET
    @Path("/api/me/payment-choice")
    JsonNode paymentChoice(@HeaderParam("Authorization") String bearer, @QueryParam("campaign") String campaign);

    @POST
    @Path("/api/applications")
    @Consumes(MediaType.APPLICATION_JSON)
    JsonNode apply(@HeaderParam("Authorization") String operationBearer, @HeaderParam("Idempotency-Key") String key,
                   Map<String, String> body);

    @POST
    @Path("/api/payment-choices")
    @Consumes(MediaType.APPLICATION_JSON)
    JsonNode choose(@HeaderParam("Authorization") String operationBearer, @HeaderParam("Idempotency-Key") String key,
                    Map<String, String> body);
}
