package org.myna.wallet.payment;

import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.jwt.JsonWebToken;
import io.smallrye.common.annotation.Blocking;
import org.myna.platform.problem.Problem;
import org.myna.wallet.auth.Roles;
import org.myna.wallet.campaign.CampaignService;
import org.myna.wallet.choice.ChoiceResource;
import org.myna.wallet.payment.PaymentRequests.Charge;
import org.myna.wallet.payment.PaymentRequests.Redemption;
import org.myna.wallet.provider.CorporateNumber;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.extensions.Extension;

import java.util.concurrent.CompletionStage;

@Path("/api")
@Consumes(MediaType.APPLICATION_JSON)
@Produces(MediaType.APPLICATION_JSON)
@RolesAllowed(Roles.PAYMENT_PROVIDER)
public class PaymentResource {

    /** Above this a request is a mistake, not a purchase. */
    public static final long MAX_AMOUNT = 10_000_000L;

    private final PaymentFlowService payments;
    private final CampaignService campaigns;
    private final JsonWebToken jwt;

    public PaymentResource(PaymentFlowService payments, CampaignService campaigns, JsonWebToken jwt) {
        this.payments = payments;
        this.campaigns = campaigns;
        this.jwt = jwt;
    }

    @Extension(name = "x-refusals", value = "400 missing-body, 400 invalid-amount, 400 invalid-campaign, 404 unknown-campaign, 400 payment-service-required, 409 payment-account-unconfirmed, 422 unknown-payment-account, 409 concurrent-update, 409 budget-exhausted, 422 not-applied, 422 unknown-rule, 422 campaign-closed")
    @APIResponse(responseCode = "201", description = "The charge and the points it earned. A replay of this Idempotency-Key answers the first answer again", content = @Content(mediaType = "application/json", schema = @Schema(implementation = PaymentRequests.ChargeResponse.class)))
    @POST
    @Path("/charges")
    @Blocking
    public CompletionStage<Response> charge(@HeaderParam("Idempotency-Key") String key, Charge body) {
        if (body == null) {
            throw Problem.badRequest("missing-body", "A JSON body is required.");
        }
        String account = ChoiceResource.paymentAccount(body.paymentAccount());
        long amount = amount(body.amount());
        CorporateNumber service = body.paymentService() == null ? null : CorporateNumber.parse("paymentService", body.paymentService());
        String campaign = campaigns.idOrDefault(body.campaign());
        String client = jwt.getSubject();
        return payments.charge(client, key, account, service, amount, campaign, body);
    }

    @Extension(name = "x-refusals", value = "400 missing-body, 400 invalid-amount, 400 invalid-campaign, 404 unknown-campaign, 400 payment-service-required, 409 payment-account-unconfirmed, 422 unknown-payment-account, 409 insufficient-balance, 422 unknown-merchant")
    @APIResponse(responseCode = "201", description = "The redemption. A replay of this Idempotency-Key answers the first answer again", content = @Content(mediaType = "application/json", schema = @Schema(implementation = PaymentRequests.RedemptionResponse.class)))
    @POST
    @Path("/redemptions")
    @Blocking
    public CompletionStage<Response> redeem(@HeaderParam("Idempotency-Key") String key, Redemption body) {
        if (body == null) {
            throw Problem.badRequest("missing-body", "A JSON body is required.");
        }
        String account = ChoiceResource.paymentAccount(body.paymentAccount());
        CorporateNumber merchant = CorporateNumber.parse("merchantCorporateNumber", body.merchantCorporateNumber());
        long amount = amount(body.amount());
        CorporateNumber service = body.paymentService() == null ? null : CorporateNumber.parse("paymentService", body.paymentService());
        String campaign = campaigns.idOrDefault(body.campaign());
        String client = jwt.getSubject();
        return payments.redeem(client, key, account, service, merchant, amount, campaign, body);
    }

    static long amount(Long amount) {
        if (amount == null || amount <= 0 || amount > MAX_AMOUNT) {
            throw Problem.invalidField("amount", "invalid-amount", "The amount is a whole number of yen from 1 to " + MAX_AMOUNT + ".");
        }
        return amount;
    }
}
