package org.myna.insurance.member;

/**
 * Checks the shape of an individual number before it is forwarded to the registry, so a typo is refused without
 * a round trip. The number itself is never stored, logged or echoed by this service.
 */
final class IndividualNumberFormat {

    private IndividualNumberFormat() {
    }

    /** 12 digits whose last is the ordinance's check digit (weights 6,5,4,3,2,7,6,5,4,3,2 from the left, mod 11). */
    static boolean wellFormed(String candidate) {
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
