package org.myna.insurance.insurer;

import java.util.Optional;

/**
 * 法人番号: 13 digits, the FIRST being the check digit over the 12-digit base: 9 − (Σ Pn·Qn mod 9), Pn the n-th
 * digit of the base counted from the right, Qn = 1 for odd n and 2 for even n.
 */
public final class CorporateNumber {

    public enum Defect { LENGTH, NON_DIGIT, CHECK_DIGIT }

    private final String digits;

    private CorporateNumber(String digits) {
        this.digits = digits;
    }

    public static Optional<Defect> defectOf(String candidate) {
        if (candidate == null || candidate.length() != 13) {
            return Optional.of(Defect.LENGTH);
        }
        if (!candidate.chars().allMatch(c -> c >= '0' && c <= '9')) {
            return Optional.of(Defect.NON_DIGIT);
        }
        return checkDigit(candidate.substring(1)) == candidate.charAt(0) - '0'
                ? Optional.empty() : Optional.of(Defect.CHECK_DIGIT);
    }

    public static CorporateNumber parse(String candidate) {
        defectOf(candidate).ifPresent(d -> {
            throw new IllegalArgumentException("not a corporate number: " + d);
        });
        return new CorporateNumber(candidate);
    }

    public static int checkDigit(String twelveDigits) {
        int sum = 0;
        for (int n = 1; n <= 12; n++) {
            int p = twelveDigits.charAt(12 - n) - '0';
            sum += p * (n % 2 == 1 ? 1 : 2);
        }
        return 9 - sum % 9;
    }

    public String digits() {
        return digits;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof CorporateNumber other && other.digits.equals(digits);
    }

    @Override
    public int hashCode() {
        return digits.hashCode();
    }

    @Override
    public String toString() {
        return digits;
    }
}
