package org.myna.wallet.correction;

import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.jwt.JsonWebToken;
import org.myna.platform.idempotency.Idempotency;
import org.myna.platform.problem.Problem;
import org.myna.wallet.auth.Roles;
import org.myna.wallet.correction.CorrectionRequests.ProposeCorrection;

import java.util.Map;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.extensions.Extension;

@Path("/api/corrections")
@Consumes(MediaType.APPLICATION_JSON)
@Produces(MediaType.APPLICATION_JSON)
@RolesAllowed(Roles.AUDITOR)
public class CorrectionResource {

    private final CorrectionService corrections;
    private final Idempotency idempotency;
    private final JsonWebToken jwt;

    public CorrectionResource(CorrectionService corrections, Idempotency idempotency, JsonWebToken jwt) {
        this.corrections = corrections;
        this.idempotency = idempotency;
        this.jwt = jwt;
    }

    @Extension(name = "x-refusals", value = "404 unknown-transfer, 409 already-corrected, 409 correction-exists")
    @APIResponse(responseCode = "201", description = "The proposed correction. A replay of this Idempotency-Key answers the first answer again", content = @Content(mediaType = "application/json", schema = @Schema(implementation = CorrectionRequests.CorrectionResponse.class)))
    @POST
    public Response propose(@HeaderParam("Idempotency-Key") String key, ProposeCorrection body) {
        if (body == null) {
            throw Problem.badRequest("missing-body", "A JSON body is required.");
        }
        if (body.transferId() == null || body.transferId() <= 0) {
            throw Problem.invalidField("transferId", "invalid-transfer", "The id of the transfer to reverse is required.");
        }
        if (body.reason() == null || body.reason().isBlank() || body.reason().length() > 500) {
            throw Problem.invalidField("reason", "invalid-reason", "An audit reason of 1 to 500 characters is required.");
        }
        return idempotency.execute(jwt.getSubject(), key, "POST /api/corrections", body, 201,
                ticket -> corrections.propose(jwt.getSubject(), body.transferId(), body.reason(), ticket));
    }

    @Extension(name = "x-refusals", value = "403 same-auditor, 404 unknown-correction, 409 correction-executed")
    @APIResponse(responseCode = "200", description = "The applied correction. A replay of this Idempotency-Key answers the first answer again", content = @Content(mediaType = "application/json", schema = @Schema(implementation = CorrectionRequests.CorrectionResponse.class)))
    @POST
    @Path("/{id}/approval")
    @Consumes(MediaType.WILDCARD)
    public Response approve(@HeaderParam("Idempotency-Key") String key, @PathParam("id") long id) {
        return idempotency.execute(jwt.getSubject(), key, "POST /api/corrections/" + id + "/approval", Map.of("correction", id), 200,
                ticket -> corrections.approve(jwt.getSubject(), id, ticket));
    }
}
