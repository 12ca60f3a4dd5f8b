package org.myna.card;

/** The two PKCS#10 certificate requests of a card, PEM-encoded, each signed by its own key. */
public record CertificateRequests(String authCsrPem, String signCsrPem) {
}
