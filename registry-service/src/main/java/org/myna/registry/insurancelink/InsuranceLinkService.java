package org.myna.registry.insurancelink;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import org.myna.registry.accesslog.AccessLog;
import org.myna.registry.linkcode.LinkCodeService;
import org.myna.registry.resident.IndividualNumber;
import org.myna.registry.resident.Resident;
import org.myna.registry.resident.ResidentService;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
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

    public InsuranceLinkService(ResidentService residents, LinkCodeService linkCodes, AccessLog accessLog) {
        this.residents = residents;
        this.linkCodes = linkCodes;
        this.accessLog = accessLog;
    }

    @Transactional
    public LinkOutcome link(IndividualNumber number, InsuranceLinkRequest request) {
        Optional<Resident> found = residents.find(number);
        if (found.isEmpty()) {
            return new NoMatch();
        }
        Resident resident = found.get();
        List<String> mismatched = AttributeMatcher.mismatched(resident, request.familyName(), request.givenName(),
                request.familyNameKana(), request.givenNameKana(), request.dateOfBirth(), request.sex(), request.address());
        if (!resident.isActive()) {
            // A deceased resident's record must not acquire a new link; the answer looks like an unknown number.
            accessLog.record(resident.id, AccessLog.EXCHANGE, "insurance-link-refused", ALL_GROUPS);
            return new NoMatch();
        }
        if (mismatched.isEmpty()) {
            String code = linkCodes.codeFor(resident.id, AUDIENCE);
            accessLog.record(resident.id, AccessLog.EXCHANGE, "insurance-link", ALL_GROUPS);
            return new Linked(code);
        }
        // The resident sees refused attempts too: someone held their number with other attributes.
        accessLog.record(resident.id, AccessLog.EXCHANGE, "insurance-link-refused", String.join(",", mismatched));
        return mismatched.size() >= NO_MATCH_FROM ? new NoMatch() : new Mismatch(mismatched);
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
