package org.myna.registry.seal;

import com.fasterxml.jackson.annotation.JsonInclude;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.LockModeType;
import jakarta.persistence.LockTimeoutException;
import jakarta.persistence.PessimisticLockException;
import jakarta.transaction.Transactional;
import org.eclipse.microprofile.jwt.JsonWebToken;
import org.myna.platform.problem.Problem;
import org.myna.registry.accesslog.AccessLog;
import org.myna.registry.auth.Caller;
import org.myna.registry.auth.OperationTokens;
import org.myna.registry.linkcode.LinkCodeService;
import org.myna.registry.resident.Resident;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Issues seal certificates (印鑑登録証明書) and answers whether one is still good.
 *
 * <p>Every issuance locks the seal row (SELECT ... FOR UPDATE), reads its status under that lock and writes the
 * certificate in the same transaction; de-registration takes the same lock. So the two are serial: a certificate
 * is either committed before the de-registration starts, or it is refused. Issue times are taken under the lock,
 * hence always before the de-registration time of the seal.
 */
@ApplicationScoped
public class SealCertificateService {

    static final String FIELDS = "name,dateOfBirth,address,seal";

    private final CertificateSigner signer;
    private final AccessLog accessLog;
    private final LinkCodeService links;
    private final OperationTokens operationTokens;
    private final Caller caller;

    public SealCertificateService(CertificateSigner signer, AccessLog accessLog, LinkCodeService links,
                                  OperationTokens operationTokens, Caller caller) {
        this.signer = signer;
        this.accessLog = accessLog;
        this.links = links;
        this.operationTokens = operationTokens;
        this.caller = caller;
    }

    public record Address(String postalCode, String prefecture, String municipality, String line) {
    }

