package org.myna.insurance.eligibility;

import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import org.bouncycastle.cert.X509CertificateHolder;
import org.myna.insurance.common.Problem;
import org.myna.insurance.config.InsuranceConfig;
import org.myna.insurance.insurer.Insurer;
import org.myna.insurance.insurer.InsurerService;
import org.myna.insurance.member.Member;
import org.myna.insurance.member.MemberService;
import org.myna.insurance.registry.RegistryClient;

import java.security.PublicKey;
import java.security.SecureRandom;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Eligibility at a clinic, by card or by a fallback. Card status is asked of the registry for every check (never
 * cached), outside any transaction; each check is recorded for the resident to see.
 */
@ApplicationScoped
public class EligibilityService {

    static final ZoneId JAPAN = ZoneId.of("Asia/Tokyo");
    static final String CARD = "card";
    static final String CERTIFICATE = "certificate";
    static final String NUMBER = "number";
    private static final char[] BASE32 = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789".toCharArray();

    private final CardVerifier verifier;
    private final RegistryClient registry;
    private final InsurerService insurers;
    private final MemberService members;
    private final InsuranceConfig config;
    private final SecureRandom random = new SecureRandom();

    public EligibilityService(CardVerifier verifier, RegistryClient registry, InsurerService insurers,
                              MemberService members, InsuranceConfig config) {
        this.verifier = verifier;
        this.registry = registry;
        this.insurers = insurers;
        this.members = members;
        this.config = config;
    }

    public record IssuedChallenge(String challengeId, String nonce, OffsetDateTime expiresAt) {
    }

    public IssuedChallenge challenge(Facility facility) {
        EligibilityChallenge c = new EligibilityChallenge();
        c.id = randomBase64(16);
        c.nonce = randomBase64(32);
        c.facilityClientId = facility.clientId();
        c.institutionCode = facility.institutionCode();
        c.expiresAt = OffsetDateTime.now().plus(config.eligibility().challengeTtl());
        QuarkusTransaction.requiringNew().run(c::persist);
        return new IssuedChallenge(c.id, c.nonce, c.expiresAt);
    }

    /**
     * Two short transactions per check besides the challenge's insert: the challenge is read first (a wrong
     * signature must not spend it), and after the registry answered, the challenge is spent, the member looked up
     * and the check recorded in one transaction — a replay loses the conditional update and records nothing.
     */
    public CheckAnswer cardCheck(Facility facility, Requests.CardCheck request) {
        EligibilityChallenge challenge = QuarkusTransaction.requiringNew().call(
                () -> EligibilityChallenge.<EligibilityChallenge>findById(request.challengeId()));
        if (challenge == null || !challenge.facilityClientId.equals(facility.clientId())) {
            throw Problem.invalidField("challengeId", "challenge-unknown", "No challenge with this id was issued to this facility.");
        }
        if (challenge.usedAt != null) {
            throw Problem.conflict("challenge-used", "This challenge was used already; ask for a new one.");
        }
        if (OffsetDateTime.now().isAfter(challenge.expiresAt)) {
            throw Problem.invalidField("challengeId", "challenge-expired", "This challenge expired; ask for a new one.");
        }
        X509CertificateHolder certificate = verifier.parse(request.certificate());
        PublicKey key = verifier.verifyChain(certificate);
        verifier.verifySignature(key, Base64.getUrlDecoder().decode(challenge.nonce), request.signature());
        if (verifier.notYetValid(certificate)) {
            throw Problem.invalidField("certificate", "certificate-not-yet-valid", "The certificate is not valid yet.");
        }
        String challengeId = challenge.id;
        if (verifier.expired(certificate)) {
            // No need to ask the registry: the card cannot answer, the paper and number paths can.
            return spend(challengeId, () -> record(facility, CARD, null, null, "certificate-expired", CheckAnswer.FALLBACKS));
        }
        RegistryClient.HolderLink holder;
        try {
            holder = registry.holderLink(request.certificate());
        } catch (Problem unavailable) {
            spend(challengeId, () -> record(facility, CARD, null, null, "registry-unavailable", null));
            throw unavailable;
        }
        return switch (holder.status()) {
            case "good" -> spend(challengeId, () -> byLinkCode(facility, holder.linkCode()));
            case "revoked" -> spend(challengeId, () -> record(facility, CARD, null, null, "card-revoked", null));
            case "suspended" -> spend(challengeId, () -> record(facility, CARD, null, null, "card-suspended", null));
            case "expired" -> spend(challengeId, () -> record(facility, CARD, null, null, "certificate-expired", CheckAnswer.FALLBACKS));
            default -> {
                spend(challengeId, () -> record(facility, CARD, null, null, "certificate-unknown", null));
                throw new Problem(422, "certificate-unknown", "The registry does not know this certificate.");
            }
        };
    }

