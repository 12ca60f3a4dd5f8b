package org.myna.wallet.application;

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
import org.myna.wallet.application.ApplicationRequests.Apply;
import org.myna.wallet.auth.OperationTokens;
import org.myna.wallet.auth.Roles;
import org.myna.wallet.campaign.CampaignService;
import org.myna.wallet.ledger.batch.LedgerCommand;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.extensions.Extension;

import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

@Path("/api/applications")
@Consumes(MediaType.APPLICATION_JSON)
@Produces(MediaType.APPLICATION_JSON)
public class ApplicationResource {

    static final String OPERATION = "apply-points";

    private final ApplicationService applications;
    private final OperationTokens operationTokens;
    private final CampaignService campaigns;
    private final JsonWebToken jwt;
    private final GrantCardCheck cardCheck;

    public ApplicationResource(ApplicationService applications, OperationTokens operationTokens,
                               CampaignService campaigns, JsonWebToken jwt, GrantCardCheck cardCheck) {
        this.cardCheck = cardCheck;
        this.applications = applications;
        this.operationTokens = operationTokens;
        this.campaigns = campaigns;
        this.jwt = jwt;
    }

    /** A resident applies for points under one rule, with an operation token {@code apply-points}. */
    @Extension(name = "x-refusals", value = "400 invalid-campaign, 404 unknown-campaign, 409 already-granted, 409 budget-exhausted, 422 not-eligible, 422 campaign-closed, 422 no-payment-service, 422 unknown-rule")
    @APIResponse(responseCode = "201", description = "The application and its grant. A replay of this Idempotency-Key answers the first answer again", content = @Content(mediaType = "application/json", schema = @Schema(implementation = ApplicationRequests.ApplicationResponse.class)))
    @POST
    @RolesAllowed(Roles.OPERATION)
    @Blocking
    public CompletionStage<Response> apply(@HeaderParam("Idempotency-Key") String key, Apply body) {
        // The token's card, when the filter left it to the grant (GrantCardCheck): judged before any refusal here.
        LedgerCommand.Card card = cardCheck.pending();
        try {
            String resident = operationTokens.require(jwt, OPERATION);
            if (body == null) {
                throw Problem.badRequest("missing-body", "A JSON body is required.");
            }
            if (body.rule() == null || !ApplicationService.QUESTIONS.containsKey(body.rule())) {
                throw new Problem(422, "unknown-rule", "This campaign has no such rule.");
            }
            String campaign = campaigns.idOrDefault(body.campaign());
            // Answered once the ledger writer's batch that carries the grant has committed; the worker thread is not held.
            return applications.apply(resident, jwt.getTokenID(), key, campaign, body, card);
        } catch (Problem p) {
            Optional<Response> voided = cardCheck.refusalNow(card);
            if (voided.isPresent()) {
                return CompletableFuture.completedFuture(voided.get());
            }
            throw p;
        }
    }
}
