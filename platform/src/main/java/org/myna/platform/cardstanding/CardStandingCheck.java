package org.myna.platform.cardstanding;

import java.util.Optional;

/**
 * What a resident or operation token's card is worth now, for {@link ResidentCardFilter}. The wallet and the
 * insurance service answer from the registry's card events ({@link CardStandings}); the registry from its own tables.
 */
public interface CardStandingCheck {

    /** A 401 the token earns: the problem code and its detail. */
    record Refusal(String code, String detail) {
    }

    /**
     * @param subject the token's subject (a link code), possibly null
     * @param card the token's "card" claim, possibly null
     * @param issuedAtSeconds the token's iat
     */
    Optional<Refusal> refusal(String subject, String card, long issuedAtSeconds);
}
