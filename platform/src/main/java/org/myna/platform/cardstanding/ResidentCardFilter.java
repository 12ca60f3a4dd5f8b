package org.myna.platform.cardstanding;

import jakarta.json.JsonString;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.jwt.JsonWebToken;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;
import org.myna.platform.problem.ProblemMapper;

import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * DESIGN §6.7: a resident or operation token is worth what its card is worth now. Runs for every endpoint, so no
 * resident endpoint can forget it: a token made with a card since revoked or suspended is refused (401 card-revoked,
 * card-suspended, ...) for the rest of its lifetime. Each service says how it knows ({@link CardStandingCheck}).
 */
public class ResidentCardFilter {

    static final Set<String> CARD_GROUPS = Set.of("resident", "operation");

    private final JsonWebToken jwt;
    private final CardStandingCheck check;

    public ResidentCardFilter(JsonWebToken jwt, CardStandingCheck check) {
        this.jwt = jwt;
        this.check = check;
    }

    @ServerRequestFilter(priority = Priorities.AUTHORIZATION)
    public Optional<Response> checkCard() {
        Set<String> groups = jwt.getGroups();
        if (groups == null || groups.stream().noneMatch(CARD_GROUPS::contains)) {
            return Optional.empty();
        }
        return check.refusal(jwt.getSubject(), text(jwt.getClaim("card")), jwt.getIssuedAtTime()).map(ResidentCardFilter::response);
    }

    /** The answer a refused token gets, here or where a service judges the card later in the request. */
    public static Response response(CardStandingCheck.Refusal refusal) {
        Response problem = ProblemMapper.response(refusal.status(), refusal.code(), refusal.detail(), Map.of());
        if (refusal.status() != 401) {
            return Response.fromResponse(problem).header(HttpHeaders.RETRY_AFTER, "1").build();
        }
        return Response.fromResponse(problem).header(HttpHeaders.WWW_AUTHENTICATE, "Bearer error=\"invalid_token\"").build();
    }

    public static String text(Object claim) {
        return claim instanceof JsonString json ? json.getString() : claim == null ? null : claim.toString();
    }
}
