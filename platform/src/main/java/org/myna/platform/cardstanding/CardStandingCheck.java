package org.myna.platform.cardstanding;

import java.util.Optional;

/**
 * What a resident or operation token's card is worth now, for {@link ResidentCardFilter}. The wallet and the
 * insurance service answer from the registry's card events ({@link CardStandings}); the registry from its own tables.
 */
public interface CardStandingCheck {

    /** The refusal a token earns: a 401 with the problem code and its detail, or 503 when its card cannot be judged. */
    record Refusal(int status, String code, String detail) {
        public Refusal(String code, String detail) {
            this(401, code, detail);
        }
    }

    /**
     * @param subject the token's subject (a link code), possibly null
     * @param card the token's "card" claim, possibly null
     * @param issuedAtSeconds the token's iat
     */
    Optional<Refusal> refusal(String subject, String card, long issuedAtSeconds);
}
