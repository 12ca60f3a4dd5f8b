package org.myna.registry.auth;

import com.fasterxml.jackson.annotation.JsonProperty;
import jakarta.annotation.security.PermitAll;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.FormParam;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.myna.platform.problem.Problem;
import org.myna.platform.ratelimit.RateLimited;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.media.SchemaProperty;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.extensions.Extension;

@Path("/")
@PermitAll
public class TokenResource {

    private final TokenService tokens;
    private final SigningKeys keys;

    public TokenResource(TokenService tokens, SigningKeys keys) {
        this.tokens = tokens;
        this.keys = keys;
    }

    /** RFC 6749 §5.1's answer, as the OpenAPI document describes it. */
    public record TokenAnswer(@JsonProperty("access_token") String accessToken, @JsonProperty("token_type") String tokenType,
                              @JsonProperty("expires_in") long expiresIn) {
    }

    /** OAuth2 client credentials grant (RFC 6749 §4.4); the client may authenticate in the body or with Basic. */
    @Extension(name = "x-refusals", value = "400 unsupported-grant-type, 401 invalid-client")
    @Extension(name = "x-rate-limited", value = "true")
        @APIResponse(responseCode = "200", description = "An access token (RFC 6749 §5.1)", content = @Content(mediaType = "application/json", schema = @Schema(implementation = TokenAnswer.class)))
    @POST
    @Path("oauth2/token")
    @RateLimited("token") // a bcrypt check per request: tens of milliseconds of CPU for anyone who asks
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    @Produces(MediaType.APPLICATION_JSON)
    public TokenAnswer token(@FormParam("grant_type") String grantType,
                                     @FormParam("client_id") String clientId,
                                     @FormParam("client_secret") String clientSecret,
                                     @HeaderParam("Authorization") String authorization) {
        if (!"client_credentials".equals(grantType)) {
            throw new Problem(400, "unsupported-grant-type", "Only grant_type=client_credentials is supported here.");
        }
        if (authorization != null && authorization.regionMatches(true, 0, "Basic ", 0, 6)) {
            String[] pair = basic(authorization.substring(6).trim());
            clientId = pair[0];
            clientSecret = pair[1];
        }
        TokenService.IssuedToken issued = tokens.clientCredentials(clientId, clientSecret);
        return new TokenAnswer(issued.accessToken(), "Bearer", issued.expiresIn());
    }

    private static String[] basic(String encoded) {
        try {
            String decoded = new String(Base64.getDecoder().decode(encoded), StandardCharsets.UTF_8);
            int colon = decoded.indexOf(':');
            if (colon < 0) {
                throw new IllegalArgumentException();
            }
            return new String[]{decoded.substring(0, colon), decoded.substring(colon + 1)};
        } catch (IllegalArgumentException e) {
            throw new Problem(401, "invalid-client", "Client authentication failed.");
        }
    }

    @APIResponse(responseCode = "200", description = "The registry's public signing keys (RFC 7517 JWK Set)", content = @Content(mediaType = "application/json",
            schema = @Schema(type = SchemaType.OBJECT, requiredProperties = {"keys"}, properties = @SchemaProperty(name = "keys", type = SchemaType.ARRAY,
                    implementation = Object.class))))
    @GET
    @Path(".well-known/jwks.json")
    @Produces(MediaType.APPLICATION_JSON)
    public String jwks() {
        return keys.jwks();
    }
}
