package org.myna.platform.checkdigit;

import org.junit.jupiter.api.Test;

import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

class VerhoeffTest {

    @Test
    void publishedExamples() {
        assertThat(Verhoeff.checkDigit("236")).isEqualTo(3);
        assertThat(Verhoeff.checkDigit("12345")).isEqualTo(1);
        assertThat(Verhoeff.checkDigit("142857")).isEqualTo(0);
        assertThat(Verhoeff.valid("2363")).isTrue();
        assertThat(Verhoeff.valid("2364")).isFalse();
    }

    /** What the scheme is chosen for: every single-digit error and every adjacent transposition is caught. */
    @Test
    void catchesEverySingleDigitErrorAndAdjacentTransposition() {
        Random random = new Random(23);
        for (int n = 0; n < 500; n++) {
            StringBuilder body = new StringBuilder();
            for (int i = 0; i < 15; i++) {
                body.append(random.nextInt(10));
            }
            String valid = body.toString() + Verhoeff.checkDigit(body);
            assertThat(Verhoeff.valid(valid)).isTrue();
            char[] digits = valid.toCharArray();
            for (int i = 0; i < 16; i++) {
                for (char d = '0'; d <= '9'; d++) {
                    if (d != valid.charAt(i)) {
                        char[] typo = digits.clone();
                        typo[i] = d;
                        assertThat(Verhoeff.valid(new String(typo))).isFalse();
                    }
                }
                if (i < 15 && digits[i] != digits[i + 1]) {
                    char[] swapped = digits.clone();
                    swapped[i] = digits[i + 1];
                    swapped[i + 1] = digits[i];
                    assertThat(Verhoeff.valid(new String(swapped))).isFalse();
                }
            }
        }
    }
}
