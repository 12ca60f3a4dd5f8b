package org.myna.insurance.member;

/**
 * Checks the shape of an individual number, or of the resident's virtual ID given in its place, before it is
 * forwarded to the registry, so a typo is refused without a round trip. Neither is ever stored, logged or echoed by
 * this service; only the registry can tell whether a VID is active.
 */
final class IndividualNumberFormat {

    private IndividualNumberFormat() {
    }

    /** A well-formed number or a well-formed virtual ID. */
    static boolean wellFormed(String candidate) {
        return wellFormedNumber(candidate) || wellFormedVirtualId(candidate);
    }

    /** 16 digits whose last is their Verhoeff check digit: the registry's virtual ID. */
    static boolean wellFormedVirtualId(String candidate) {
        return candidate != null && candidate.matches("[0-9]{16}") && org.myna.platform.checkdigit.Verhoeff.valid(candidate);
    }

    /** 12 digits whose last is the ordinance's check digit (weights 6,5,4,3,2,7,6,5,4,3,2 from the left, mod 11). */
    static boolean wellFormedNumber(String candidate) {
        if (candidate == null || !candidate.matches("[0-9]{12}")) {
            return false;
        }
        int[] weights = {6, 5, 4, 3, 2, 7, 6, 5, 4, 3, 2};
        int sum = 0;
        for (int i = 0; i < 11; i++) {
            sum += (candidate.charAt(i) - '0') * weights[i];
        }
        int r = sum % 11;
        return (r <= 1 ? 0 : 11 - r) == candidate.charAt(11) - '0';
    }
}
