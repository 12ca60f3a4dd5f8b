package org.myna.registry.cardlogin;

import io.smallrye.jwt.auth.principal.JWTParser;
import io.smallrye.jwt.auth.principal.ParseException;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.jwt.JsonWebToken;
import org.myna.platform.problem.Problem;
import org.myna.registry.auth.CardRefs;
import org.myna.registry.auth.OAuthClient;
import org.myna.registry.auth.Roles;
import org.myna.registry.auth.TokenService;
import org.myna.registry.card.CardCredentials;
import org.myna.registry.card.CertificateStatus;
import org.myna.registry.linkcode.LinkCodeService;

import java.time.Instant;
import java.util.Set;

/**
 * OAuth 2.0 token exchange (RFC 8693) for the portal: one card login at the registry gives the portal the resident's
 * tokens for the wallet and the insurance service, each under that service's own pairwise subject (link code), with
 * no second card signature. Only a portal client may exchange; only a resident token of this registry (never an
 * operation token) is accepted; the card must still be good; and the new token lives no longer than the one given.
 */
@ApplicationScoped
public class TokenExchangeService {

    public static final String GRANT_TYPE = "urn:ietf:params:oauth:grant-type:token-exchange";
    public static final String ACCESS_TOKEN_TYPE = "urn:ietf:params:oauth:token-type:access_token";
    private static final Set<String> TARGETS = Set.of("wallet", "insurance");
    private static final String REGISTRY = "registry";

    private final TokenService tokens;
    private final JWTParser parser;
    private final LinkCodeService linkCodes;
    private final CardCredentials credentials;
    private final ResidentAuthService auth;

    public TokenExchangeService(TokenService tokens, JWTParser parser, LinkCodeService linkCodes,
                                CardCredentials credentials, ResidentAuthService auth) {
        this.tokens = tokens;
        this.parser = parser;
        this.linkCodes = linkCodes;
        this.credentials = credentials;
        this.auth = auth;
    }

    public TokenService.IssuedToken exchange(String clientId, String secret, String subjectToken, String subjectTokenType,
                                             String audience) {
        OAuthClient client = tokens.authenticate(clientId, secret);
        if (!client.roleList().contains(Roles.PORTAL)) {
            throw new Problem(400, "unauthorized_client", "This client may not exchange residents' tokens.");
        }
        if (audience == null || !TARGETS.contains(audience)) {
            throw new Problem(400, "invalid_target", "audience must be wallet or insurance.");
        }
        if (subjectToken == null || !ACCESS_TOKEN_TYPE.equals(subjectTokenType)) {
            throw new Problem(400, "invalid_request", "subject_token and subject_token_type=" + ACCESS_TOKEN_TYPE + " are required.");
        }
        Login login = login(subjectToken);
        return auth.sign(new CardCredentials.Holder(login.residentId(), login.status()), audience, Roles.RESIDENT, null,
                login.remaining());
    }

    /** A resident's live card login at this registry: who, the card's status, and the seconds it has left. */
    public record Login(long residentId, CertificateStatus status, long remaining) {
    }

    /**
     * Verifies a resident's login token as the subject of an exchange or of an act's approval: this registry's
     * signature, group exactly resident, audience exactly registry (never an operation token), a card still good.
     */
    public Login login(String subjectToken) {
        JsonWebToken jwt;
        try {
            jwt = parser.parse(subjectToken);
        } catch (ParseException e) {
            throw new Problem(400, "invalid_grant", "The subject token is not a valid token of this registry.");
        }
        if (!jwt.getGroups().equals(Set.of(Roles.RESIDENT)) || !jwt.getAudience().equals(Set.of(REGISTRY))) {
            throw new Problem(400, "invalid_grant", "Only a resident's login token at the registry can be exchanged.");
        }
        Object serial = jwt.getClaim(CardRefs.CLAIM);
        long residentId = linkCodes.residentFor(REGISTRY, jwt.getSubject()).orElseThrow(() ->
                new Problem(400, "invalid_grant", "The subject token names no resident."));
        CertificateStatus status = serial == null ? null : credentials.status(serial.toString().replace("\"", ""));
        if (status == null || !CertificateStatus.GOOD.equals(status.status())) {
            throw new Problem(400, "invalid_grant", "The card this login was made with is no longer valid.");
        }
        long remaining = jwt.getExpirationTime() - Instant.now().getEpochSecond();
        if (remaining <= 0) {
            throw new Problem(400, "invalid_grant", "The subject token has expired.");
        }
        return new Login(residentId, status, remaining);
    }
}
