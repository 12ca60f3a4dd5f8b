package org.myna.insurance.eligibility;

import java.util.Optional;

/**
 * 医療機関コード as declared by a facility: 10 digits = prefecture (01–47) + point table (1 medical, 3 dental) +
 * 7-digit facility code whose last digit is a check digit. The check digit's official formula could not be
 * confirmed here (sources disagree on whether it covers the 6 preceding digits only), so it is NOT verified:
 * rejecting a real clinic's code would stop eligibility checks, which is worse than accepting a typo that the
 * facility's own registration catches. Format, prefecture and point table are verified.
 */
public final class InstitutionCode {

    public enum Defect { FORMAT, PREFECTURE, POINT_TABLE }

    private final String digits;

    private InstitutionCode(String digits) {
        this.digits = digits;
    }

    public static Optional<Defect> defectOf(String candidate) {
        if (candidate == null || !candidate.matches("[0-9]{10}")) {
            return Optional.of(Defect.FORMAT);
        }
        int prefecture = Integer.parseInt(candidate.substring(0, 2));
        if (prefecture < 1 || prefecture > 47) {
            return Optional.of(Defect.PREFECTURE);
        }
        char table = candidate.charAt(2);
        if (table != '1' && table != '3') {
            return Optional.of(Defect.POINT_TABLE);
        }
        return Optional.empty();
    }

    public static InstitutionCode parse(String candidate) {
        defectOf(candidate).ifPresent(d -> {
            throw new IllegalArgumentException("not an institution code: " + d);
        });
        return new InstitutionCode(candidate);
    }

    public String digits() {
        return digits;
    }

    @Override
    public String toString() {
        return digits;
    }
}
