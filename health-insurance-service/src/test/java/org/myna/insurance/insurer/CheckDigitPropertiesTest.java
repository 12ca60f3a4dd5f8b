package org.myna.insurance.insurer;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;

import static org.assertj.core.api.Assertions.assertThat;

/** Check digits of insurer and corporate numbers, against independent re-implementations and known numbers. */
class CheckDigitPropertiesTest {

    @Provide
    Arbitrary<String> insurerBases() {
        return Arbitraries.oneOf(Arbitraries.strings().numeric().ofLength(5), Arbitraries.strings().numeric().ofLength(7));
    }

    @Provide
    Arbitrary<String> corporateBases() {
        return Arbitraries.strings().numeric().ofLength(12);
    }

    @Property
    void insurerNumberWithItsCheckDigitIsValid(@ForAll("insurerBases") String base) {
        assertThat(InsurerNumber.defectOf(base + luhn(base))).isEmpty();
    }

    @Property
    void insurerNumberWithAnyOtherLastDigitIsRefused(@ForAll("insurerBases") String base, @ForAll @IntRange(min = 1, max = 9) int shift) {
        int wrong = (luhn(base) + shift) % 10;
        assertThat(InsurerNumber.defectOf(base + wrong)).contains(InsurerNumber.Defect.CHECK_DIGIT);
    }

    /** Modulus 10 with weights 2,1 detects every single-digit typo. */
    @Property
    void insurerNumberRefusesEverySingleDigitTypo(@ForAll("insurerBases") String base,
                                                  @ForAll @IntRange(min = 0, max = 7) int position,
                                                  @ForAll @IntRange(min = 1, max = 9) int shift) {
        String valid = base + luhn(base);
        int p = position % valid.length();
        char[] typo = valid.toCharArray();
        typo[p] = (char) ('0' + (typo[p] - '0' + shift) % 10);
        assertThat(InsurerNumber.defectOf(new String(typo))).isNotEmpty();
    }

    @Property
    void corporateNumberWithItsCheckDigitIsValid(@ForAll("corporateBases") String base) {
        assertThat(CorporateNumber.defectOf(corporate(base) + base)).isEmpty();
    }

    /** The mod-9 scheme misses 0↔9 swaps of one digit; every other single-digit typo is refused. */
    @Property
    void corporateNumberRefusesSingleDigitTyposExceptNineApart(@ForAll("corporateBases") String base,
                                                              @ForAll @IntRange(min = 0, max = 12) int position,
                                                              @ForAll @IntRange(min = 1, max = 8) int shift) {
        String valid = corporate(base) + base;
        char[] typo = valid.toCharArray();
        int digit = typo[position] - '0';
        int changed = (digit + shift) % 10;
        if (Math.abs(changed - digit) == 9) {
            return;
        }
        typo[position] = (char) ('0' + changed);
        assertThat(CorporateNumber.defectOf(new String(typo))).isNotEmpty();
    }

    @Property
    void wrongLengthsAndNonDigitsAreRefused(@ForAll @IntRange(min = 0, max = 20) int length) {
        String candidate = "1".repeat(length);
        if (length != 6 && length != 8) {
            assertThat(InsurerNumber.defectOf(candidate)).contains(InsurerNumber.Defect.LENGTH);
        }
        if (length != 13) {
            assertThat(CorporateNumber.defectOf(candidate)).contains(CorporateNumber.Defect.LENGTH);
        }
        assertThat(InsurerNumber.defectOf("0113001a")).contains(InsurerNumber.Defect.NON_DIGIT);
        assertThat(CorporateNumber.defectOf("700001205000x")).contains(CorporateNumber.Defect.NON_DIGIT);
    }

    @Example
    void knownNumbersAreValid() {
        assertThat(InsurerNumber.defectOf("01130012")).isEmpty();   // 協会けんぽ 東京支部
        assertThat(CorporateNumber.defectOf("7000012050002")).isEmpty(); // 国税庁
        assertThat(CorporateNumber.defectOf("7000012050003")).isNotEmpty();
    }

    /** Independent: double every second digit from the right of the base, add digits, complement to 10. */
    static int luhn(String base) {
        int sum = 0;
        boolean twice = true;
        for (int i = base.length() - 1; i >= 0; i--) {
            int d = base.charAt(i) - '0';
            if (twice) {
                d *= 2;
                if (d > 9) {
                    d -= 9;
                }
            }
            sum += d;
            twice = !twice;
        }
        return (10 - sum % 10) % 10;
    }

    static int corporate(String base) {
        int sum = 0;
        for (int i = 0; i < 12; i++) {
            int fromRight = 12 - i;
            sum += (base.charAt(i) - '0') * (fromRight % 2 == 1 ? 1 : 2);
        }
        return 9 - sum % 9;
    }
}
