package org.myna.registry.insurancelink;

import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import org.myna.platform.persistence.Constraints;
import org.myna.registry.accesslog.AccessLog;
import org.myna.registry.linkcode.LinkCodeService;
import org.myna.registry.resident.IndividualNumber;
import org.myna.registry.resident.Resident;
import org.myna.registry.resident.ResidentService;
import org.myna.registry.vid.ResidentIdentifiers;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Links an insurer's member to a resident only when every attribute group matches, and lets the insurance service
 * re-check its links later. Answers carry group names, never the register's values.
 */
@ApplicationScoped
public class InsuranceLinkService {

    static final String AUDIENCE = "insurance";
    static final String ALL_GROUPS = "name,kana,dateOfBirth,sex,address";

    /**
     * From this many differing groups on, the answer is the same as for an unknown number. The decision: an
     * unknown number, a deceased resident and a mostly different person all read "no-match" without groups, so a
     * caller cannot probe which numbers exist (or who died) by sending a number with made-up attributes; naming the
     * one or two differing groups is only possible for a caller who already knows most of the person's record.
     */
    static final int NO_MATCH_FROM = 3;

    public interface LinkOutcome {
    }

    public record Linked(String linkCode) implements LinkOutcome {
    }

    public record Mismatch(List<String> groups) implements LinkOutcome {
    }

    public record NoMatch() implements LinkOutcome {
    }

    public record Verification(String status, List<String> mismatched) {
    }

    private final ResidentService residents;
    private final LinkCodeService linkCodes;
    private final AccessLog accessLog;

    private final ResidentIdentifiers identifiers;

    public InsuranceLinkService(ResidentService residents, LinkCodeService linkCodes, AccessLog accessLog,
                                ResidentIdentifiers identifiers) {
        this.identifiers = identifiers;
        this.residents = residents;
        this.linkCodes = linkCodes;
        this.accessLog = accessLog;
    }

    /** A number the registry cannot even parse; only a batch answers this per entry, a single call is a 400. */
    public record Malformed(String defect) implements LinkOutcome {
    }

    public LinkOutcome link(InsuranceLinkRequest request) {
        return linkAll(List.of(request)).get(0);
    }

    /**
     * Links a page of members in one transaction: the residents behind all numbers in one query, the codes they
     * already have in another, the missing codes and one access-log row per known resident written in JDBC batches.
     * Each entry is judged exactly as a single link would be. Two pages (or a page and a single link) racing to create
     * the same resident's first code: the loser's transaction rolls back on the code's key and is run once more, when
     * it finds the winner's code.
     */
    public List<LinkOutcome> linkAll(List<InsuranceLinkRequest> requests) {
        try {
            return QuarkusTransaction.requiringNew().call(() -> linkInOneTransaction(requests));
        } catch (RuntimeException e) {
            if (!Constraints.integrity(e)) {
                throw e;
            }
            return QuarkusTransaction.requiringNew().call(() -> linkInOneTransaction(requests));
        }
    }

