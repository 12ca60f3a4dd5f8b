package org.myna.registry.auth;

import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.jwt.JsonWebToken;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;
import org.myna.registry.card.CardCredentials;
import org.myna.registry.card.CertificateStatus;
import org.myna.registry.common.ProblemMapper;

import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * A resident or operation token is worth what its card is worth now: every request that carries one has the card's
 * current status read (certificate and card by primary key, no cache, so a revocation or suspension counts from
 * the commit on, in every instance). Runs for every endpoint, so no resident endpoint can forget it. A token
 * without a card claim was not made by this registry's card login and is refused.
 */
public class ResidentCardFilter {

    private static final Set<String> CARD_GROUPS = Set.of(Roles.RESIDENT, OperationTokens.GROUP);

    private final JsonWebToken jwt;
    private final CardCredentials credentials;

    public ResidentCardFilter(JsonWebToken jwt, CardCredentials credentials) {
        this.jwt = jwt;
        this.credentials = credentials;
    }

    @ServerRequestFilter(priority = Priorities.AUTHORIZATION)
    public Optional<Response> checkCard() {
        Set<String> groups = jwt.getGroups();
        if (groups == null || groups.stream().noneMatch(CARD_GROUPS::contains)) {
            return Optional.empty();
        }
        String serial = OperationTokens.text(jwt.getClaim(CardRefs.CLAIM));
        if (serial == null || !serial.matches("[0-9a-f]{1,40}")) {
            return refuse("card-unknown", "This token does not name the card it was made with; log in with the card again.");
        }
        CertificateStatus status = credentials.status(serial);
        return switch (status.status()) {
            case CertificateStatus.GOOD -> Optional.empty();
            case CertificateStatus.REVOKED -> refuse("card-revoked", "The card this token was made with has been revoked.");
            case CertificateStatus.SUSPENDED -> refuse("card-suspended", "The card this token was made with is suspended.");
            case CertificateStatus.EXPIRED -> refuse("card-expired", "The card this token was made with has expired.");
            default -> refuse("card-unknown", "The card this token was made with is not known to this registry.");
        };
    }

    private static Optional<Response> refuse(String code, String detail) {
        Response problem = ProblemMapper.response(401, code, detail, Map.of());
        return Optional.of(Response.fromResponse(problem).header(HttpHeaders.WWW_AUTHENTICATE, "Bearer error=\"invalid_token\"").build());
    }
}
