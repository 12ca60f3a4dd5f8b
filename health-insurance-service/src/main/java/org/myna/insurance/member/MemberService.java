package org.myna.insurance.member;

import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import org.myna.insurance.auth.Roles;
import org.myna.insurance.insurer.Insurer;
import org.myna.insurance.insurer.InsurerService;
import org.myna.insurance.registry.RegistryClient;
import org.myna.platform.idempotency.Idempotency;
import org.myna.platform.accesslog.AccessLogOutbox;
import org.myna.platform.persistence.Constraints;
import org.myna.platform.problem.Problem;

import java.time.OffsetDateTime;
import java.util.Map;

/**
 * Enrols members and links them to residents. The registry is asked between two short transactions, never inside
 * one: a slow registry must not hold locks or connections here.
 */
@ApplicationScoped
public class MemberService {

    static final String MEMBER_FIELDS = "name,kana,dateOfBirth,sex,coverage,insuranceLink";
    static final String ENROLMENT_FIELDS = "number,name,kana,dateOfBirth,sex,address,coverage";

    private final InsurerService insurers;
    private final RegistryClient registry;
    private final AccessLogOutbox accessLog;

    public MemberService(InsurerService insurers, RegistryClient registry, AccessLogOutbox accessLog) {
        this.insurers = insurers;
        this.registry = registry;
        this.accessLog = accessLog;
    }

    /** An insurer reads its member; a linked member's resident sees the read in their access log. */
    @Transactional
    public MemberResponse readOwn(String insurerNumber, long memberId, String clientId) {
        Member m = requireOwn(insurerNumber, memberId, clientId);
        accessLog.record(Member.LINKED.equals(m.linkStatus) ? m.linkCode : null, clientId, Roles.INSURER, AccessLogOutbox.READ,
                "member-record", MEMBER_FIELDS);
        return MemberResponse.of(m);
    }

    public Member enrol(String insurerNumber, EnrolMemberRequest request, String clientId) {
        return enrol(insurerNumber, request, clientId, null);
    }

    /**
     * With an Idempotency-Key ({@code ticket} not null) the member and the stored answer commit together: a retry gets
     * this answer, never a second member, and a retry racing this request hears "in progress".
     */
    public Member enrol(String insurerNumber, EnrolMemberRequest request, String clientId, Idempotency.Ticket ticket) {
        validate(request);
        QuarkusTransaction.requiringNew().run(() -> {
            Insurer insurer = insurers.requireOwn(insurerNumber, clientId);
            if (Member.count("insurer = ?1 and symbol = ?2 and number = ?3 and branch = ?4",
                    insurer, request.symbol(), request.number(), request.branch()) > 0) {
                throw duplicate();
            }
        });
        RegistryClient.LinkAnswer answer = request.individualNumber() == null ? null
                : askRegistry(request.individualNumber(), request.address(), request.familyName(), request.givenName(),
                request.familyNameKana(), request.givenNameKana(), request.dateOfBirth(), request.sex());
        try {
            return QuarkusTransaction.requiringNew().call(() -> {
                Member m = newMember(insurers.requireOwn(insurerNumber, clientId), request);
                if (answer != null) {
                    record(m, answer, clientId, accessLog);
                } else {
                    m.persist();
                }
                m.flush();
                if (ticket != null) {
                    ticket.complete(MemberResponse.of(m));
                }
                return m;
            });
        } catch (RuntimeException e) {
            if (Constraints.violated(e, "uq_member_card")) {
                throw duplicate();
            }
            throw e;
        }
    }

    /** Links an enrolled member later (e.g. once the insurer has collected the number). */
    public Member link(String insurerNumber, long memberId, LinkMemberRequest request, String clientId) {
        return link(insurerNumber, memberId, request, clientId, null);
    }

    /** With an Idempotency-Key, a retry gets the first answer and does not ask the registry a second time. */
    public Member link(String insurerNumber, long memberId, LinkMemberRequest request, String clientId, Idempotency.Ticket ticket) {
        Member snapshot = QuarkusTransaction.requiringNew().call(() -> requireOwn(insurerNumber, memberId, clientId));
        if (Member.LINKED.equals(snapshot.linkStatus)) {
            throw Problem.conflict("already-linked", "This member is already linked to a resident.");
        }
        RegistryClient.LinkAnswer answer = askRegistry(request.individualNumber(), request.address(), snapshot.familyName,
                snapshot.givenName, snapshot.familyNameKana, snapshot.givenNameKana, snapshot.dateOfBirth, snapshot.sex);
        return QuarkusTransaction.requiringNew().call(() -> {
            Member m = requireOwn(insurerNumber, memberId, clientId);
            if (m.version != snapshot.version) {
                throw Problem.conflict("concurrent-update", "The member changed meanwhile; read it again and retry.");
            }
            record(m, answer, clientId, accessLog);
            if (ticket != null) {
                m.flush();
                ticket.complete(MemberResponse.of(m));
            }
            return m;
        });
    }

