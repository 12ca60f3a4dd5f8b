package org.myna.registry.card;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.persistence.EntityManager;
import jakarta.persistence.LockModeType;
import jakarta.persistence.PersistenceException;
import jakarta.transaction.Transactional;
import org.myna.platform.persistence.Constraints;
import org.myna.platform.problem.Problem;
import org.myna.registry.accesslog.AccessLog;
import org.myna.registry.auth.Caller;
import org.myna.registry.ca.EcCrypto;
import org.myna.registry.ca.Pems;
import org.myna.registry.outbox.Outbox;
import org.myna.registry.resident.IndividualNumber;
import org.myna.registry.resident.Resident;
import org.myna.registry.resident.ResidentChanged;
import org.myna.registry.resident.ResidentService;

import java.math.BigInteger;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.util.Base64;
import java.util.List;
import java.util.Set;

/** The card lifecycle: application, issuance of both certificates, activation, revocation, suspension. */
@ApplicationScoped
public class CardService {

    static final ZoneId JAPAN = ZoneId.of("Asia/Tokyo");
    public static final Set<String> CLERK_REVOCATION_REASONS = Set.of("returned", "lost", "deceased");
    static final String SUPERSEDED = "superseded";

    private final ResidentService residents;
    private final CertificateProfiles profiles;
    private final AccessLog accessLog;
    private final Caller caller;
    private final EntityManager em;
    private final SecureRandom random = new SecureRandom();

    private final Outbox outbox;

    public CardService(ResidentService residents, CertificateProfiles profiles, AccessLog accessLog, Caller caller, EntityManager em,
                       Outbox outbox) {
        this.outbox = outbox;
        this.residents = residents;
        this.profiles = profiles;
        this.accessLog = accessLog;
        this.caller = caller;
        this.em = em;
    }

    public record Issuance(String cardId, String authCertificate, String signCertificate, String authSerial,
                           String signSerial, String activationChallenge) {
    }

    @Transactional
    public String openApplication(IndividualNumber number) {
        Resident resident = residents.require(number, LockModeType.NONE);
        if (!resident.isActive()) {
            throw Problem.conflict("resident-deceased", "No card can be issued for a deceased resident.");
        }
        CardApplication application = new CardApplication();
        application.id = randomId(24);
        application.residentId = resident.id;
        application.status = CardApplication.OPEN;
        application.createdBy = caller.id();
        application.createdAt = OffsetDateTime.now();
        application.persist();
        accessLog.record(resident.id, AccessLog.CREATE, "card-application", "card");
        return application.id;
    }

    /**
     * Certifies the two keys of a card for an open application. The requests are checked before anything is
     * written; the application row lock serialises concurrent issuances for it, and the unique constraints on
     * card id, application and public key settle any other race.
     */
    @Transactional
    public Issuance issue(String applicationId, String authCsrPem, String signCsrPem) {
        if (authCsrPem == null || signCsrPem == null) {
            throw Problem.badRequest("csr-missing", "Both authCsr and signCsr are required.");
        }
        CsrCheck auth = CsrCheck.of("authCsr", authCsrPem);
        CsrCheck sign = CsrCheck.of("signCsr", signCsrPem);
        if (!applicationId.equals(auth.applicationId()) || !applicationId.equals(sign.applicationId())) {
            throw new Problem(422, "csr-application-mismatch", "The certificate requests were not made for this application.");
        }
        if (!auth.cardId().equals(sign.cardId()) || !CsrCheck.CARD_ID.matcher(auth.cardId()).matches()) {
            throw new Problem(422, "csr-card-mismatch", "Both requests must carry the same valid card id (SERIALNUMBER).");
        }
        if (auth.keyHash().equals(sign.keyHash())) {
            throw new Problem(422, "csr-same-key", "The authentication and signature keys must differ.");
        }
        CardApplication application = em.find(CardApplication.class, applicationId, LockModeType.PESSIMISTIC_WRITE);
        if (application == null) {
            throw Problem.notFound("application-not-found", "No card application with this id.");
        }
        if (!CardApplication.OPEN.equals(application.status)) {
            throw Problem.conflict("application-used", "This application has already produced a card.");
        }
        Resident holder = Resident.findById(application.residentId);
        if (!holder.isActive()) {
            throw Problem.conflict("resident-deceased", "No card can be issued for a deceased resident.");
        }
        if (Card.count("cardId", auth.cardId()) > 0) {
            throw Problem.conflict("card-id-taken", "A card with this id was already issued; a card never changes holder.");
        }
        if (CardCertificate.count("publicKeyHash in ?1", List.of(auth.keyHash(), sign.keyHash())) > 0) {
            throw Problem.conflict("key-already-certified", "One of these keys is already certified; every card key is certified once.");
        }

        OffsetDateTime now = OffsetDateTime.now();
        LocalDate today = now.atZoneSameInstant(JAPAN).toLocalDate();
        Card card = new Card();
        card.cardId = auth.cardId();
        card.residentId = holder.id;
        card.applicationId = application.id;
        card.status = Card.ISSUED;
        card.suspended = false;
        card.activationChallenge = randomId(32);
        card.expiresOn = Lifetimes.cardExpiry(holder.dateOfBirth, today);
        card.issuedAt = now;
        card.persist();

        Instant notBefore = now.toInstant().minusSeconds(60);
        Instant notAfter = Lifetimes.certificateExpiry(holder.dateOfBirth, today).atTime(23, 59, 59).atZone(JAPAN).toInstant();
        BigInteger authSerial = profiles.newSerial();
        BigInteger signSerial = profiles.newSerial();
        X509Certificate authCert = profiles.authentication(authSerial, auth.key(), randomId(12), notBefore, notAfter);
        X509Certificate signCert = profiles.signature(signSerial, sign.key(), holder, card.cardId, notBefore, notAfter);
        CardCertificate authRow = certificate(card, CardCertificate.AUTHENTICATION, authCert, auth.keyHash());
        CardCertificate signRow = certificate(card, CardCertificate.SIGNATURE, signCert, sign.keyHash());

        application.status = CardApplication.USED;
        application.usedAt = now;
        try {
            em.flush();
        } catch (PersistenceException e) {
            throw raced(e);
        }
        outbox.publishCardState(holder.id, Outbox.CARD_ISSUED, authRow.serial);
        accessLog.record(holder.id, AccessLog.CREATE, "card-issuance", "name,kana,dateOfBirth,sex,address");
        return new Issuance(card.cardId, authRow.pem, signRow.pem, authRow.serial, signRow.serial, card.activationChallenge);
    }

