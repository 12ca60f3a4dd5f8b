package org.myna.registry.resident;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/** The COPY rows written straight to UTF-8 are the bytes of the escaped text encoded whole, as they were before. */
class CopyRowsTest {

    static final String[] ALPHABET = {"a", "0", " ", "\\", "\t", "\n", "\r", "N", "山", "ヤ", "ｱ", "é", "\u0080", "\u07FF", "\u0800",
            "𠮷", "\uDB40\uDD00", "\uFFFD", "\"", "'"};

    @Test
    void rowsAreTheEscapedTextInUtf8() {
        Random random = new Random(11);
        for (int n = 0; n < 2000; n++) {
            BatchService.CopyRows rows = new BatchService.CopyRows(4); // small: the buffer has to grow
            StringBuilder expected = new StringBuilder();
            int values = 1 + random.nextInt(6);
            for (int v = 0; v < values; v++) {
                String value = random.nextInt(15) == 0 ? null : text(random);
                boolean plain = value != null && random.nextBoolean() && value.chars().noneMatch(c -> c == '\\' || c == '\t' || c == '\n' || c == '\r');
                if (plain) {
                    rows.plain(value);
                    expected.append(value);
                } else {
                    rows.text(value);
                    BatchService.escape(expected, value);
                }
                expected.append(v == values - 1 ? '\n' : '\t');
            }
            rows.endRow();
            assertThat(Arrays.copyOf(rows.bytes(), rows.size())).isEqualTo(expected.toString().getBytes(StandardCharsets.UTF_8));
        }
    }

    static String text(Random random) {
        StringBuilder b = new StringBuilder();
        int length = random.nextInt(20);
        for (int i = 0; i < length; i++) {
            b.append(ALPHABET[random.nextInt(ALPHABET.length)]);
        }
        return b.toString();
    }
}
