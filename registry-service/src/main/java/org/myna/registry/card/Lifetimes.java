package org.myna.registry.card;

import java.time.LocalDate;
import java.time.Period;

/**
 * Validity rules of the card and its certificates, counted in the holder's birthdays as the real card does:
 * certificates until the 5th birthday after issue; the card until the 10th (the 5th for a holder under 18).
 */
final class Lifetimes {

    static final int CERTIFICATE_BIRTHDAYS = 5;
    static final int CARD_BIRTHDAYS_ADULT = 10;
    static final int CARD_BIRTHDAYS_MINOR = 5;

    private Lifetimes() {
    }

    /** The n-th birthday strictly after {@code day} (n ≥ 1); 29 February counts as 28 February in other years. */
    static LocalDate nthBirthdayAfter(LocalDate dateOfBirth, LocalDate day, int n) {
        int k = Math.max(1, Period.between(dateOfBirth, day).getYears());
        while (!dateOfBirth.plusYears(k).isAfter(day)) {
            k++;
        }
        while (k > 1 && dateOfBirth.plusYears(k - 1).isAfter(day)) {
            k--;
        }
        return dateOfBirth.plusYears(k + n - 1);
    }

    static LocalDate certificateExpiry(LocalDate dateOfBirth, LocalDate issuedOn) {
        return nthBirthdayAfter(dateOfBirth, issuedOn, CERTIFICATE_BIRTHDAYS);
    }

    static LocalDate cardExpiry(LocalDate dateOfBirth, LocalDate issuedOn) {
        boolean minor = Period.between(dateOfBirth, issuedOn).getYears() < 18;
        return nthBirthdayAfter(dateOfBirth, issuedOn, minor ? CARD_BIRTHDAYS_MINOR : CARD_BIRTHDAYS_ADULT);
    }
}
