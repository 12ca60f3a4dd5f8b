package org.myna.registry.insurancelink;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import org.myna.registry.accesslog.AccessLog;
import org.myna.registry.linkcode.LinkCodeService;
import org.myna.registry.resident.IndividualNumber;
import org.myna.registry.resident.Resident;
import org.myna.registry.resident.ResidentService;

import java.util.List;
import java.util.Optional;

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
        Optional<Long> residentId = linkCodes.residentFor(AUDIENCE, request.linkCode());
        if (residentId.isEmpty()) {
            return new Verification("unknown", List.of());
        }
        Resident resident = Resident.findById(residentId.get());
        accessLog.record(resident.id, AccessLog.EXCHANGE, "insurance-reconciliation", "name,kana,dateOfBirth,sex,status");
        if (!resident.isActive()) {
            return new Verification("deceased", List.of());
        }
        List<String> mismatched = AttributeMatcher.mismatched(resident, request.familyName(), request.givenName(),
                request.familyNameKana(), request.givenNameKana(), request.dateOfBirth(), request.sex(), null);
        return new Verification(mismatched.isEmpty() ? "match" : "mismatch", mismatched);
    }
}
