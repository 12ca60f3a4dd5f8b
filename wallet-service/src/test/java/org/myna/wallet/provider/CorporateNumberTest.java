package org.myna.wallet.provider;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;

import static org.assertj.core.api.Assertions.assertThat;

class CorporateNumberTest {

    @Provide
    Arbitrary<String> bases() {
        return Arbitraries.strings().numeric().ofLength(12);
    }

    /**
     * An independent formulation: reading the 12 base digits from the LEFT, position i (1-based) is n = 13 − i from
     * the right, so the weight is 2 exactly when i is odd. The remainder is taken once at the end.
     */
    static int independentCheckDigit(String base) {
        int weighted = 0;
        for (int i = 0; i < base.length(); i++) {
            int digit = Character.digit(base.charAt(i), 10);
            weighted += (i % 2 == 0) ? 2 * digit : digit;
        }
        return 9 - Math.floorMod(weighted, 9);
    }

    @Property
    void checkDigitAgreesWithIndependentFormulation(@ForAll("bases") String base) {
        assertThat(CorporateNumber.checkDigit(base)).isEqualTo(independentCheckDigit(base));
        assertThat(CorporateNumber.defectOf(independentCheckDigit(base) + base)).isNull();
    }

    @Property
    void anyOtherLeadingDigitIsRefused(@ForAll("bases") String base, @ForAll @IntRange(min = 0, max = 9) int lead) {
        String candidate = lead + base;
        assertThat(CorporateNumber.defectOf(candidate) == null).isEqualTo(lead == independentCheckDigit(base));
    }

    @Property
    void aSingleChangedBaseDigitIsCaughtUnlessTheWeightedSumMovesByNine(@ForAll("bases") String base,
                                                                       @ForAll @IntRange(min = 0, max = 11) int position,
                                                                       @ForAll @IntRange(min = 1, max = 9) int delta) {
        String number = CorporateNumber.withBase(base).value();
        char[] digits = number.toCharArray();
        int old = digits[position + 1] - '0';
        int changed = (old + delta) % 10;
        digits[position + 1] = (char) ('0' + changed);
        int weight = (position % 2 == 0) ? 2 : 1;
        boolean sameRemainder = Math.floorMod(weight * (changed - old), 9) == 0;
        assertThat(CorporateNumber.defectOf(new String(digits)) == null).isEqualTo(sameRemainder);
    }

    @Property
    void refusesWrongLengthsAndNonDigits(@ForAll("bases") String base) {
        assertThat(CorporateNumber.defectOf(base)).isNotNull();
        assertThat(CorporateNumber.defectOf(CorporateNumber.withBase(base).value() + "0")).isNotNull();
        assertThat(CorporateNumber.defectOf("A" + base)).isNotNull();
        assertThat(CorporateNumber.defectOf(null)).isNotNull();
    }

    @Property(tries = 1)
    void knownNationalTaxAgencyNumberIsValid() {
        // 国税庁 (National Tax Agency): 7000012050002
        assertThat(CorporateNumber.defectOf("7000012050002")).isNull();
        assertThat(CorporateNumber.defectOf("8000012050002")).isNotNull();
    }
}
