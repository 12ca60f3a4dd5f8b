package org.myna.portal.services;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.rest.client.inject.RegisterRestClient;

import java.util.List;

/**
 * The wallet's resident endpoints the portal calls, with the resident's wallet token or an operation token, and what
 * it sends and reads of them as typed records (a tolerant reader; empty request fields are left out). suite-tests'
 * ContractTest holds every record to the wallet's OpenAPI document.
 */
@RegisterRestClient(configKey = "wallet")
@Produces(MediaType.APPLICATION_JSON)
public interface WalletApi {

    @JsonIgnoreProperties(ignoreUnknown = true)
    record Balance(String campaign, Long balance, Long received, Long spent, Long held) {
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    record History(String campaign, List<Entry> entries) {
    }

    /** One transfer on her account; {@code amount} signed (points in are positive). */
    @JsonIgnoreProperties(ignoreUnknown = true)
    record Entry(String kind, String rule, Long amount, String at) {
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    record PaymentChoice(String campaign, String paymentService, String status, String paymentAccount,
                         String bindingExpiresAt, Boolean earns) {
    }

    @JsonInclude(JsonInclude.Include.NON_EMPTY)
    record Apply(String rule, String campaign) {
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    record Applied(String status, Long points) {
    }

    @JsonInclude(JsonInclude.Include.NON_EMPTY)
    record Choose(String paymentService, String campaign) {
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    record Chosen(String bindingCode) {
    }

    @GET
    @Path("/api/me/balance")
    Balance balance(@HeaderParam("Authorization") String bearer);

    @GET
    @Path("/api/me/balance")
    Balance balanceIn(@HeaderParam("Authorization") String bearer, @QueryParam("campaign") String campaign);

    @GET
    @Path("/api/me/history")
    History history(@HeaderParam("Authorization") String bearer, @QueryParam("campaign") String campaign);

    @GET
    @Path("/api/me/payment-choice")
    PaymentChoice paymentChoice(@HeaderParam("Authorization") String bearer, @QueryParam("campaign") String campaign);

    @POST
    @Path("/api/applications")
    @Consumes(MediaType.APPLICATION_JSON)
    Applied apply(@HeaderParam("Authorization") String operationBearer, @HeaderParam("Idempotency-Key") String key,
                  Apply body);

    @POST
    @Path("/api/payment-choices")
    @Consumes(MediaType.APPLICATION_JSON)
    Chosen choose(@HeaderParam("Authorization") String operationBearer, @HeaderParam("Idempotency-Key") String key,
                  Choose body);
}
