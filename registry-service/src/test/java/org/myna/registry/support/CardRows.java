package org.myna.registry.support;

import io.quarkus.narayana.jta.QuarkusTransaction;
import org.myna.registry.card.Card;
import org.myna.registry.card.CardApplication;
import org.myna.registry.card.CardCertificate;
import org.myna.registry.linkcode.LinkCode;

import java.security.SecureRandom;
import java.time.OffsetDateTime;
import java.util.HexFormat;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * For tests that mint operation tokens themselves instead of logging in with a simulated card (the 1,000-resident
 * kiosk test): an active card written straight into the tables, so the token's card claim names a good card.
 */
public final class CardRows {

    private static final SecureRandom RANDOM = new SecureRandom();
    private static final Map<Long, String> SERIALS = new ConcurrentHashMap<>();

    private CardRows() {
    }

    /** The authentication serial of an active card of the resident behind this link code (of any audience). */
    public static String serialFor(String linkCode) {
        Long residentId = QuarkusTransaction.requiringNew().call(() -> LinkCode.<LinkCode>find("code", linkCode)
                .firstResultOptional().map(l -> l.key.residentId()).orElse(null));
        if (residentId == null) {
            return "f" + hex(15);
        }
        return SERIALS.computeIfAbsent(residentId, CardRows::activeCard);
    }

    private static String activeCard(long residentId) {
        return QuarkusTransaction.requiringNew().call(() -> {
            Card existing = Card.<Card>find("activeResidentId", residentId).firstResult();
            if (existing != null) {
                return CardCertificate.<CardCertificate>find("cardRef = ?1 and type = ?2", existing.id, CardCertificate.AUTHENTICATION)
                        .firstResult().serial;
            }
            OffsetDateTime now = OffsetDateTime.now();
            CardApplication application = new CardApplication();
            application.id = hex(16);
            application.residentId = residentId;
            application.status = CardApplication.USED;
            application.createdBy = "test";
            application.createdAt = now;
            application.usedAt = now;
            application.persist();
            Card card = new Card();
            card.cardId = "T" + hex(8).toUpperCase();
            card.residentId = residentId;
            card.applicationId = application.id;
            card.status = Card.ACTIVE;
            card.activeResidentId = residentId;
            card.activationChallenge = hex(16);
            card.expiresOn = now.toLocalDate().plusYears(5);
            card.issuedAt = now;
            card.activatedAt = now;
            card.persist();
            CardCertificate cert = new CardCertificate();
            cert.serial = "e" + hex(15);
            cert.cardRef = card.id;
            cert.type = CardCertificate.AUTHENTICATION;
            cert.publicKeyHash = hex(32);
            cert.notBefore = now.minusMinutes(1);
            cert.notAfter = now.plusYears(5);
            cert.status = CardCertificate.GOOD;
            cert.pem = "test rows only";
            cert.persist();
            return cert.serial;
        });
    }

    private static String hex(int bytes) {
        byte[] b = new byte[bytes];
        RANDOM.nextBytes(b);
        return HexFormat.of().formatHex(b);
    }
}
