package org.myna.insurance.eligibility;

import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import org.bouncycastle.cert.X509CertificateHolder;
import org.myna.insurance.auth.Roles;
import org.myna.insurance.cardreplica.CardReplica;
import org.myna.insurance.insurer.Insurer;
import org.myna.insurance.insurer.InsurerService;
import org.myna.insurance.member.Member;
import org.myna.insurance.member.MemberService;
import org.myna.insurance.registry.RegistryClient;
import org.myna.platform.accesslog.AccessLogOutbox;
import org.myna.platform.idempotency.Idempotency;
import org.myna.platform.problem.Problem;

import java.security.PublicKey;
import java.security.SecureRandom;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Eligibility at a clinic, by card or by a fallback. Card status comes from the card replica while the registry's
 * event feed is within its bound and the replica knows the card, else it is asked of the registry for that check,
 * outside any transaction; each check is recorded, and the resident's access log at the registry hears of it
 * through the outbox row written with the record.
 */
@ApplicationScoped
public class EligibilityService {

    static final ZoneId JAPAN = ZoneId.of("Asia/Tokyo");
    static final String CARD = "card";
    static final String CERTIFICATE = "certificate";
    static final String NUMBER = "number";
    /** What a clinic learns of a resident from a check with an answer (Coverage). */
    static final String CHECK_FIELDS = "coverage,name,kana,dateOfBirth,insurer,symbol,number,copayRate";
    private static final char[] BASE32 = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789".toCharArray();

    private final Challenges challenges;
    private final CardVerifier verifier;
    private final RegistryClient registry;
    private final InsurerService insurers;
    private final MemberService members;
    private final AccessLogOutbox accessLog;
    private final CardReplica replica;
    private final CheckWriter writer;
    private final SecureRandom random = new SecureRandom();

    public EligibilityService(Challenges challenges, CardVerifier verifier, RegistryClient registry, InsurerService insurers,
                              MemberService members, AccessLogOutbox accessLog, CardReplica replica, CheckWriter writer) {
        this.replica = replica;
        this.writer = writer;
        this.accessLog = accessLog;
        this.challenges = challenges;
        this.verifier = verifier;
        this.registry = registry;
        this.insurers = insurers;
        this.members = members;
    }

    public Challenges.Issued challenge(Facility facility) {
        return challenges.issue(facility);
    }

    /**
     * The card check, recorded by the batched writer ({@link CheckWriter}) after the card and the signature checked out:
     * the check record carries the challenge's random id under a UNIQUE constraint — that insert is what spends the
     * challenge, so two checks with one signed challenge, even at the same instant or in one batch, record one answer
     * and the other gets a 409. A wrong signature spends nothing, and no transaction spans the registry call. A replay
     * is not looked up beforehand: only the facility the challenge was issued to can replay it, and it gets the 409
     * when its check is written (after the registry answered, if it was asked: the registry logs that exchange).
     */
    public CheckAnswer cardCheck(Facility facility, Requests.CardCheck request) {
        Challenges.Challenge challenge = challenges.open(request.challengeId(), facility);
        X509CertificateHolder certificate = verifier.parse(request.certificate());
        PublicKey key = verifier.verifyChain(certificate);
        verifier.verifySignature(key, challenge.signedBytes(), request.signature());
        if (verifier.notYetValid(certificate)) {
            throw Problem.invalidField("certificate", "certificate-not-yet-valid", "The certificate is not valid yet.");
        }
        String nonceId = challenge.nonceId();
        if (verifier.expired(certificate)) {
            // No need to ask the registry: the card cannot answer, the paper and number paths can.
            return writer.check(CheckRequest.fixed(facility, nonceId, "certificate-expired", CheckAnswer.FALLBACKS));
        }
        // The card replica answers while the registry's event feed is within its bound and it knows the card; the writer
        // reads it in the transaction that records the check. Otherwise the registry is asked, as before it existed.
        if (replica.usable()) {
            CheckAnswer local = writer.check(CheckRequest.fromReplica(facility, nonceId, verifier.fingerprint(certificate)));
            if (local != null) {
                return local;
            }
        }
        RegistryClient.HolderLink holder;
        try {
            holder = registry.holderLink(request.certificate());
        } catch (Problem unavailable) {
            writer.check(CheckRequest.fixed(facility, nonceId, "registry-unavailable", null));
            throw unavailable;
        }
        return switch (holder.status()) {
            case "good", "revoked", "suspended", "expired" -> writer.check(CheckRequest.holder(facility, nonceId, holder.status(), holder.linkCode()));
            default -> {
                writer.check(CheckRequest.fixed(facility, nonceId, "certificate-unknown", null));
                throw new Problem(422, "certificate-unknown", "The registry does not know this certificate.");
            }
        };
    }

