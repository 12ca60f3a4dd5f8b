package org.myna.wallet.payment;

import io.smallrye.common.annotation.Blocking;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.jwt.JsonWebToken;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.ParameterIn;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.myna.platform.problem.Problem;
import org.myna.wallet.auth.Roles;
import org.myna.wallet.campaign.CampaignService;
import org.myna.wallet.choice.ChoiceResource;
import org.myna.wallet.payment.PaymentRequests.Authorization;
import org.myna.wallet.payment.PaymentRequests.AuthorizationResponse;
import org.myna.wallet.payment.PaymentRequests.Capture;
import org.myna.wallet.provider.CorporateNumber;

import org.eclipse.microprofile.openapi.annotations.extensions.Extension;

import java.util.concurrent.CompletionStage;

/**
 * Two-phase redemptions (issue 23): a payment provider authorises an amount at a merchant (the points are held), then
 * captures up to that amount or voids it; an authorisation nobody settles expires by itself and its hold returns.
 * Every state change goes through the batched ledger writer like a one-step redemption, under an Idempotency-Key.
 */
@Path("/api/authorizations")
@Consumes(MediaType.APPLICATION_JSON)
@Produces(MediaType.APPLICATION_JSON)
@RolesAllowed(Roles.PAYMENT_PROVIDER)
@Tag(name = "Two-phase redemptions", description = "Authorise (hold points), capture up to the hold, or void; holds expire by themselves")
public class AuthorizationResource {

    private final PaymentFlowService payments;
    private final AuthorizationService authorizations;
    private final CampaignService campaigns;
    private final JsonWebToken jwt;

    public AuthorizationResource(PaymentFlowService payments, AuthorizationService authorizations, CampaignService campaigns, JsonWebToken jwt) {
        this.payments = payments;
        this.authorizations = authorizations;
        this.campaigns = campaigns;
        this.jwt = jwt;
    }

    @Extension(name = "x-refusals", value = "400 missing-body, 400 invalid-amount, 400 invalid-validity, 400 invalid-campaign, 404 unknown-campaign, 400 payment-service-required, 409 payment-account-unconfirmed, 422 unknown-payment-account, 409 insufficient-balance, 422 unknown-merchant")
    @POST
    @Blocking
    @Operation(summary = "Authorise a redemption: hold points for a merchant",
            description = "The resident's points are held (not spendable) until captured, voided or expired after validForSeconds "
                    + "(default wallet.authorization.validity). Requires an Idempotency-Key.")
    @Parameter(name = "Idempotency-Key", in = ParameterIn.HEADER, required = true)
    @APIResponse(responseCode = "201", description = "Held; status pending",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = AuthorizationResponse.class)))
    @APIResponse(responseCode = "400", description = "invalid-amount, invalid-validity, invalid field (problem+json)")
    @APIResponse(responseCode = "409", description = "insufficient-balance, payment-account-unconfirmed, idempotency-key-reused")
    @APIResponse(responseCode = "422", description = "unknown-merchant, unknown-payment-account")
    public CompletionStage<Response> authorize(@HeaderParam("Idempotency-Key") String key, Authorization body) {
        if (body == null) {
            throw Problem.badRequest("missing-body", "A JSON body is required.");
        }
        String account = ChoiceResource.paymentAccount(body.paymentAccount());
        CorporateNumber merchant = CorporateNumber.parse("merchantCorporateNumber", body.merchantCorporateNumber());
        long amount = PaymentResource.amount(body.amount());
        CorporateNumber service = body.paymentService() == null ? null : CorporateNumber.parse("paymentService", body.paymentService());
        String campaign = campaigns.idOrDefault(body.campaign());
        return payments.authorize(jwt.getSubject(), key, account, service, merchant, amount, authorizations.validity(body.validForSeconds()),
                campaign, body);
    }

    @Extension(name = "x-refusals", value = "400 missing-body, 400 invalid-amount, 404 unknown-authorization, 409 authorization-captured, 409 authorization-voided, 409 authorization-expired, 422 capture-above-hold")
    @POST
    @Path("/{id}/capture")
    @Blocking
    @Operation(summary = "Capture up to the held amount",
            description = "The captured points are redeemed at the merchant, the rest returns to the resident. Requires an Idempotency-Key; "
                    + "the same key replays the first answer.")
    @Parameter(name = "Idempotency-Key", in = ParameterIn.HEADER, required = true)
    @APIResponse(responseCode = "200", description = "Captured",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = AuthorizationResponse.class)))
    @APIResponse(responseCode = "404", description = "unknown-authorization (also another provider's)")
    @APIResponse(responseCode = "409", description = "authorization-captured, authorization-voided, authorization-expired")
    @APIResponse(responseCode = "422", description = "capture-above-hold")
    public CompletionStage<Response> capture(@HeaderParam("Idempotency-Key") String key, @PathParam("id") String id, Capture body) {
        if (body == null) {
            throw Problem.badRequest("missing-body", "A JSON body is required.");
        }
        return payments.settle(jwt.getSubject(), key, id(id), PaymentResource.amount(body.amount()));
    }

    @Extension(name = "x-refusals", value = "404 unknown-authorization, 409 authorization-captured, 409 authorization-voided, 409 authorization-expired")
    @POST
    @Path("/{id}/void")
    @Blocking
    @Operation(summary = "Void: the whole hold returns to the resident",
            description = "A second void with a new key answers 409 authorization-voided; the same key replays the first answer.")
    @Parameter(name = "Idempotency-Key", in = ParameterIn.HEADER, required = true)
    @APIResponse(responseCode = "200", description = "Voided",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = AuthorizationResponse.class)))
    @APIResponse(responseCode = "404", description = "unknown-authorization")
    @APIResponse(responseCode = "409", description = "authorization-captured, authorization-voided, authorization-expired")
    public CompletionStage<Response> voidIt(@HeaderParam("Idempotency-Key") String key, @PathParam("id") String id) {
        return payments.settle(jwt.getSubject(), key, id(id), null);
    }

    @Extension(name = "x-refusals", value = "404 unknown-authorization")
    @GET
    @Path("/{id}")
    @Blocking
    @Operation(summary = "An authorisation of yours and its state (pending, captured, voided, expired)")
    @APIResponse(responseCode = "200", description = "The authorisation",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = AuthorizationResponse.class)))
    @APIResponse(responseCode = "404", description = "unknown-authorization")
    public AuthorizationResponse get(@PathParam("id") String id) {
        return authorizations.find(jwt.getSubject(), id(id));
    }

    private static long id(String id) {
        if (id == null || id.isEmpty() || id.length() > 18 || !id.chars().allMatch(ch -> ch >= '0' && ch <= '9')) {
            throw Problem.notFound("unknown-authorization", "You made no authorization with this id.");
        }
        return Long.parseLong(id);
    }
}
