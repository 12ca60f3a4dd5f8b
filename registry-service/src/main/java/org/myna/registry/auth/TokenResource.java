package org.myna.registry.auth;

import com.fasterxml.jackson.annotation.JsonInclude;
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
import org.myna.registry.cardlogin.DeviceLoginService;
import org.myna.registry.cardlogin.TokenExchangeService;

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
    private final DeviceLoginService devices;
    private final TokenExchangeService exchange;
    private final String verificationUri;

    public TokenResource(TokenService tokens, SigningKeys keys, DeviceLoginService devices,
                         TokenExchangeService exchange, org.myna.registry.cardlogin.ResidentAuthConfig config) {
        this.verificationUri = config.deviceVerificationUri();
        this.tokens = tokens;
        this.keys = keys;
        this.devices = devices;
        this.exchange = exchange;
    }

    /** RFC 6749 §5.1's answer, as the OpenAPI document describes it. */
    public record TokenAnswer(@JsonProperty("access_token") String accessToken, @JsonProperty("token_type") String tokenType,
                              @JsonProperty("expires_in") long expiresIn,
                              @JsonProperty("issued_token_type") @JsonInclude(JsonInclude.Include.NON_NULL) String issuedTokenType) {
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
                                     @FormParam("device_code") String deviceCode,
                                     @FormParam("subject_token") String subjectToken,
                                     @FormParam("subject_token_type") String subjectTokenType,
                                     @FormParam("audience") String audience,
                                     @HeaderParam("Authorization") String authorization) {
        if (!"client_credentials".equals(grantType) && !DeviceLoginService.GRANT_TYPE.equals(grantType)
                && !TokenExchangeService.GRANT_TYPE.equals(grantType)) {
            throw new Problem(400, "unsupported-grant-type", "grant_type must be client_credentials, "
                    + DeviceLoginService.GRANT_TYPE + " or " + TokenExchangeService.GRANT_TYPE + ".");
        }
        if (authorization != null && authorization.regionMatches(true, 0, "Basic ", 0, 6)) {
            String[] pair = basic(authorization.substring(6).trim());
            clientId = pair[0];
            clientSecret = pair[1];
        }
        TokenService.IssuedToken issued;
        String issuedTokenType = null;
        if (DeviceLoginService.GRANT_TYPE.equals(grantType)) {
            issued = devices.redeem(clientId, clientSecret, deviceCode);
        } else if (TokenExchangeService.GRANT_TYPE.equals(grantType)) {
            issued = exchange.exchange(clientId, clientSecret, subjectToken, subjectTokenType, audience);
            issuedTokenType = TokenExchangeService.ACCESS_TOKEN_TYPE; // RFC 8693 §2.2.1
        } else {
            issued = tokens.clientCredentials(clientId, clientSecret);
        }
        return new TokenAnswer(issued.accessToken(), "Bearer", issued.expiresIn(), issuedTokenType);
    }

    /**
     * RFC 8628 §3.2's answer. The card app is the verification step: {@code verification_uri} is its address (an app
     * link the phone opens), {@code verification_uri_complete} carries the user code too, for the portal's QR code.
     */
    public record DeviceAuthorizationAnswer(@JsonProperty("device_code") String deviceCode,
                                            @JsonProperty("user_code") String userCode,
                                            @JsonProperty("verification_uri") String verificationUri,
                                            @JsonProperty("verification_uri_complete") String verificationUriComplete,
                                            @JsonProperty("expires_in") long expiresIn,
                                            @JsonProperty("interval") long interval) {
    }

    /**
     * RFC 8628 §3.1–3.2: a portal (role portal) starts a resident's card login from a PC; or, with {@code operation},
     * {@code act} (what the card app shows) and {@code subject_token} (the resident's registry login), an act that
     * only that resident's card can approve and whose redemption is a single-use operation token.
     */
    @Extension(name = "x-refusals", value = "401 invalid-client, 403 not-a-portal, 400 invalid-operation, 400 invalid-act, 400 invalid-request, 400 invalid_grant")
    @Extension(name = "x-rate-limited", value = "true")
    @APIResponse(responseCode = "200", description = "A device code and the user code to show (RFC 8628 §3.2)", content = @Content(mediaType = "application/json", schema = @Schema(implementation = DeviceAuthorizationAnswer.class)))
    @POST
    @Path("oauth2/device_authorization")
    @RateLimited("token")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    @Produces(MediaType.APPLICATION_JSON)
    public DeviceAuthorizationAnswer deviceAuthorization(@FormParam("client_id") String clientId,
                                                         @FormParam("client_secret") String clientSecret,
                                                         @FormParam("operation") String operation,
                                                         @FormParam("act") String act,
                                                         @FormParam("subject_token") String subjectToken) {
        DeviceLoginService.Started s = devices.start(clientId, clientSecret, operation, act, subjectToken);
        String complete = verificationUri + (verificationUri.contains("?") ? "&" : "?") + "user_code="
                + java.net.URLEncoder.encode(s.userCode(), StandardCharsets.UTF_8);
        return new DeviceAuthorizationAnswer(s.deviceCode(), s.userCode(), verificationUri, complete, s.expiresIn(), s.interval());
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
