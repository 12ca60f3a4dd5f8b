package org.myna.insurance.auth;

import jakarta.json.JsonString;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.jwt.JsonWebToken;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;
import org.myna.insurance.common.ProblemMapper;
import org.myna.insurance.event.CardStandings;

import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * DESIGN §6.7 for this service: a resident or operation token made with a card the registry has since revoked or
 * suspended is refused on every endpoint (401 card-revoked / card-suspended), for the rest of its lifetime. The
 * registry's events say which; see {@link CardStandings}.
 */
public class ResidentCardFilter {

    private static final Set<String> CARD_GROUPS = Set.of(Roles.RESIDENT, "operation");

    private final JsonWebToken jwt;
    private final CardStandings standings;

    public ResidentCardFilter(JsonWebToken jwt, CardStandings standings) {
        this.jwt = jwt;
        this.standings = standings;
    }

    @ServerRequestFilter(priority = Priorities.AUTHORIZATION)
    public Optional<Response> checkCard() {
        Set<String> groups = jwt.getGroups();
        if (groups == null || groups.stream().noneMatch(CARD_GROUPS::contains) || jwt.getSubject() == null) {
            return Optional.empty();
        }
        Object claim = jwt.getClaim("card");
        String card = claim instanceof JsonString json ? json.getString() : claim == null ? null : claim.toString();
        return standings.voided(jwt.getSubject(), card, jwt.getIssuedAtTime()).map(code -> {
            Response problem = ProblemMapper.response(401, code, CardStandings.CARD_REVOKED.equals(code)
                    ? "The card this token was made with has been revoked." : "The card this token was made with is suspended.", Map.of());
            return Response.fromResponse(problem).header(HttpHeaders.WWW_AUTHENTICATE, "Bearer error=\"invalid_token\"").build();
        });
    }
}
