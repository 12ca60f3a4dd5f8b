package org.myna.registry.resident;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import jakarta.validation.Validator;
import org.junit.jupiter.api.Test;
import org.myna.registry.support.Residents;

import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The fast path may only ever say "valid" where data binding and Bean Validation say so too, and then must read the
 * same request: checked on thousands of records, each a valid one with one to three fields changed to values at and
 * beyond the edges of the rules (lengths, character ranges, dates, types, missing and unknown fields).
 */
@QuarkusTest
class PlainRecordReaderTest {

    @Inject
    ObjectMapper json;
    @Inject
    Validator validator;

    static final String[] ALPHABET = {"a", "Z", "0", " ", "　", "\t", "\u0001", "\u001F", "\u007F", "\u0080", "●", "○", "山", "𠮷",
            "\uDB40\uDD00", "ぁ", "ゖ", "\u3097", "ゝ", "ゟ", "ァ", "ヺ", "ヽ", "ヿ", "\u30FB", "ー", "ㇰ", "ㇿ", "㋐", "㋾", "㋿", "㌀", "㍗",
            "㍘", "ｦ", "ｯ", "ｰ", "ｱ", "ﾝ", "ﾞ", "\u3040", "-", "１", "\\", "\"", "\u2028", "\u00A0", "\n"};

    @Test
    void whatTheFastPathAcceptsTheOrdinaryPathAcceptsAsTheSameRequest() throws Exception {
        Random random = new Random(20261207L);
        String[] fields = {"familyName", "givenName", "familyNameKana", "givenNameKana", "dateOfBirth", "sex",
                "address.postalCode", "address.prefecture", "address.municipality", "address.line", "address", "extra", "address.extra"};
        int fast = 0, ordinaryValid = 0;
        for (int n = 0; n < 6000; n++) {
            ObjectNode resident = (ObjectNode) json.valueToTree(Residents.body("山田", "花子", "ヤマダ", "ハナコ", "1990-04-01"));
            int changes = 1 + random.nextInt(3);
            for (int c = 0; c < changes; c++) {
                String field = fields[random.nextInt(fields.length)];
                ObjectNode target = field.startsWith("address.") && resident.get("address") instanceof ObjectNode a ? a : resident;
                String name = field.startsWith("address.") ? field.substring(8) : field;
                JsonNode value = value(random, name);
                if (value == null) {
                    target.remove(name);
                } else {
                    target.set(name, value);
                }
            }
            RegisterResidentRequest plain = PlainRecordReader.read(resident);
            RegisterResidentRequest bound;
            try {
                bound = json.treeToValue(resident, RegisterResidentRequest.class);
            } catch (Exception e) {
                bound = null;
            }
            boolean valid = bound != null && validator.validate(bound).isEmpty();
            ordinaryValid += valid ? 1 : 0;
            if (plain != null) {
                fast++;
                assertThat(valid).as("accepted by the fast path only: %s", resident).isTrue();
                assertThat(plain).as("%s", resident).isEqualTo(bound);
            }
        }
        // The fast path must carry the bulk of what is valid, or it saves nothing.
        assertThat(fast).isGreaterThan(ordinaryValid * 8 / 10).isGreaterThan(500);
    }

    @Test
    void aValidRecordTakesTheFastPathAndHashesAsTheBoundOneDoes() throws Exception {
        JsonNode resident = json.valueToTree(Residents.body("𠮷野", "花子", "ヨシノ", "ハナコ", "1990-04-01"));
        RegisterResidentRequest plain = PlainRecordReader.read(resident);
        assertThat(plain).isNotNull().isEqualTo(json.treeToValue(resident, RegisterResidentRequest.class));
    }

    JsonNode value(Random random, String field) {
        int kind = random.nextInt(20);
        if (kind == 0) {
            return null; // missing
        }
        if (kind == 1) {
            return json.nullNode();
        }
        if (kind == 2) {
            return json.getNodeFactory().numberNode(random.nextInt(100));
        }
        if (kind == 3) {
            return json.createObjectNode().put("x", "y");
        }
        String text = switch (field) {
            case "dateOfBirth" -> date(random);
            case "sex" -> List.of("male", "female", "Male", "", "other", " male").get(random.nextInt(6));
            case "postalCode" -> List.of("100-0001", "1000001", "100-00011", "10-00001", "１００-０００１", "100 0001", "100--0001", "abc-defg")
                    .get(random.nextInt(8));
            case "prefecture" -> random.nextBoolean() ? Prefecture.ALL.get(random.nextInt(Prefecture.ALL.size())) : "東京";
            default -> text(random, field);
        };
        return json.getNodeFactory().textNode(text);
    }

    static String date(Random random) {
        LocalDate today = LocalDate.now(ZoneOffset.UTC);
        return switch (random.nextInt(9)) {
            case 0 -> "1869-12-31";
            case 1 -> "1870-01-01";
            case 2 -> today.plusDays(random.nextInt(5) - 2).toString();
            case 3 -> "1970-02-30";
            case 4 -> "1970-2-3";
            case 5 -> " 1970-02-03";
            case 6 -> "+1970-02-03";
            case 7 -> "1970-02-03T00:00:00";
            default -> LocalDate.of(1870 + random.nextInt(160), 1 + random.nextInt(12), 1 + random.nextInt(28)).toString();
        };
    }

    static String text(Random random, String field) {
        int limit = field.endsWith("Kana") || field.equals("municipality") ? 100 : field.equals("line") ? 200 : 50;
        int length = switch (random.nextInt(4)) {
            case 0 -> limit - 1 + random.nextInt(3);
            case 1 -> random.nextInt(3);
            default -> 1 + random.nextInt(12);
        };
        // Mostly one script, so that many records stay valid and the fast path is exercised where it says yes.
        String[] pool = random.nextBoolean() ? ALPHABET : field.endsWith("Kana")
                ? new String[] {"ヤ", "マ", "ダ", "ｱ", "ー", "ぁ", "・"} : new String[] {"山", "田", "a", "𠮷", "1", "-"};
        StringBuilder b = new StringBuilder();
        while (b.length() < length) {
            b.append(pool[random.nextInt(pool.length)]);
        }
        return b.toString();
    }
}