    private static Problem raced(PersistenceException e) {
        if (Constraints.violated(e, "uq_card_card_id")) {
            return Problem.conflict("card-id-taken", "A card with this id was already issued; a card never changes holder.");
        }
        if (Constraints.violated(e, "uq_certificate_public_key")) {
            return Problem.conflict("key-already-certified", "One of these keys is already certified.");
        }
        if (Constraints.violated(e, "uq_card_application_id")) {
            return Problem.conflict("application-used", "This application has already produced a card.");
        }
        if (Constraints.violated(e, "uq_card_active_resident")) {
            return Problem.conflict("card-already-active", "The resident has another active card.");
        }
        throw e;
    }

    private static CardCertificate certificate(Card card, String type, X509Certificate cert, String keyHash) {
        CardCertificate row = new CardCertificate();
        row.serial = serialHex(cert.getSerialNumber());
        row.cardRef = card.id;
        row.type = type;
        row.publicKeyHash = keyHash;
        row.notBefore = OffsetDateTime.ofInstant(cert.getNotBefore().toInstant(), JAPAN);
        row.notAfter = OffsetDateTime.ofInstant(cert.getNotAfter().toInstant(), JAPAN);
        row.status = CardCertificate.GOOD;
        row.pem = Pems.write(cert);
        row.persist();
        return row;
    }

    public static String serialHex(BigInteger serial) {
        return serial.toString(16);
    }

    /**
     * The holder proves the card works (PIN and key) by signing the activation challenge with the authentication
     * key. The resident row lock orders activations of one resident; a previous active card is superseded; the
     * unique index on active_resident_id is the last word.
     */
    @Transactional
    public void activate(String cardId, String signatureBase64) {
        byte[] signature = decode(signatureBase64, "signature");
        Long residentId = em.createQuery("select c.residentId from Card c where c.cardId = :id", Long.class)
                .setParameter("id", cardId).getResultStream().findFirst()
                .orElseThrow(() -> Problem.notFound("card-not-found", "No card with this id."));
        Resident holder = em.find(Resident.class, residentId, LockModeType.PESSIMISTIC_WRITE);
        Card card = Card.<Card>find("cardId", cardId).withLock(LockModeType.PESSIMISTIC_WRITE).firstResult();
        if (card.isRevoked()) {
            throw Problem.conflict("card-revoked", "This card is revoked.");
        }
        if (card.isActive()) {
            throw Problem.conflict("card-already-active", "This card is already active.");
        }
        if (!holder.isActive()) {
            throw Problem.conflict("resident-deceased", "The holder is deceased.");
        }
        LocalDate today = LocalDate.now(JAPAN);
        if (card.expiresOn.isBefore(today)) {
            throw Problem.conflict("card-expired", "This card has expired.");
        }
        CardCertificate authRow = certificates(card).stream().filter(c -> CardCertificate.AUTHENTICATION.equals(c.type)).findFirst().orElseThrow();
        X509Certificate authCert = Pems.parseCertificate(authRow.pem).orElseThrow();
        if (!EcCrypto.verifies(authCert.getPublicKey(), Base64.getUrlDecoder().decode(card.activationChallenge), signature)) {
            throw new Problem(422, "signature-invalid", "The signature is not the card's authentication key over the activation challenge.");
        }
        Card previous = Card.<Card>find("activeResidentId", residentId).withLock(LockModeType.PESSIMISTIC_WRITE).firstResult();
        OffsetDateTime now = OffsetDateTime.now();
        if (previous != null) {
            revoke(previous, SUPERSEDED, now);
            flush();
        }
        card.status = Card.ACTIVE;
        card.activeResidentId = residentId;
        card.activatedAt = now;
        flush();
        outbox.publishCardState(residentId, Outbox.CARD_ACTIVATED, authRow.serial);
        outbox.publishEligibilityFacts(residentId);
        accessLog.record(residentId, AccessLog.UPDATE, "card-activation", "card");
    }

