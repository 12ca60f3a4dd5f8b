package org.myna.registry.cardlogin;

import jakarta.annotation.security.PermitAll;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.myna.platform.ratelimit.RateLimited;
import org.myna.registry.auth.TokenService;

import java.util.Map;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.extensions.Extension;

/** Card login for residents: a challenge, then a resident token or a single-use operation token. */
@Path("/api/auth")
@PermitAll
// Open to anyone: a challenge is a row written, a token a signature and a chain verified. One allowance per address
// for the whole login (challenge + token).
@RateLimited("card-login")
public class ResidentAuthResource {

    private final ResidentAuthService auth;

    public ResidentAuthResource(ResidentAuthService auth) {
        this.auth = auth;
    }

    public record TokenRequest(String challengeId, String certificate, String signature, String audience) {
    }

    public record OperationTokenRequest(String challengeId, String certificate, String signature, String audience,
                                        String operation) {
    }

    @Extension(name = "x-rate-limited", value = "true")
    @APIResponse(responseCode = "200", description = "A nonce for the card to sign", content = @Content(mediaType = "application/json", schema = @Schema(implementation = ResidentAuthService.Challenge.class)))
    @POST
    @Path("challenges")
    @Produces(MediaType.APPLICATION_JSON)
    public Response challenge() {
        return Response.ok(auth.newChallenge()).build();
    }

    @Extension(name = "x-rate-limited", value = "true")
    @POST
    @Path("tokens")
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    public Map<String, Object> token(@NotNull TokenRequest request) {
        return body(auth.residentToken(new ResidentAuthService.Proof(request.challengeId(), request.certificate(),
                request.signature(), request.audience())));
    }

    @Extension(name = "x-rate-limited", value = "true")
    @POST
    @Path("operation-tokens")
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    public Map<String, Object> operationToken(@NotNull OperationTokenRequest request) {
        return body(auth.operationToken(new ResidentAuthService.Proof(request.challengeId(), request.certificate(),
                request.signature(), request.audience()), request.operation()));
    }

    private static Map<String, Object> body(TokenService.IssuedToken token) {
        return Map.of("access_token", token.accessToken(), "token_type", "Bearer", "expires_in", token.expiresIn());
    }
}
