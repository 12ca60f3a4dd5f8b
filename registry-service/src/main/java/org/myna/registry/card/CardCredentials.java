package org.myna.registry.card;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import org.myna.registry.ca.CertificateAuthority;
import org.myna.registry.ca.Pems;
import org.myna.registry.common.Problem;
import org.myna.registry.resident.Resident;

import java.security.cert.X509Certificate;
import java.time.OffsetDateTime;
import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

/**
 * Answers, from the database every time (no cache: a revocation must count at once), what a card certificate is
 * worth and whose it is.
 */
@ApplicationScoped
public class CardCredentials {

    private final CertificateAuthority ca;

    public CardCredentials(CertificateAuthority ca) {
        this.ca = ca;
    }

    public record Holder(long residentId, CertificateStatus status) {
    }

    @Transactional
    public CertificateStatus status(String serial) {
        String normalised = serial == null ? "" : serial.toLowerCase(Locale.ROOT);
        if (!normalised.matches("[0-9a-f]{1,40}")) {
            throw Problem.invalidField("serial", "invalid-serial", "A certificate serial is lowercase hexadecimal.");
        }
        normalised = normalised.replaceFirst("^0+(?=.)", "");
        CardCertificate cert = CardCertificate.findById(normalised);
        if (cert == null) {
            return CertificateStatus.unknown(normalised);
        }
        return CertificateStatus.of(cert, Card.findById(cert.cardRef), OffsetDateTime.now());
    }

    /**
     * The holder of a certificate this CA issued and recorded, with its status; empty for anything else (a foreign
     * CA, a forged or altered certificate, a certificate this registry has no record of).
     */
    @Transactional
    public Optional<Holder> holderOf(X509Certificate certificate) {
        if (!ca.issued(certificate)) {
            return Optional.empty();
        }
        CardCertificate row = CardCertificate.findById(CardService.serialHex(certificate.getSerialNumber()));
        if (row == null || !sameCertificate(row, certificate)) {
            return Optional.empty();
        }
        Card card = Card.findById(row.cardRef);
        CertificateStatus status = CertificateStatus.of(row, card, OffsetDateTime.now());
        Resident resident = Resident.findById(card.residentId);
        if (status.good() && !resident.isActive()) {
            status = new CertificateStatus(row.serial, row.type, CertificateStatus.REVOKED, "deceased", null, row.notAfter);
        }
        return Optional.of(new Holder(card.residentId, status));
    }

    private static boolean sameCertificate(CardCertificate row, X509Certificate certificate) {
        try {
            return Pems.parseCertificate(row.pem).map(stored -> {
                try {
                    return Arrays.equals(stored.getEncoded(), certificate.getEncoded());
                } catch (java.security.cert.CertificateEncodingException e) {
                    return false;
                }
            }).orElse(false);
        } catch (RuntimeException e) {
            return false;
        }
    }
}