    @Transactional
    public void revokeByClerk(String cardId, String reason) {
        if (reason == null || !CLERK_REVOCATION_REASONS.contains(reason)) {
            throw Problem.invalidField("reason", "invalid-reason", "reason must be one of returned, lost, deceased.");
        }
        Card card = Card.<Card>find("cardId", cardId).withLock(LockModeType.PESSIMISTIC_WRITE).firstResult();
        if (card == null) {
            throw Problem.notFound("card-not-found", "No card with this id.");
        }
        if (card.isRevoked()) {
            throw Problem.conflict("card-already-revoked", "This card is already revoked.");
        }
        revoke(card, reason, OffsetDateTime.now());
        flush();
        accessLog.record(card.residentId, AccessLog.UPDATE, "card-revocation", "card");
    }

    /** Same transaction as the change: a death revokes the cards; a move or a new name voids the signature certificates. */
    void onResidentChanged(@Observes ResidentChanged event) {
        List<Card> cards = Card.<Card>find("residentId = ?1 and status <> ?2", event.residentId(), Card.REVOKED)
                .withLock(LockModeType.PESSIMISTIC_WRITE).list();
        OffsetDateTime now = OffsetDateTime.now();
        for (Card card : cards) {
            switch (event.kind()) {
                case DECEASED -> revoke(card, "deceased", now);
                case MOVED, RENAMED -> {
                    String reason = event.kind() == ResidentChanged.Kind.MOVED ? "moved" : "renamed";
                    certificates(card).stream().filter(c -> CardCertificate.SIGNATURE.equals(c.type)).forEach(c -> c.revoke(reason, now));
                }
            }
        }
        flush();
    }

    /** Suspends or resumes the authentication of the resident's active card; returns false if nothing changed. */
    @Transactional
    public boolean setSuspended(long residentId, boolean suspended) {
        Card card = Card.<Card>find("activeResidentId", residentId).withLock(LockModeType.PESSIMISTIC_WRITE).firstResult();
        if (card == null) {
            throw Problem.notFound("no-active-card", "You have no active card.");
        }
        return setSuspended(card, suspended);
    }

    /**
     * A clerk lifts the holder's suspension at the counter, after checking who is asking. The holder cannot do it
     * online: the suspended card no longer logs in, and its earlier tokens are refused.
     */
    @Transactional
    public boolean resumeByClerk(String cardId) {
        Card card = Card.<Card>find("cardId", cardId).withLock(LockModeType.PESSIMISTIC_WRITE).firstResult();
        if (card == null) {
            throw Problem.notFound("card-not-found", "No card with this id.");
        }
        if (!card.isActive()) {
            throw Problem.conflict(card.isRevoked() ? "card-revoked" : "card-not-active", "Only an active card can be resumed.");
        }
        return setSuspended(card, false);
    }

    private boolean setSuspended(Card card, boolean suspended) {
        long residentId = card.residentId;
        if (card.suspended == suspended) {
            return false;
        }
        card.suspended = suspended;
        flush();
        outbox.publish(residentId, suspended ? Outbox.CARD_SUSPENDED : Outbox.CARD_RESUMED, authSerial(card));
        accessLog.record(residentId, AccessLog.UPDATE, suspended ? "card-suspension" : "card-resumption", "card");
        return true;
    }

    private void revoke(Card card, String reason, OffsetDateTime now) {
        card.status = Card.REVOKED;
        card.activeResidentId = null;
        outbox.publish(card.residentId, Outbox.CARD_REVOKED, authSerial(card));
        outbox.publishEligibilityFacts(card.residentId);
        card.revokedAt = now;
        card.revokedReason = reason;
        certificates(card).forEach(c -> c.revoke(reason, now));
    }

    private static String authSerial(Card card) {
        return certificates(card).stream().filter(c -> CardCertificate.AUTHENTICATION.equals(c.type))
                .map(c -> c.serial).findFirst().orElse(null);
    }

    static List<CardCertificate> certificates(Card card) {
        return CardCertificate.list("cardRef", card.id);
    }

    private void flush() {
        try {
            em.flush();
        } catch (PersistenceException e) {
            throw raced(e);
        }
    }

    /** base64url (the contract) or plain base64, padded or not. */
    public static byte[] decode(String value, String field) {
        if (value == null || value.isBlank() || value.length() > 2048) {
            throw Problem.invalidField(field, "invalid-" + field, field + " must be base64url.");
        }
        try {
            return Base64.getUrlDecoder().decode(value.replace('+', '-').replace('/', '_').replace("=", ""));
        } catch (IllegalArgumentException e) {
            throw Problem.invalidField(field, "invalid-" + field, field + " must be base64url.");
        }
    }

    String randomId(int bytes) {
        byte[] b = new byte[bytes];
        random.nextBytes(b);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
    }
}