    private CheckAnswer byLinkCode(Facility facility, String linkCode) {
        LocalDate today = LocalDate.now(JAPAN);
        Optional<Member> member = linkCode == null ? Optional.empty() : QuarkusTransaction.joiningExisting().call(
                () -> best(Member.<Member>list("linkCode = ?1 and linkStatus = ?2", linkCode, Member.LINKED), today));
        if (member.isEmpty()) {
            return record(facility, CARD, null, linkCode, "not-linked", null);
        }
        return record(facility, CARD, member.get(), linkCode, member.get().coverageOn(today), null);
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
            return record(facility, method, null, null, "not-found", null);
        }
        Member m = member.get();
        return record(facility, method, m, Member.LINKED.equals(m.linkStatus) ? m.linkCode : null,
                m.coverageOn(LocalDate.now(JAPAN)), null);
    }

    public record IssuedCertificate(String certificateNumber, long memberId, OffsetDateTime issuedAt) {
    }

    public IssuedCertificate issueCertificate(Requests.IssueCertificate request, String clientId) {
        InsurerService.insurerNumber(request.insurerNumber());
        return QuarkusTransaction.requiringNew().call(() -> {
            Member m = members.requireOwn(request.insurerNumber(), request.memberId(), clientId);
            EligibilityCertificate c = new EligibilityCertificate();
            c.memberId = m.id;
            c.certificateNumber = certificateNumber();
            c.issuedBy = clientId;
            c.issuedAt = OffsetDateTime.now();
            c.persist();
            return new IssuedCertificate(c.certificateNumber, m.id, c.issuedAt);
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

    /** Spends the challenge and does {@code work} in the same transaction; a challenge spent already is a 409. */
    private CheckAnswer spend(String challengeId, Supplier<CheckAnswer> work) {
        return QuarkusTransaction.requiringNew().call(() -> {
            int updated = EligibilityChallenge.update("usedAt = ?1 where id = ?2 and usedAt is null", OffsetDateTime.now(), challengeId);
            if (updated == 0) {
                throw Problem.conflict("challenge-used", "This challenge was used already; ask for a new one.");
            }
            return work.get();
        });
    }

    private CheckAnswer record(Facility facility, String method, Member member, String linkCode, String result,
                               List<String> fallbacks) {
        EligibilityCheck check = new EligibilityCheck();
        check.memberId = member == null ? null : member.id;
        check.linkCode = linkCode;
        check.facilityClientId = facility.clientId();
        check.institutionCode = facility.institutionCode();
        check.method = method;
        check.result = result;
        check.checkedAt = OffsetDateTime.now();
        QuarkusTransaction.joiningExisting().run(check::persist);
        return new CheckAnswer(check.id, result, member == null ? null : Coverage.of(member, LocalDate.now(JAPAN)), fallbacks);
    }

    private String randomBase64(int bytes) {
        byte[] b = new byte[bytes];
        random.nextBytes(b);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
    }
}
