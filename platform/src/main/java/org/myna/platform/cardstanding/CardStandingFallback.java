package org.myna.platform.cardstanding;

import java.util.Optional;

/**
 * How a service asks the registry itself what a token's card is worth when its copy of the card events is stale
 * ({@link CardStandingFeed}): the registry's {@code POST /api/card-standings/lookup}, through the service's own client.
 */
public interface CardStandingFallback {

    /** The standing the registry answered: "good", or a problem code that voids the token (card-revoked, ...). */
    String standing(String linkCode, String cardRef);

    /** Thrown when the registry cannot answer: the token is then refused with 503, never honoured. */
    class Unavailable extends RuntimeException {
        public Unavailable(Throwable cause) {
            super("registry unavailable for a card standing", cause);
        }
    }

    static Optional<String> voiding(String standing) {
        return "good".equals(standing) ? Optional.empty() : Optional.of(standing);
    }
}
