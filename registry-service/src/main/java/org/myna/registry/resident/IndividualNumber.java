package org.myna.registry.resident;

import org.myna.platform.problem.Problem;

import java.security.SecureRandom;
import java.util.Optional;

/**
 * A 12-digit individual number: 11 digits and the check digit of the ordinance (Ministry of Internal Affairs
 * and Communications ordinance No. 85 of 2014, art. 5). Always a string, so leading zeros survive.
 * {@link #toString()} masks it, so that a number cannot reach a log line by accident.
 */
public final class IndividualNumber {

    public enum Defect {
        LENGTH, NON_DIGIT, CHECK_DIGIT;

        /** The code an answer names the defect by: length, non-digit, check-digit. */
        public String code() {
            return name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
        }
    }

    private final String digits;

    private IndividualNumber(String digits) {
        this.digits = digits;
    }

    /** The reason a string is not a well-formed number, or empty when it is one. */
    public static Optional<Defect> defectOf(String candidate) {
        if (candidate == null || candidate.length() != 12) {
            return Optional.of(Defect.LENGTH);
        }
        for (int i = 0; i < 12; i++) {
            char c = candidate.charAt(i);
            if (c < '0' || c > '9') {
                return Optional.of(Defect.NON_DIGIT);
            }
        }
        return checkDigit(candidate.substring(0, 11)) == candidate.charAt(11) - '0'
                ? Optional.empty() : Optional.of(Defect.CHECK_DIGIT);
    }

    public static IndividualNumber parse(String candidate) {
        Optional<Defect> defect = defectOf(candidate);
        if (defect.isPresent()) {
            throw new IllegalArgumentException("not an individual number: " + defect.get().name().toLowerCase());
        }
        return new IndividualNumber(candidate);
    }

    /**
     * The number a request body carries in field {@code number}: a 400 problem naming the defect, never the value,
     * when it is missing or malformed.
     */
    public static IndividualNumber fromRequest(String number) {
        if (number == null) {
            throw Problem.invalidField("number", "invalid-number", "The individual number is required.");
        }
        defectOf(number).ifPresent(defect -> {
            throw Problem.invalidField("number", "invalid-number", "The individual number is malformed: " + defect.code() + ".");
        });
        return new IndividualNumber(number);
    }

    /** A fresh random number, uniform over the 10^11 bodies; uniqueness is the database's job. */
    public static IndividualNumber random(SecureRandom random) {
        long body = random.nextLong(100_000_000_000L);
        char[] digits = new char[11];
        for (int i = 10; i >= 0; i--) {
            digits[i] = (char) ('0' + body % 10);
            body /= 10;
        }
        String base = new String(digits);
        return new IndividualNumber(base + checkDigit(base));
    }

    /**
     * Check digit over the 11 leading digits: P(n) is the n-th digit counted from the right, Q(n) = n + 1 for
     * n ≤ 6 and n − 5 for n ≥ 7; the remainder r of Σ P(n)·Q(n) by 11 gives 0 when r ≤ 1, else 11 − r.
     */
    static int checkDigit(String elevenDigits) {
        int sum = 0;
        for (int n = 1; n <= 11; n++) {
            int p = elevenDigits.charAt(11 - n) - '0';
            int q = n <= 6 ? n + 1 : n - 5;
            sum += p * q;
        }
        int r = sum % 11;
        return r <= 1 ? 0 : 11 - r;
    }

    public String digits() {
        return digits;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof IndividualNumber other && other.digits.equals(digits);
    }

    @Override
    public int hashCode() {
        return digits.hashCode();
    }

    @Override
    public String toString() {
        return "IndividualNumber[********" + "****]";
    }
}