    @Transactional(Transactional.TxType.SUPPORTS)
    public Member requireOwn(String insurerNumber, long memberId, String clientId) {
        Insurer insurer = insurers.requireOwn(insurerNumber, clientId);
        Member m = Member.findById(memberId);
        if (m == null || !m.insurer.id.equals(insurer.id)) {
            throw Problem.notFound("member-not-found", "This insurer has no member with this id.");
        }
        return m;
    }

    private RegistryClient.LinkAnswer askRegistry(String number, LinkAddress address, String familyName, String givenName,
                                                  String familyNameKana, String givenNameKana,
                                                  java.time.LocalDate dateOfBirth, String sex) {
        if (!IndividualNumberFormat.wellFormed(number)) {
            throw Problem.invalidField("individualNumber", "invalid-number",
                    "The individual number must be 12 digits with a valid check digit.");
        }
        if (address == null) {
            throw Problem.invalidField("address", "address-required", "Linking needs the member's address as well.");
        }
        RegistryClient.LinkAnswer answer = registry.link(linkRequest(number, address, familyName, givenName,
                familyNameKana, givenNameKana, dateOfBirth, sex));
        if ("rejected".equals(answer.outcome())) {
            throw new Problem(422, "registry-rejected", "The registry refused the link request itself.",
                    Map.of("registryCode", answer.code()));
        }
        return answer;
    }

    static RegistryClient.LinkRequest linkRequest(String number, LinkAddress address, String familyName, String givenName,
                                                  String familyNameKana, String givenNameKana,
                                                  java.time.LocalDate dateOfBirth, String sex) {
        return new RegistryClient.LinkRequest(number, familyName, givenName, familyNameKana, givenNameKana, dateOfBirth,
                sex, address.postalCode(), address.prefecture(), address.municipality(), address.line());
    }

    /** A new, unlinked member as the insurer wrote it; not yet persisted. */
    static Member newMember(Insurer insurer, EnrolMemberRequest request) {
        Member m = new Member();
        m.insurer = insurer;
        m.symbol = request.symbol();
        m.number = request.number();
        m.branch = request.branch();
        m.copayRate = request.copayRate();
        m.coverageStart = request.coverageStart();
        m.coverageEnd = request.coverageEnd();
        m.familyName = request.familyName();
        m.givenName = request.givenName();
        m.familyNameKana = request.familyNameKana();
        m.givenNameKana = request.givenNameKana();
        m.dateOfBirth = request.dateOfBirth();
        m.sex = request.sex();
        m.linkStatus = Member.UNLINKED;
        m.createdAt = OffsetDateTime.now();
        return m;
    }

    /**
     * The registry's answer on the member, and the attempt in its history. A new member is persisted here, after its
     * link fields are set: it is then inserted with them, not inserted and updated (half the writes of an enrolment).
     */
    static void record(Member m, RegistryClient.LinkAnswer answer, String clientId, AccessLogOutbox accessLog) {
        OffsetDateTime now = OffsetDateTime.now();
        m.linkStatus = answer.outcome();
        m.linkCode = answer.linkCode();
        m.linkMismatched = answer.mismatched().isEmpty() ? null : String.join(",", answer.mismatched());
        m.linkedBy = clientId;
        m.linkedAt = now;
        if (m.id == null) {
            m.persist();
        }
        LinkAttempt attempt = new LinkAttempt();
        attempt.memberId = m.id;
        attempt.outcome = answer.outcome();
        attempt.mismatched = m.linkMismatched;
        attempt.askedBy = clientId;
        attempt.askedAt = now;
        attempt.persist();
        // The registry logs its exchange with this service; the resident also learns which insurer enrolled them.
        accessLog.record(Member.LINKED.equals(m.linkStatus) ? m.linkCode : null, clientId, Roles.INSURER, AccessLogOutbox.CREATE,
                "insurance-enrolment", ENROLMENT_FIELDS);
    }

    static void validate(EnrolMemberRequest r) {
        int copay = r.copayRate();
        if (copay != 10 && copay != 20 && copay != 30) {
            throw Problem.invalidField("copayRate", "invalid-copay-rate", "The copay rate must be 10, 20 or 30 (percent).");
        }
        if (r.coverageEnd() != null && r.coverageEnd().isBefore(r.coverageStart())) {
            throw Problem.invalidField("coverageEnd", "coverage-end-before-start", "Coverage cannot end before it starts.");
        }
        if (r.individualNumber() == null && r.address() != null) {
            return;
        }
        if (r.individualNumber() != null && !IndividualNumberFormat.wellFormed(r.individualNumber())) {
            throw Problem.invalidField("individualNumber", "invalid-number",
                    "The individual number must be 12 digits with a valid check digit.");
        }
        if (r.individualNumber() != null && r.address() == null) {
            throw Problem.invalidField("address", "address-required", "Linking needs the member's address as well.");
        }
    }

    private static Problem duplicate() {
        return Problem.conflict("member-exists", "This insurer already has a member with this symbol, number and branch.");
    }
}
