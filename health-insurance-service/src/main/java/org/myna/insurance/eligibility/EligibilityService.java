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
import org.myna.platform.persistence.Constraints;
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
import java.util.function.Supplier;

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
    private final SecureRandom random = new SecureRandom();

    public EligibilityService(Challenges challenges, CardVerifier verifier, RegistryClient registry, InsurerService insurers,
                              MemberService members, AccessLogOutbox accessLog, CardReplica replica) {
        this.replica = replica;
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
     * One write transaction per check, after the registry answered (or in it, reading the card replica): the member
     * look-up and the check record, which
     * carries the challenge's random id under a UNIQUE constraint — that insert is what spends the challenge, so two
     * checks with one signed challenge, even at the same instant, record one answer and the other gets a 409. A wrong
     * signature spends nothing, and no transaction spans the registry call. A replay is not looked up beforehand (that
     * read cost 12 % of the service's samples): only the facility the challenge was issued to can replay it, and it
     * gets the 409 after the registry answered (the registry logs that exchange, which did happen).
     */
    public CheckAnswer cardCheck(Facility facility, Requests.CardCheck request) {
        Challenges.Challenge challenge = challenges.open(request.challengeId(), facility);
        X509CertificateHolder certificate = verifier.parse(request.certificate());
        PublicKey key = verifier.verifyChain(certificate);
        verifier.verifySignature(key, challenge.signedBytes(), request.signature());
        if (verifier.notYetValid(certificate)) {
            throw Problem.invalidField("certificate", "certificate-not-yet-valid", "The certificate is not valid yet.");
        }
        PendingCheck card = new PendingCheck(facility, challenge.nonceId());
        if (verifier.expired(certificate)) {
            // No need to ask the registry: the card cannot answer, the paper and number paths can.
            return spend(card, () -> card.record("certificate-expired", CheckAnswer.FALLBACKS));
        }
        // The card replica answers while the registry's event feed is within its bound and it knows the card; it reads
        // in the transaction that records the check. Otherwise the registry is asked, as before it existed.
        if (replica.usable()) {
            String fingerprint = verifier.fingerprint(certificate);
            CheckAnswer local = spend(card, () -> replica.find(fingerprint)
                    .map(known -> answer(card, known.status(), known.linkCode())).orElse(null));
            if (local != null) {
                return local;
            }
        }
        RegistryClient.HolderLink holder;
        try {
            holder = registry.holderLink(request.certificate());
        } catch (Problem unavailable) {
            spend(card, () -> card.record("registry-unavailable", null));
            throw unavailable;
        }
        return switch (holder.status()) {
            case "good", "revoked", "suspended", "expired" -> spend(card, () -> answer(card, holder.status(), holder.linkCode()));
            default -> {
                spend(card, () -> card.record("certificate-unknown", null));
                throw new Problem(422, "certificate-unknown", "The registry does not know this certificate.");
            }
        };
    }

    /** The check's answer for a card the registry (or the replica) says is good, revoked, suspended or expired. */
    private CheckAnswer answer(PendingCheck card, String status, String linkCode) {
        return switch (status) {
            case "good" -> byLinkCode(card, linkCode);
            case "revoked" -> card.record("card-revoked", null);
            case "suspended" -> card.record("card-suspended", null);
            case "expired" -> card.record("certificate-expired", CheckAnswer.FALLBACKS);
            default -> throw new IllegalArgumentException("not a holder status");
        };
    }

    /** A card check being answered: who asks, and the challenge it spends. */
    private final class PendingCheck {
        final Facility facility;
        final String nonceId;

        PendingCheck(Facility facility, String nonceId) {
            this.facility = facility;
            this.nonceId = nonceId;
        }

        CheckAnswer record(String result, List<String> fallbacks) {
            return EligibilityService.this.record(facility, CARD, nonceId, null, null, result, fallbacks);
        }

        CheckAnswer record(Member member, String linkCode, String result) {
            return EligibilityService.this.record(facility, CARD, nonceId, member, linkCode, result, null);
        }
    }

    private CheckAnswer byLinkCode(PendingCheck card, String linkCode) {
        LocalDate today = LocalDate.now(JAPAN);
        // One query: the insurer is fetched with the member (Coverage reads it), not by a second select per member.
        Optional<Member> member = linkCode == null ? Optional.empty() : best(Member.<Member>list(
                "from Member m join fetch m.insurer where m.linkCode = ?1 and m.linkStatus = ?2", linkCode, Member.LINKED), today);
        if (member.isEmpty()) {
            return card.record(null, linkCode, "not-linked");
        }
        return card.record(member.get(), linkCode, member.get().coverageOn(today));
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

    /**
     * Records the card check in its own transaction; the check row's nonce id spends the challenge. Whatever the
     * database says when two checks race for one challenge (a unique violation, or a lock timeout on H2), the loser
     * is a 409 once the challenge turns out spent.
     */
    private CheckAnswer spend(PendingCheck card, Supplier<CheckAnswer> work) {
        try {
            return QuarkusTransaction.requiringNew().call(() -> {
                CheckAnswer answer = work.get();
                // The race on the nonce surfaces here, not at commit, where the transaction manager would log the
                // driver's message with the nonce id.
                EligibilityCheck.flush();
                return answer;
            });
        } catch (Problem p) {
            throw p;
        } catch (RuntimeException e) {
            if (Constraints.violated(e, "uq_eligibility_check_nonce") || spent(card.nonceId)) {
                throw used();
            }
            throw e;
        }
    }

    private static boolean spent(String nonceId) {
        return QuarkusTransaction.requiringNew().call(() -> EligibilityCheck.count("nonceId", nonceId) > 0);
    }

    private static Problem used() {
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
