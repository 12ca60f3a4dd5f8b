package org.myna.registry.card;

import io.quarkus.hibernate.orm.panache.Panache;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import org.myna.platform.problem.Problem;
import org.myna.registry.ca.CertificateAuthority;
import org.myna.registry.resident.Resident;

import java.security.MessageDigest;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.time.OffsetDateTime;
import java.util.Base64;
import java.util.List;
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
        return lookup(certificate, "").map(HolderLink::holder);
    }

    /** A holder and their link code for one audience (null when none was issued yet). */
    public record HolderLink(Holder holder, String linkCode) {
    }

    /** {@link #holderOf} and the holder's link code for {@code audience}, read together in one query. */
    @Transactional(Transactional.TxType.MANDATORY)
    public Optional<HolderLink> holderLink(X509Certificate certificate, String audience) {
        return lookup(certificate, audience);
    }

    /**
     * One query for the certificate, its card, the resident's standing and (for an audience) the link code: these
     * columns are all a status needs, so no entity is loaded. A holder-link call per clinic check made this a hot path.
     */
    private Optional<HolderLink> lookup(X509Certificate certificate, String audience) {
        if (!ca.issued(certificate)) {
            return Optional.empty();
        }
        List<Object[]> rows = Panache.getEntityManager().createQuery("""
                        select c.serial, c.type, c.status, c.revokedReason, c.revokedAt, c.notBefore, c.notAfter, c.pem,
                               k.suspended, k.status, k.residentId, r.status, l.code
                        from CardCertificate c
                        join Card k on k.id = c.cardRef
                        join Resident r on r.id = k.residentId
                        left join LinkCode l on l.key.residentId = k.residentId and l.key.audience = :audience
                        where c.serial = :serial""", Object[].class)
                .setParameter("serial", CardService.serialHex(certificate.getSerialNumber()))
                .setParameter("audience", audience)
                .getResultList();
        if (rows.isEmpty() || !sameCertificate((String) rows.get(0)[7], certificate)) {
            return Optional.empty();
        }
        Object[] row = rows.get(0);
        String serial = (String) row[0];
        String type = (String) row[1];
        OffsetDateTime notAfter = (OffsetDateTime) row[6];
        CertificateStatus status = CertificateStatus.of(serial, type, (String) row[2], (String) row[3],
                (OffsetDateTime) row[4], (OffsetDateTime) row[5], notAfter, (Boolean) row[8],
                Card.ACTIVE.equals(row[9]), OffsetDateTime.now());
        if (status.good() && !Resident.ACTIVE.equals(row[11])) {
            status = new CertificateStatus(serial, type, CertificateStatus.REVOKED, "deceased", null, notAfter);
        }
        return Optional.of(new HolderLink(new Holder((Long) row[10], status), (String) row[12]));
    }

    /** Exactly the bytes this CA recorded at issue: the stored PEM's base64 body is compared, not re-parsed as X.509. */
    private static boolean sameCertificate(String storedPem, X509Certificate certificate) {
        try {
            StringBuilder body = new StringBuilder(storedPem.length());
            for (String line : storedPem.split("\\R")) {
                if (!line.startsWith("-----")) {
                    body.append(line.strip());
                }
            }
            return MessageDigest.isEqual(Base64.getDecoder().decode(body.toString()), certificate.getEncoded());
        } catch (CertificateEncodingException | RuntimeException e) {
            return false;
        }
    }
}
