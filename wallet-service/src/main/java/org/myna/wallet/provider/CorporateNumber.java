package org.myna.wallet.provider;

import org.myna.platform.problem.Problem;

/**
 * A 13-digit corporate number (法人番号): a check digit followed by 12 base digits. With Pn the n-th base digit
 * counted from the right and Qn = 1 for odd n, 2 for even n, the check digit is 9 − (Σ Pn×Qn mod 9).
 */
public record CorporateNumber(String value) {

    public CorporateNumber {
        String defect = defectOf(value);
        if (defect != null) {
            throw new IllegalArgumentException(defect);
        }
    }

    /** Why {@code candidate} is not a corporate number, or null when it is one. */
    public static String defectOf(String candidate) {
        if (candidate == null || candidate.length() != 13 || !candidate.chars().allMatch(c -> c >= '0' && c <= '9')) {
            return "A corporate number is a string of 13 digits.";
        }
        if (candidate.charAt(0) - '0' != checkDigit(candidate.substring(1))) {
            return "The corporate number's check digit does not match.";
        }
        return null;
    }

    /** For request fields: a 400 problem with code {@code invalid-corporate-number} naming the field. */
    public static CorporateNumber parse(String field, String candidate) {
        String defect = defectOf(candidate);
        if (defect != null) {
            throw Problem.invalidField(field, "invalid-corporate-number", defect);
        }
        return new CorporateNumber(candidate);
    }

    /** The check digit for 12 base digits. */
    public static int checkDigit(String base) {
        if (base == null || base.length() != 12 || !base.chars().allMatch(c -> c >= '0' && c <= '9')) {
            throw new IllegalArgumentException("12 base digits expected");
        }
        int sum = 0;
        for (int n = 1; n <= 12; n++) {
            int p = base.charAt(12 - n) - '0';
            int q = n % 2 == 1 ? 1 : 2;
            sum += p * q;
        }
        return 9 - sum % 9;
    }

    public static CorporateNumber withBase(String base) {
        return new CorporateNumber(checkDigit(base) + base);
    }

    @Override
    public String toString() {
        return value;
    }
}