    /** Current coverage first, then one about to start, then the most recently ended one. */
    static Optional<Member> best(List<Member> candidates, LocalDate today) {
        Map<String, Integer> rank = Map.of("covered", 0, "coverage-not-started", 1, "coverage-ended", 2);
        return candidates.stream().min(Comparator.<Member>comparingInt(m -> rank.get(m.coverageOn(today)))
                .thenComparing(m -> m.coverageStart, Comparator.reverseOrder()));
    }

    public CheckAnswer certificateCheck(Facility facility, Requests.CertificateCheck request) {
        String number = request.certificateNumber().strip().toUpperCase();
        Optional<Member> member = QuarkusTransaction.requiringNew().call(() ->
                EligibilityCertificate.<EligibilityCertificate>find("certificateNumber", number).firstResultOptional()
                        .map(c -> Member.<Member>findById(c.memberId)));
        return fallbackAnswer(facility, CERTIFICATE, member);
    }

    public CheckAnswer numberCheck(Facility facility, Requests.NumberCheck request) {
        InsurerService.insurerNumber(request.insurerNumber());
        Optional<Member> member = QuarkusTransaction.requiringNew().call(() ->
                Insurer.byNumber(request.insurerNumber()).flatMap(insurer -> Member.<Member>find(
                        "insurer = ?1 and symbol = ?2 and number = ?3 and branch = ?4 and dateOfBirth = ?5",
                        insurer, request.symbol(), request.number(), request.branch(), request.dateOfBirth())
                        .firstResultOptional()));
        return fallbackAnswer(facility, NUMBER, member);
    }

    private CheckAnswer fallbackAnswer(Facility facility, String method, Optional<Member> member) {
        if (member.isEmpty()) {
            return record(facility, method, null, null, null, "not-found", null);
        }
        Member m = member.get();
        return record(facility, method, null, m, Member.LINKED.equals(m.linkStatus) ? m.linkCode : null,
                m.coverageOn(LocalDate.now(JAPAN)), null);
    }

    public record IssuedCertificate(String certificateNumber, long memberId, OffsetDateTime issuedAt) {
    }

    /** The certificate and, with an Idempotency-Key ({@code ticket} not null), its stored answer in one transaction. */
    public IssuedCertificate issueCertificate(Requests.IssueCertificate request, String clientId, Idempotency.Ticket ticket) {
        InsurerService.insurerNumber(request.insurerNumber());
        return QuarkusTransaction.requiringNew().call(() -> {
            Member m = members.requireOwn(request.insurerNumber(), request.memberId(), clientId);
            EligibilityCertificate c = new EligibilityCertificate();
            c.memberId = m.id;
            c.certificateNumber = certificateNumber();
            c.issuedBy = clientId;
            c.issuedAt = OffsetDateTime.now();
            c.persist();
            accessLog.record(Member.LINKED.equals(m.linkStatus) ? m.linkCode : null, clientId, Roles.INSURER, AccessLogOutbox.CREATE,
                    "eligibility-certificate", "coverage,name,dateOfBirth,insurer,symbol,number");
            IssuedCertificate issued = new IssuedCertificate(c.certificateNumber, m.id, c.issuedAt);
            if (ticket != null) {
                ticket.complete(issued);
            }
            return issued;
        });
    }

    /** 24 symbols of a 32-letter alphabet without look-alikes: 120 random bits, read out over a phone if needed. */
    String certificateNumber() {
        StringBuilder out = new StringBuilder(24);
        for (int i = 0; i < 24; i++) {
            out.append(BASE32[random.nextInt(BASE32.length)]);
        }
        return out.toString();
    }

    static Problem used() {
        return Problem.conflict("challenge-used", "This challenge was used already; ask for a new one.");
    }

    private CheckAnswer record(Facility facility, String method, String nonceId, Member member, String linkCode,
                               String result, List<String> fallbacks) {
        EligibilityCheck check = new EligibilityCheck();
        check.nonceId = nonceId;
        check.memberId = member == null ? null : member.id;
        check.linkCode = linkCode;
        check.facilityClientId = facility.clientId();
        check.institutionCode = facility.institutionCode();
        check.method = method;
        check.result = result;
        check.checkedAt = OffsetDateTime.now();
        // The resident's access-log row commits with the check, naming the clinic (not this service) as the reader.
        QuarkusTransaction.joiningExisting().run(() -> {
            check.persist();
            accessLog.record(linkCode, facility.clientId(), Roles.FACILITY, AccessLogOutbox.READ, "eligibility-check:" + method,
                    member == null ? "insurance-link" : CHECK_FIELDS);
        });
        return new CheckAnswer(check.id, result, member == null ? null : Coverage.of(member, LocalDate.now(JAPAN)), fallbacks);
    }

}
