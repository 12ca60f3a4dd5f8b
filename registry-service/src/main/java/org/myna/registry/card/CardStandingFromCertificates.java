package org.myna.registry.card;

import jakarta.enterprise.context.ApplicationScoped;
import org.myna.platform.cardstanding.CardStandingCheck;

import java.util.Optional;

/**
 * The registry's answer for the resident-card filter: the card's current status, read from its own tables
 * (certificate and card by primary key, no cache, so a revocation or suspension counts from the commit on, in every
 * instance). A token without a card claim was not made by this registry's card login and is refused.
 */
@ApplicationScoped
public class CardStandingFromCertificates implements CardStandingCheck {

    private final CardCredentials credentials;

    public CardStandingFromCertificates(CardCredentials credentials) {
        this.credentials = credentials;
    }

    @Override
    public Optional<Refusal> refusal(String subject, String serial, long issuedAtSeconds) {
        if (serial == null || !serial.matches("[0-9a-f]{1,40}")) {
            return refuse("card-unknown", "This token does not name the card it was made with; log in with the card again.");
        }
        return switch (credentials.status(serial).status()) {
            case CertificateStatus.GOOD -> Optional.empty();
            case CertificateStatus.REVOKED -> refuse("card-revoked", "The card this token was made with has been revoked.");
            case CertificateStatus.SUSPENDED -> refuse("card-suspended", "The card this token was made with is suspended.");
            case CertificateStatus.EXPIRED -> refuse("card-expired", "The card this token was made with has expired.");
            default -> refuse("card-unknown", "The card this token was made with is not known to this registry.");
        };
    }

    private static Optional<Refusal> refuse(String code, String detail) {
        return Optional.of(new Refusal(code, detail));
    }
}
