package org.myna.registry.resident;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/** The import's hand encoder writes exactly the JDK's UTF-8 bytes, for every kind of char a record can hold. */
class Utf8Test {

    static final String[] ALPHABET = {"a", "~", "\u0000", "\u007F", "\u0080", "é", "\u07FF", "\u0800", "山", "ヤ", "ｱ", "\uFEFF",
            "\uFFFF", "𠮷", "\uDBFF\uDFFF", "\uD800", "\uDFFF", "\uDC00\uD800"};

    @Test
    void everyStringEncodesAsTheJdkDoes() {
        Random random = new Random(5);
        for (int n = 0; n < 20_000; n++) {
            StringBuilder b = new StringBuilder();
            int length = random.nextInt(16);
            for (int i = 0; i < length; i++) {
                b.append(ALPHABET[random.nextInt(ALPHABET.length)]);
            }
            String value = b.toString();
            byte[] buf = new byte[2 + Utf8.MAX_BYTES_PER_CHAR * value.length()];
            buf[0] = 'x';
            int end = Utf8.encode(value, buf, 1);
            assertThat(Arrays.copyOfRange(buf, 1, end)).as("%s", value.chars().mapToObj(Integer::toHexString).toList())
                    .isEqualTo(value.getBytes(StandardCharsets.UTF_8));
            assertThat(buf[0]).isEqualTo((byte) 'x');
        }
    }
}
