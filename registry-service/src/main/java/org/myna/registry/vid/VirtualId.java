package org.myna.registry.vid;

import org.myna.platform.checkdigit.Verhoeff;

import java.security.SecureRandom;
import java.util.Optional;

/**
 * A virtual ID: 15 random digits and a Verhoeff check digit (the scheme of Aadhaar's VID), 16 digits in all, so
 * it can never be mistaken for a 12-digit individual number. {@link #toString()} masks it.
 */
public final class VirtualId {

    public static final int LENGTH = 16;

    public enum Defect {
        LENGTH, NON_DIGIT, CHECK_DIGIT;

        public String code() {
            return name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
        }
    }

    private final String digits;

    private VirtualId(String digits) {
        this.digits = digits;
    }

    /** Whether a string has the length of a VID, so that its defects are a VID's and not a number's. */
    public static boolean shaped(String candidate) {
        return candidate != null && candidate.length() == LENGTH;
    }

    public static Optional<Defect> defectOf(String candidate) {
        if (!shaped(candidate)) {
            return Optional.of(Defect.LENGTH);
        }
        for (int i = 0; i < LENGTH; i++) {
            char c = candidate.charAt(i);
            if (c < '0' || c > '9') {
                return Optional.of(Defect.NON_DIGIT);
            }
        }
        return Verhoeff.valid(candidate) ? Optional.empty() : Optional.of(Defect.CHECK_DIGIT);
    }

    public static VirtualId parse(String candidate) {
        if (defectOf(candidate).isPresent()) {
            throw new IllegalArgumentException("not a virtual ID");
        }
        return new VirtualId(candidate);
    }

    public static VirtualId random(SecureRandom random) {
        StringBuilder body = new StringBuilder(LENGTH);
        for (int i = 0; i < LENGTH - 1; i++) {
            body.append((char) ('0' + random.nextInt(10)));
        }
        return new VirtualId(body.append(Verhoeff.checkDigit(body)).toString());
    }

    public String digits() {
        return digits;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof VirtualId other && other.digits.equals(digits);
    }

    @Override
    public int hashCode() {
        return digits.hashCode();
    }

    @Override
    public String toString() {
        return "VirtualId[****************]";
    }
}
