package org.myna.insurance.insurer;

import java.util.Optional;

/**
 * 保険者番号: 6 digits (national health insurance) or 8 digits (employee insurance: 法別番号, prefecture, insurer,
 * check). The last digit is a modulus-10 check over the others: weights 2, 1, 2, 1 … from the right, the digits
 * of each product summed (as in Luhn), check = (10 − sum mod 10) mod 10. Always a string: leading zeros survive.
 */
public final class InsurerNumber {

    public enum Defect { LENGTH, NON_DIGIT, CHECK_DIGIT }

    private final String digits;

    private InsurerNumber(String digits) {
        this.digits = digits;
    }

    public static Optional<Defect> defectOf(String candidate) {
        if (candidate == null || (candidate.length() != 6 && candidate.length() != 8)) {
            return Optional.of(Defect.LENGTH);
        }
        if (!candidate.chars().allMatch(c -> c >= '0' && c <= '9')) {
            return Optional.of(Defect.NON_DIGIT);
        }
        int last = candidate.length() - 1;
        return checkDigit(candidate.substring(0, last)) == candidate.charAt(last) - '0'
                ? Optional.empty() : Optional.of(Defect.CHECK_DIGIT);
    }

    public static InsurerNumber parse(String candidate) {
        defectOf(candidate).ifPresent(d -> {
            throw new IllegalArgumentException("not an insurer number: " + d);
        });
        return new InsurerNumber(candidate);
    }

    /** The check digit for a 5- or 7-digit base. */
    public static int checkDigit(String base) {
        int sum = 0;
        for (int i = 0; i < base.length(); i++) {
            int digit = base.charAt(base.length() - 1 - i) - '0';
            int product = digit * (i % 2 == 0 ? 2 : 1);
            sum += product / 10 + product % 10;
        }
        return (10 - sum % 10) % 10;
    }

    public String digits() {
        return digits;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof InsurerNumber other && other.digits.equals(digits);
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
