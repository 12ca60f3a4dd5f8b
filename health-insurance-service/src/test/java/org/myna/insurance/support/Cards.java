package org.myna.insurance.support;

import org.myna.card.Card;
import org.myna.card.CertificateRequests;

import java.time.Duration;
import java.time.Instant;
import java.util.Base64;

/** A simulated IC card with an authentication certificate from a test CA. */
public record Cards(Card card, String authCertificate) {

    public static final String PIN = "1234";
    public static final String PASSWORD = "abc123";

    public static Cards valid() {
        return issuedBy(TestCa.REGISTRY, Instant.now().minus(Duration.ofDays(1)), Instant.now().plus(Duration.ofDays(365)));
    }

    public static Cards expired() {
        return issuedBy(TestCa.REGISTRY, Instant.now().minus(Duration.ofDays(400)), Instant.now().minus(Duration.ofDays(1)));
    }

    public static Cards issuedBy(TestCa ca, Instant from, Instant to) {
        Card card = Card.create(null, PIN, PASSWORD);
        CertificateRequests csr = card.certificateRequests("app-" + card.cardId(), PIN, PASSWORD);
        return new Cards(card, ca.issue(csr.authCsrPem(), from, to));
    }

    /** The same card (same key) with a certificate from another CA, e.g. a forger who copied the card's public key. */
    public Cards certifiedAlsoBy(TestCa ca) {
        CertificateRequests csr = card.certificateRequests("app-" + card.cardId(), PIN, PASSWORD);
        return new Cards(card, ca.issue(csr.authCsrPem(), Instant.now().minus(Duration.ofDays(1)), Instant.now().plus(Duration.ofDays(365))));
    }

    /** The card's signature over a base64url nonce, as the facility's reader sends it. */
    public String sign(String nonce) {
        byte[] signature = card.signWithAuthKey(PIN, Base64.getUrlDecoder().decode(nonce));
        return Base64.getUrlEncoder().withoutPadding().encodeToString(signature);
    }
}
