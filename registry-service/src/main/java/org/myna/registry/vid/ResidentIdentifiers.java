package org.myna.registry.vid;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import org.myna.platform.problem.Problem;
import org.myna.registry.resident.IndividualNumber;

import java.util.Optional;

/**
 * What an organisation may send where it would send an individual number: the number (12 digits) or the resident's
 * virtual ID (16 digits). The length tells them apart; each carries its own check digit.
 */
@ApplicationScoped
public class ResidentIdentifiers {

    private final VirtualIdService vids;

    public ResidentIdentifiers(VirtualIdService vids) {
        this.vids = vids;
    }

    /**
     * The number behind an identifier. {@code number} is empty when a virtual ID resolves to nothing (unknown, revoked
     * or expired, alike): the caller answers exactly as for an unknown number.
     */
    public record Resolved(Optional<IndividualNumber> number, boolean viaVirtualId) {
    }

    /** The defect of a string that is neither a well-formed number nor a well-formed VID, judged by its length. */
    public static Optional<String> defectOf(String candidate) {
        if (VirtualId.shaped(candidate)) {
            return VirtualId.defectOf(candidate).map(VirtualId.Defect::code);
        }
        return IndividualNumber.defectOf(candidate).map(IndividualNumber.Defect::code);
    }

    /** Refuses a malformed identifier with 400 invalid-number naming the defect, never the value. */
    public static void requireWellFormed(String field, String candidate) {
        if (candidate == null) {
            throw Problem.invalidField(field, "invalid-number", "The individual number or virtual ID is required.");
        }
        defectOf(candidate).ifPresent(defect -> {
            throw Problem.invalidField(field, "invalid-number",
                    "The individual number or virtual ID is malformed: " + defect + ".");
        });
    }

    /** Resolves a well-formed identifier (check with {@link #requireWellFormed} first), joining the caller's transaction. */
    @Transactional
    public Resolved resolve(String candidate, String purpose) {
        if (VirtualId.shaped(candidate)) {
            return new Resolved(vids.resolve(VirtualId.parse(candidate), purpose), true);
        }
        return new Resolved(Optional.of(IndividualNumber.parse(candidate)), false);
    }
}
