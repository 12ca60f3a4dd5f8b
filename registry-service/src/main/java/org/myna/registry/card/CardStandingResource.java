package org.myna.registry.card;

import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import org.myna.platform.cardstanding.CardStandingCheck;
import org.myna.platform.problem.Problem;
import org.myna.registry.auth.CardRefs;
import org.myna.registry.auth.Caller;
import org.myna.registry.auth.Roles;
import org.myna.registry.auth.ServiceAudiences;
import org.myna.registry.linkcode.LinkCodeService;

import java.util.List;
import java.util.Optional;

/**
 * DESIGN §6.7, failing closed: a service whose copy of the card events is older than its bound asks here, before it
 * honours a resident token, what the token's card is worth now. It names the resident and the card as it knows them
 * (its own link code and card reference, in the body), and hears one word: good, or the reason the token is void.
 */
@Path("/api/card-standings")
@RolesAllowed(Roles.SERVICE)
public class CardStandingResource {

    public static final String GOOD = "good";

    public record StandingQuery(@NotBlank @Size(max = 64) String linkCode, @Size(max = 64) String cardRef) {
    }

    public record Standing(String standing) {
    }

    private final ServiceAudiences audiences;
    private final Caller caller;
    private final LinkCodeService linkCodes;
    private final CardRefs cardRefs;
    private final CardStandingFromCertificates standings;

    public CardStandingResource(ServiceAudiences audiences, Caller caller, LinkCodeService linkCodes, CardRefs cardRefs,
                                CardStandingFromCertificates standings) {
        this.audiences = audiences;
        this.caller = caller;
        this.linkCodes = linkCodes;
        this.cardRefs = cardRefs;
        this.standings = standings;
    }

    @POST
    @Path("lookup")
    public Standing lookup(@NotNull @Valid StandingQuery query) {
        String audience = audiences.audienceOf(caller.id())
                .orElseThrow(() -> new Problem(403, "card-standing-not-allowed", "This client receives no card events."));
        Optional<Long> resident = QuarkusTransaction.requiringNew().call(() -> linkCodes.residentFor(audience, query.linkCode()));
        if (resident.isEmpty() || query.cardRef() == null) {
            return new Standing("card-unknown");
        }
        List<String> serials = QuarkusTransaction.requiringNew().call(() -> CardCertificate.getEntityManager()
                .createQuery("select c.serial from CardCertificate c, Card k where c.cardRef = k.id and k.residentId = ?1 "
                        + "and c.type = ?2", String.class)
                .setParameter(1, resident.get()).setParameter(2, CardCertificate.AUTHENTICATION)
                .getResultList());
        return serials.stream()
                .filter(serial -> cardRefs.forAudience(audience, serial).equals(query.cardRef()))
                .findFirst()
                .map(serial -> new Standing(standings.refusal(null, serial, 0).map(CardStandingCheck.Refusal::code).orElse(GOOD)))
                .orElse(new Standing("card-unknown"));
    }
}
