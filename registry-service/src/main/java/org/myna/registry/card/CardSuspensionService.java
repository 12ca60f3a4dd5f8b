package org.myna.registry.card;

import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import org.myna.platform.problem.Problem;
import org.myna.registry.accesslog.AccessLog;
import org.myna.registry.insurancelink.AttributeMatcher;
import org.myna.registry.resident.IndividualNumber;
import org.myna.registry.resident.Resident;
import org.myna.registry.resident.ResidentService;

import java.util.Optional;

/**
 * A lost card suspended without the card: by a clerk at the counter, or by a call centre on the phone. The suspension
 * is the holder's own (the same flag, outbox event and access-log row as {@code POST /api/me/card/suspension}), so
 * every service refuses the card's tokens through the card-standing events, and only a clerk can lift it.
 */
@ApplicationScoped
public class CardSuspensionService {

    private final ResidentService residents;
    private final CardService cards;
    private final AccessLog accessLog;

    public CardSuspensionService(ResidentService residents, CardService cards, AccessLog accessLog) {
        this.residents = residents;
        this.cards = cards;
        this.accessLog = accessLog;
    }

    private enum Outcome { SUSPENDED, ALREADY_SUSPENDED, NOT_CONFIRMED, UNKNOWN }

    /**
     * @param identityByAttributes true for a call centre: every attribute must be given and match, and whether the
     *                             number is assigned or which attribute differs is never told (no oracle on the phone)
     * @return false when the card was suspended already
     */
    public boolean suspend(CardSuspensionRequest request, boolean identityByAttributes) {
        if (IndividualNumber.defectOf(request.individualNumber()).isPresent()) {
            throw Problem.invalidField("individualNumber", "invalid-number", "The individual number is malformed.");
        }
        if (identityByAttributes && !request.hasAllAttributes()) {
            throw new Problem(400, "attributes-required", "A call centre must give the caller's names, kana, date of birth, sex "
                    + "and address as well as the number.");
        }
        IndividualNumber number = IndividualNumber.parse(request.individualNumber());
        Outcome outcome;
        try {
            outcome = QuarkusTransaction.requiringNew().call(() -> decide(request, number));
        } catch (Problem p) {
            if ("no-active-card".equals(p.code())) {
                throw Problem.conflict("no-active-card", "This resident has no active card to suspend.");
            }
            throw p;
        }
        return switch (outcome) {
            case SUSPENDED -> true;
            case ALREADY_SUSPENDED -> false;
            case UNKNOWN -> throw identityByAttributes ? notConfirmed()
                    : Problem.notFound("resident-not-found", "No resident is registered under this number.");
            case NOT_CONFIRMED -> throw notConfirmed();
        };
    }

    private Outcome decide(CardSuspensionRequest request, IndividualNumber number) {
        Optional<Resident> found = residents.find(number);
        if (found.isEmpty()) {
            return Outcome.UNKNOWN;
        }
        Resident r = found.get();
        // Attributes, once any is given, are all required and all compared (a clerk may rely on the papers instead).
        if (request.hasAnyAttribute() && (!request.hasAllAttributes() || !AttributeMatcher.mismatched(r, request.familyName(),
                request.givenName(), request.familyNameKana(), request.givenNameKana(), request.dateOfBirth(), request.sex(),
                request.address()).isEmpty())) {
            // The register was compared for this caller: the resident sees the failed attempt in the access log.
            accessLog.record(r.id, AccessLog.READ, "card-suspension-identity-not-confirmed", "identity");
            return Outcome.NOT_CONFIRMED;
        }
        return cards.setSuspended(r.id, true) ? Outcome.SUSPENDED : Outcome.ALREADY_SUSPENDED;
    }

    private static Problem notConfirmed() {
        return new Problem(422, "identity-not-confirmed",
                "The number and the attributes given do not identify a resident together; nothing was suspended.");
    }
}
