package org.myna.wallet.choice;

import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.jwt.JsonWebToken;
import org.myna.platform.idempotency.Idempotency;
import org.myna.platform.problem.Problem;
import org.myna.wallet.auth.OperationTokens;
import org.myna.wallet.auth.Roles;
import org.myna.wallet.campaign.CampaignService;
import org.myna.wallet.choice.ChoiceRequests.ChoosePaymentService;
import org.myna.wallet.choice.ChoiceRequests.Confirmation;
import org.myna.wallet.choice.ChoiceRequests.Release;
import org.myna.wallet.provider.CorporateNumber;

import java.util.regex.Pattern;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.extensions.Extension;

@Path("/api/payment-choices")
@Consumes(MediaType.APPLICATION_JSON)
@Produces(MediaType.APPLICATION_JSON)
public class ChoiceResource {

    static final String OPERATION = "choose-payment-service";
    public static final Pattern ACCOUNT_REF = Pattern.compile("[A-Za-z0-9._-]{1,64}");

    private final ChoiceService choices;
    private final Idempotency idempotency;
    private final OperationTokens operationTokens;
    private final CampaignService campaigns;
    private final JsonWebToken jwt;

    public ChoiceResource(ChoiceService choices, Idempotency idempotency, OperationTokens operationTokens,
                          CampaignService campaigns, JsonWebToken jwt) {
        this.choices = choices;
        this.idempotency = idempotency;
        this.operationTokens = operationTokens;
        this.campaigns = campaigns;
        this.jwt = jwt;
    }

    /**
     * A resident, with an operation token {@code choose-payment-service}, chooses their payment service and receives
     * the binding code that the service confirms with the account (DESIGN §6.2).
     */
    @Extension(name = "x-refusals", value = "400 invalid-campaign, 404 unknown-campaign, 409 payment-service-already-chosen, 422 unknown-payment-service, 422 campaign-closed")
    @APIResponse(responseCode = "201", description = "The choice and its binding code. A replay of this Idempotency-Key answers the first answer again, without the code (shown once: bindingCode is null; choose again for a new code)", content = @Content(mediaType = "application/json", schema = @Schema(implementation = ChoiceRequests.ChoiceResponse.class)))
    @POST
    @RolesAllowed(Roles.OPERATION)
    public Response choose(@HeaderParam("Idempotency-Key") String key, ChoosePaymentService body) {
        String resident = operationTokens.require(jwt, OPERATION);
        if (body == null) {
            throw Problem.badRequest("missing-body", "A JSON body is required.");
        }
        CorporateNumber service = CorporateNumber.parse("paymentService", body.paymentService());
        String campaign = campaigns.idOrDefault(body.campaign());
        String jti = jwt.getTokenID();
        return operationTokens.burnOnRefusal(jti, () -> idempotency.execute(resident, key, "POST /api/payment-choices", body, 201,
                ticket -> choices.choose(jwt, campaign, service, ticket)));
    }

    /** The payment service confirms a resident's binding code with its own account and the holder's name in kana. */
    @Extension(name = "x-refusals", value = "403 binding-other-provider, 404 binding-unknown, 409 payment-account-taken, 409 binding-already-confirmed, 422 binding-expired, 422 binding-locked, 422 holder-kana-mismatch")
    @APIResponse(responseCode = "200", description = "The binding is confirmed. A replay of this Idempotency-Key answers the first answer again", content = @Content(mediaType = "application/json", schema = @Schema(implementation = ChoiceRequests.ConfirmationResponse.class)))
    @POST
    @Path("confirmations")
    @RolesAllowed(Roles.PAYMENT_PROVIDER)
    public Response confirm(@HeaderParam("Idempotency-Key") String key, Confirmation body) {
        if (body == null) {
            throw Problem.badRequest("missing-body", "A JSON body is required.");
        }
        String code = bindingCode(body.bindingCode());
        String account = paymentAccount(body.paymentAccount());
        String kana = holderKana(body.holderKana());
        String client = jwt.getSubject();
        return idempotency.execute(client, key, "POST /api/payment-choices/confirmations", body, 200,
                ticket -> choices.confirm(client, code, account, kana, ticket));
    }

    /** The payment service releases an account bound to the wrong person, with a reason kept for audit. */
    @Extension(name = "x-refusals", value = "400 payment-service-required, 400 invalid-campaign, 404 unknown-campaign, 422 unknown-payment-account")
    @APIResponse(responseCode = "200", description = "The account is released. A replay of this Idempotency-Key answers the first answer again", content = @Content(mediaType = "application/json", schema = @Schema(implementation = ChoiceRequests.ReleaseResponse.class)))
    @POST
    @Path("releases")
    @RolesAllowed(Roles.PAYMENT_PROVIDER)
    public Response release(@HeaderParam("Idempotency-Key") String key, Release body) {
        if (body == null) {
            throw Problem.badRequest("missing-body", "A JSON body is required.");
        }
        String account = paymentAccount(body.paymentAccount());
        CorporateNumber service = body.paymentService() == null ? null : CorporateNumber.parse("paymentService", body.paymentService());
        if (body.reason() == null || body.reason().isBlank() || body.reason().length() > 200) {
            throw Problem.invalidField("reason", "reason-required", "A reason of 1 to 200 characters is required.");
        }
        String campaign = campaigns.idOrDefault(body.campaign());
        String client = jwt.getSubject();
        return idempotency.executeAtomically(client, key, "POST /api/payment-choices/releases", body, 200,
                ticket -> choices.release(client, service, account, campaign, body.reason(), ticket));
    }

    static String bindingCode(String value) {
        String normal = value == null ? "" : value.toUpperCase(java.util.Locale.ROOT).replaceAll("[\\s-]", "");
        if (normal.length() != ChoiceService.CODE_LENGTH || !normal.chars().allMatch(c -> ChoiceService.ALPHABET.indexOf(c) >= 0)) {
            throw Problem.invalidField("bindingCode", "invalid-binding-code",
                    "A binding code of " + ChoiceService.CODE_LENGTH + " letters and digits, as the resident received it, is required.");
        }
        return normal;
    }

    static String holderKana(String value) {
        if (value == null || value.isBlank() || value.length() > 100) {
            throw Problem.invalidField("holderKana", "invalid-holder-kana", "The account holder's name in kana (1 to 100 characters) is required.");
        }
        return value;
    }

    public static String paymentAccount(String value) {
        if (value == null || !ACCOUNT_REF.matcher(value).matches()) {
            throw Problem.invalidField("paymentAccount", "invalid-payment-account",
                    "A payment account id of 1 to 64 letters, digits, '.', '_' or '-' is required.");
        }
        return value;
    }
}