    private List<LinkOutcome> linkInOneTransaction(List<InsuranceLinkRequest> requests) {
        List<IndividualNumber> numbers = new ArrayList<>(requests.size());
        List<Boolean> unresolved = new ArrayList<>(requests.size());
        for (InsuranceLinkRequest request : requests) {
            boolean wellFormed = ResidentIdentifiers.defectOf(request.number()).isEmpty();
            // A virtual ID is resolved (and its use logged for its holder) in this transaction; one that resolves to
            // nothing is answered no-match, exactly as an unknown number.
            Optional<IndividualNumber> number = wellFormed
                    ? identifiers.resolve(request.number(), "insurance-link").number() : Optional.empty();
            numbers.add(number.orElse(null));
            unresolved.add(wellFormed && number.isEmpty());
        }
        Map<IndividualNumber, Resident> byNumber = residents.findAll(numbers.stream().filter(Objects::nonNull).toList());
        List<Long> matched = new ArrayList<>();
        List<LinkOutcome> out = new ArrayList<>(requests.size());
        for (int i = 0; i < requests.size(); i++) {
            InsuranceLinkRequest request = requests.get(i);
            IndividualNumber number = numbers.get(i);
            if (unresolved.get(i)) {
                out.add(new NoMatch());
                continue;
            }
            if (number == null) {
                out.add(new Malformed(ResidentIdentifiers.defectOf(request.number()).orElseThrow()));
                continue;
            }
            Resident resident = byNumber.get(number);
            if (resident == null) {
                out.add(new NoMatch());
                continue;
            }
            if (!resident.isActive()) {
                // A deceased resident's record must not acquire a new link; the answer looks like an unknown number.
                accessLog.record(resident.id, AccessLog.EXCHANGE, "insurance-link-refused", ALL_GROUPS);
                out.add(new NoMatch());
                continue;
            }
            List<String> mismatched = AttributeMatcher.mismatched(resident, request.familyName(), request.givenName(),
                    request.familyNameKana(), request.givenNameKana(), request.dateOfBirth(), request.sex(), request.address());
            if (mismatched.isEmpty()) {
                accessLog.record(resident.id, AccessLog.EXCHANGE, "insurance-link", ALL_GROUPS);
                matched.add(resident.id);
                out.add(null); // the code is filled in below, once all codes of the page are known
                continue;
            }
            // The resident sees refused attempts too: someone held their number with other attributes.
            accessLog.record(resident.id, AccessLog.EXCHANGE, "insurance-link-refused", String.join(",", mismatched));
            out.add(mismatched.size() >= NO_MATCH_FROM ? new NoMatch() : new Mismatch(mismatched));
        }
        if (!matched.isEmpty()) {
            Map<Long, String> codes = linkCodes.codesFor(matched, AUDIENCE);
            for (int i = 0, m = 0; i < out.size(); i++) {
                if (out.get(i) == null) {
                    out.set(i, new Linked(codes.get(matched.get(m++))));
                }
            }
        }
        return out;
    }

    @Transactional
    public Verification verify(VerifyLinkRequest request) {
        LinkVerification v = verifyAll(List.of(request)).get(0);
        return new Verification(v.status(), v.mismatched());
    }

    /** One answer per request, in order. */
    public record LinkVerification(String linkCode, String status, List<String> mismatched) {
    }

    /**
     * Reconciliation in bulk: the residents behind all the codes in one query each for codes and residents, one
     * access-log row per answered link (the exchange did happen for each), one transaction for the lot. Answers
     * name attribute groups, never the register's values.
     */
    @Transactional
    public List<LinkVerification> verifyAll(List<VerifyLinkRequest> requests) {
        Map<String, Long> residentIds = linkCodes.residentsFor(AUDIENCE, requests.stream().map(VerifyLinkRequest::linkCode).toList());
        Map<Long, Resident> byId = residentIds.isEmpty() ? Map.of() : Resident.<Resident>list("id in ?1", Set.copyOf(residentIds.values()))
                .stream().collect(Collectors.toMap(r -> r.id, r -> r));
        List<LinkVerification> out = new ArrayList<>(requests.size());
        for (VerifyLinkRequest request : requests) {
            Resident resident = Optional.ofNullable(residentIds.get(request.linkCode())).map(byId::get).orElse(null);
            if (resident == null) {
                out.add(new LinkVerification(request.linkCode(), "unknown", List.of()));
                continue;
            }
            accessLog.record(resident.id, AccessLog.EXCHANGE, "insurance-reconciliation", "name,kana,dateOfBirth,sex,status");
            if (!resident.isActive()) {
                out.add(new LinkVerification(request.linkCode(), "deceased", List.of()));
                continue;
            }
            List<String> mismatched = AttributeMatcher.mismatched(resident, request.familyName(), request.givenName(),
                    request.familyNameKana(), request.givenNameKana(), request.dateOfBirth(), request.sex(), null);
            out.add(new LinkVerification(request.linkCode(), mismatched.isEmpty() ? "match" : "mismatch", mismatched));
        }
        return out;
    }
}
