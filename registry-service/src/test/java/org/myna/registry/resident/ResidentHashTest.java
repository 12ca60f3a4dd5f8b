package org.myna.registry.resident;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;
import org.myna.platform.hash.Sha256;

import java.time.LocalDate;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A registration's request hash is stored with the resident and compared on every retry: the hand-written JSON it is
 * taken over must be the data binder's text exactly, for any value (quotes, backslashes, control characters, line
 * separators, supplementary characters, years past 9999), or a retried import would refuse its own records.
 */
@QuarkusTest
class ResidentHashTest {

    @Inject
    ObjectMapper json;
    @Inject
    ResidentService residents;

    static final String[] ALPHABET = {"a", "Z", "0", " ", "　", "\"", "\\", "/", "\t", "\n", "\r", "\u0000", "\u0001", "\u001F",
            "\u007F", "\u0080", "\u00A0", "\u2028", "\u2029", "●", "山", "ヤ", "ｱ", "𠮷", "\uDB40\uDD00", "<", "&", "'", "\uFEFF", "é"};

    @Test
    void theHandWrittenJsonHashesAsTheDataBindersText() throws Exception {
        Random random = new Random(7);
        for (int n = 0; n < 5000; n++) {
            LocalDate born = random.nextInt(50) == 0 ? LocalDate.of(10000 + random.nextInt(5), 1, 1)
                    : LocalDate.of(1870 + random.nextInt(160), 1 + random.nextInt(12), 1 + random.nextInt(28));
            RegisterResidentRequest r = new RegisterResidentRequest(text(random), text(random), text(random), text(random), born,
                    text(random), new Address(text(random), text(random), text(random), text(random)));
            assertThat(residents.requestHash(r)).as("%s", r).isEqualTo(Sha256.hex(json.writeValueAsString(r)));
        }
        RegisterResidentRequest partial = new RegisterResidentRequest("山田", null, "ヤマダ", "ハナコ", null, "female", null);
        assertThat(residents.requestHash(partial)).isEqualTo(Sha256.hex(json.writeValueAsString(partial)));
    }

    /** An unpaired surrogate (no record should hold one, but nothing refuses it before the hash): the same bytes too. */
    @Test
    void unpairedSurrogatesHashAsTheDataBindersText() throws Exception {
        for (String odd : new String[] {"\uD800", "山\uDFFF", "\uDC00\uD800", "a\uD83D"}) {
            RegisterResidentRequest r = new RegisterResidentRequest(odd, "花子", "ヤマダ", odd, LocalDate.of(1980, 1, 2), "female",
                    new Address("1000001", "東京都", odd, "1-1"));
            assertThat(residents.requestHash(r)).isEqualTo(Sha256.hex(json.writeValueAsString(r)));
        }
    }

    static String text(Random random) {
        if (random.nextInt(40) == 0) {
            return null;
        }
        // Mostly plain text, as real records are, so that the hand-written branch is what gets compared.
        StringBuilder b = new StringBuilder();
        int length = random.nextInt(12);
        for (int i = 0; i < length; i++) {
            b.append(random.nextInt(10) == 0 ? ALPHABET[random.nextInt(ALPHABET.length)] : ALPHABET[18 + random.nextInt(5)]);
        }
        return b.toString();
    }
}
