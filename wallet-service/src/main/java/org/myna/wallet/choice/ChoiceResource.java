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
import org.myna.wallet.provider.CorporateNumber;

import java.util.regex.Pattern;

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

    /** A resident, with an operation token {@code choose-payment-service}, chooses their payment service. */
    @POST
    @RolesAllowed(Roles.OPERATION)
    public Response choose(@HeaderParam("Idempotency-Key") String key, ChoosePaymentService body) {
        String resident = operationTokens.require(jwt, OPERATION);
        if (body == null) {
            throw Problem.badRequest("missing-body", "A JSON body is required.");
        }
        CorporateNumber service = CorporateNumber.parse("paymentService", body.paymentService());
        String account = paymentAccount(body.paymentAccount());
        String campaign = campaigns.idOrDefault(body.campaign());
        String jti = jwt.getTokenID();
        return operationTokens.burnOnRefusal(jti, () -> idempotency.execute(resident, key, "POST /api/payment-choices", body, 201,
                ticket -> choices.choose(jwt, campaign, service, account, ticket)));
    }

    public static String paymentAccount(String value) {
        if (value == null || !ACCOUNT_REF.matcher(value).matches()) {
            throw Problem.invalidField("paymentAccount", "invalid-payment-account",
                    "A payment account id of 1 to 64 letters, digits, '.', '_' or '-' is required.");
        }
        return value;
    }
}