    public record IssuedCertificate(String certificateNumber, String verificationCode, OffsetDateTime asOf,
                                    long sealId, long sealVersion, String sealImageSha256, String familyName,
                                    String givenName, LocalDate dateOfBirth, Address address, String signedDocument,
                                    String signatureFormat) {
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Verification(String status, OffsetDateTime deregisteredAt, OffsetDateTime issuedAt, String familyName,
                               String givenName, LocalDate dateOfBirth, String sealImageSha256) {
        static final Verification UNKNOWN = new Verification("unknown", null, null, null, null, null, null);
    }

    /** At the counter: the resident (or their agent) presents the registration card. */
    @Transactional
    public IssuedCertificate issueAtCounter(String registrationCardNumber) {
        Seal seal = lockedByCard(registrationCardNumber)
                .orElseThrow(() -> Problem.notFound("seal-not-found", "No seal is registered under this registration card."));
        return issue(seal, SealCertificate.COUNTER).document();
    }

    /**
     * At a kiosk, with a single-use operation token: the requester is the token's subject, resolved through its
     * registry link code; the token is consumed in this transaction.
     */
    @Transactional
    public IssuedCertificate issueAtKiosk(JsonWebToken token) {
        long requester = operationTokens.consume(token, KIOSK_OPERATION);
        Seal seal = lockedActiveOf(requester).orElseThrow(() -> Seal.count("residentId", requester) > 0
                ? Problem.conflict("seal-deregistered", "Your seal registration has ended.")
                : Problem.notFound("no-registered-seal", "You have no registered seal."));
        Issued issued = issue(seal, SealCertificate.KIOSK);
        // The document leaves only if its subject is still the requester the token names; otherwise nothing commits.
        if (issued.certificate().residentId != requester || issued.residentId() != requester || requester(token) != requester) {
            throw new Problem(500, "subject-mismatch", "The certificate could not be issued.");
        }
        return issued.document();
    }

    static final String KIOSK_OPERATION = "kiosk-seal-certificate";

    private long requester(JsonWebToken token) {
        return links.residentFor("registry", token.getSubject())
                .orElseThrow(() -> new Problem(403, "unknown-requester", "The token's subject is not a resident of this registry."));
    }

    private record Issued(SealCertificate certificate, long residentId, IssuedCertificate document) {
    }

    /** Must be called with the seal row locked by this transaction. */
    private Issued issue(Seal seal, String channel) {
        if (!seal.isActive()) {
            throw new Problem(409, "seal-deregistered", "The seal is de-registered; no certificate can be issued.",
                    Map.of("deregisteredAt", seal.deregisteredAt.toString()));
        }
        Resident resident = Resident.findById(seal.residentId);
        if (resident == null || !resident.isActive()) {
            throw Problem.conflict("resident-deceased", "No certificate can be issued for a deceased resident.");
        }
        OffsetDateTime now = OffsetDateTime.now().truncatedTo(ChronoUnit.MICROS);
        String code = Codes.random(12);
        SealCertificate certificate = new SealCertificate();
        certificate.number = Codes.random(16);
        certificate.codeSha256 = ImageInspector.sha256(code.getBytes(StandardCharsets.UTF_8));
        certificate.sealId = seal.id;
        certificate.sealVersion = seal.version;
        certificate.residentId = resident.id;
        certificate.channel = channel;
        certificate.issuedBy = caller.id();
        certificate.issuedAt = now;
        certificate.persist();
        accessLog.record(resident.id, AccessLog.READ, "seal-certificate:" + channel, FIELDS);

        Address address = new Address(resident.postalCode, resident.prefecture, resident.municipality, resident.addressLine);
        Map<String, Object> content = new LinkedHashMap<>();
        content.put("certificateNumber", certificate.number);
        content.put("verificationCode", code);
        content.put("familyName", resident.familyName);
        content.put("givenName", resident.givenName);
        content.put("dateOfBirth", resident.dateOfBirth.toString());
        content.put("address", Map.of("postalCode", address.postalCode(), "prefecture", address.prefecture(),
                "municipality", address.municipality(), "line", address.line()));
        content.put("sealImageSha256", seal.imageSha256);
        content.put("sealId", seal.id);
        content.put("sealVersion", seal.version);
        content.put("asOf", now.toString());
        String jws = signer.sign(content, now.toEpochSecond());
        IssuedCertificate document = new IssuedCertificate(certificate.number, code, now, seal.id, seal.version,
                seal.imageSha256, resident.familyName, resident.givenName, resident.dateOfBirth, address, jws,
                "JWS compact, RS256, registry token key (kid in header, typ " + CertificateSigner.TYPE + ")");
        return new Issued(certificate, resident.id, document);
    }

    /**
     * Public check for whoever holds the paper. A wrong code and an unknown number answer alike, so the endpoint
     * reveals nothing about which certificates exist.
     */
    @Transactional
    public Verification verify(String number, String code) {
        if (number == null || code == null || number.length() > 32 || code.length() > 32) {
            return Verification.UNKNOWN;
        }
        byte[] given = ImageInspector.sha256(code.getBytes(StandardCharsets.UTF_8)).getBytes(StandardCharsets.US_ASCII);
        SealCertificate certificate = SealCertificate.<SealCertificate>find("number", number).firstResult();
        if (certificate == null || !MessageDigest.isEqual(given, certificate.codeSha256.getBytes(StandardCharsets.US_ASCII))) {
            return Verification.UNKNOWN;
        }
        Seal seal = Seal.findById(certificate.sealId);
        if (!seal.isActive() || seal.version != certificate.sealVersion) {
            return new Verification("seal-deregistered", seal.deregisteredAt, null, null, null, null, null);
        }
        Resident resident = Resident.findById(certificate.residentId);
        accessLog.record(resident.id, AccessLog.READ, "seal-certificate-verification", "name,dateOfBirth,seal");
        return new Verification("valid", null, certificate.issuedAt, resident.familyName, resident.givenName,
                resident.dateOfBirth, seal.imageSha256);
    }

    private static Optional<Seal> lockedByCard(String cardNumber) {
        try {
            Optional<Seal> seal = Seal.<Seal>find("registrationCardNumber", cardNumber)
                    .withLock(LockModeType.PESSIMISTIC_WRITE).firstResultOptional();
            seal.ifPresent(s -> Seal.getEntityManager().refresh(s));
            return seal;
        } catch (PessimisticLockException | LockTimeoutException e) {
            throw SealService.busy();
        }
    }

    private static Optional<Seal> lockedActiveOf(long residentId) {
        try {
            Optional<Seal> seal = Seal.<Seal>find("activeResidentId", residentId)
                    .withLock(LockModeType.PESSIMISTIC_WRITE).firstResultOptional();
            seal.ifPresent(s -> Seal.getEntityManager().refresh(s));
            return seal.filter(Seal::isActive).filter(s -> s.residentId == residentId);
        } catch (PessimisticLockException | LockTimeoutException e) {
            throw SealService.busy();
        }
    }
}
