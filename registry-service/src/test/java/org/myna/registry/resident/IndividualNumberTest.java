package org.myna.registry.resident;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;

import java.security.SecureRandom;

import static org.assertj.core.api.Assertions.assertThat;

class IndividualNumberTest {

    /**
     * An independent formulation of the ordinance: weights read left to right over the 11 digits are
     * 6,5,4,3,2,7,6,5,4,3,2; check = 11 - (sum mod 11), with 10 and 11 becoming 0.
     */
    static int referenceCheckDigit(String eleven) {
        int[] weights = {6, 5, 4, 3, 2, 7, 6, 5, 4, 3, 2};
        int sum = 0;
        for (int i = 0; i < 11; i++) {
            sum += Character.digit(eleven.charAt(i), 10) * weights[i];
        }
        int check = 11 - sum % 11;
        return check >= 10 ? 0 : check;
    }

    @Provide
    Arbitrary<String> elevenDigits() {
        return Arbitraries.strings().numeric().ofLength(11);
    }

    @Property(tries = 2000)
    void checkDigitAgreesWithIndependentFormulation(@ForAll("elevenDigits") String eleven) {
        assertThat(IndividualNumber.checkDigit(eleven)).isEqualTo(referenceCheckDigit(eleven));
        assertThat(IndividualNumber.defectOf(eleven + referenceCheckDigit(eleven))).isEmpty();
    }

    @Property(tries = 1000)
    void everyOtherFinalDigitFailsTheCheck(@ForAll("elevenDigits") String eleven, @ForAll @IntRange(min = 1, max = 9) int offset) {
        int wrong = (referenceCheckDigit(eleven) + offset) % 10;
        assertThat(IndividualNumber.defectOf(eleven + wrong)).contains(IndividualNumber.Defect.CHECK_DIGIT);
    }

    @Property(tries = 500)
    void randomNumbersAreWellFormedTwelveCharacterStrings(@ForAll long seed) {
        SecureRandom random = new SecureRandom(Long.toString(seed).getBytes());
        String digits = IndividualNumber.random(random).digits();
        assertThat(digits).hasSize(12).containsOnlyDigits();
        assertThat(IndividualNumber.defectOf(digits)).isEmpty();
    }

    @Property(tries = 200)
    void numbersWithLeadingZerosKeepThem(@ForAll("elevenDigits") String eleven) {
        String withZeros = "000" + eleven.substring(3);
        String number = withZeros + referenceCheckDigit(withZeros);
        assertThat(IndividualNumber.parse(number).digits()).isEqualTo(number).startsWith("000");
    }

    @Property(tries = 200)
    void malformedStringsNameTheirDefect(@ForAll("elevenDigits") String eleven) {
        assertThat(IndividualNumber.defectOf(eleven)).contains(IndividualNumber.Defect.LENGTH);
        assertThat(IndividualNumber.defectOf(eleven + "01")).contains(IndividualNumber.Defect.LENGTH);
        assertThat(IndividualNumber.defectOf(eleven.substring(1) + "a" + "0")).contains(IndividualNumber.Defect.NON_DIGIT);
        assertThat(IndividualNumber.defectOf(null)).contains(IndividualNumber.Defect.LENGTH);
    }

    @Property(tries = 100)
    void toStringNeverShowsTheDigits(@ForAll("elevenDigits") String eleven) {
        IndividualNumber number = IndividualNumber.parse(eleven + referenceCheckDigit(eleven));
        assertThat(number.toString()).doesNotContain(eleven.substring(0, 4)).doesNotContainPattern("\\d{4}");
    }

    @Property(tries = 1)
    void knownNumberFromThePublishedExample() {
        // 12345678901 + check digit 8 is the widely cited worked example of the ordinance's formula.
        assertThat(IndividualNumber.defectOf("123456789018")).isEmpty();
    }
}
