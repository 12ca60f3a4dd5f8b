package org.myna.registry.resident;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.time.DateTimeException;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Set;

/**
 * The batch import's fast path: a record's resident read straight from its JSON tree and checked against the rules
 * of {@link RegisterResidentRequest} and {@link Address} by hand, without Jackson's data binding or Bean Validation
 * (together a third of the registry's CPU in an import).
 * <p>
 * It only ever says "valid": {@link #read} answers the request when the record has the plain shape (the seven fields
 * and the address's four, each a JSON string, nothing else) and breaks no rule; otherwise {@code null}, and the batch
 * reads the record the ordinary way (data binding, then the validator), which decides and words every rejection as
 * before. So a check here may be stricter than its annotation, never looser: a date of birth in the last two days,
 * a blank made of Unicode spaces or an unusual date spelling goes the ordinary way.
 */
final class PlainRecordReader {

    private static final Set<String> PREFECTURES = Set.copyOf(Prefecture.ALL);
    private static final LocalDate EARLIEST_BIRTH = LocalDate.of(1870, 1, 1);

    private PlainRecordReader() {
    }

    /** The request, when this JSON value is a plainly valid resident; {@code null} when the ordinary path must decide. */
    static RegisterResidentRequest read(JsonNode resident) {
        if (!(resident instanceof ObjectNode r) || r.size() != 7) {
            return null; // absent, null, not an object, a missing field or an unknown one
        }
        String familyName = text(r, "familyName");
        String givenName = text(r, "givenName");
        String familyNameKana = text(r, "familyNameKana");
        String givenNameKana = text(r, "givenNameKana");
        String sex = text(r, "sex");
        LocalDate dateOfBirth = date(text(r, "dateOfBirth"));
        if (!(r.get("address") instanceof ObjectNode a) || a.size() != 4) {
            return null;
        }
        String postalCode = text(a, "postalCode");
        String prefecture = text(a, "prefecture");
        String municipality = text(a, "municipality");
        String line = text(a, "line");
        boolean valid = name(familyName) && name(givenName) && kana(familyNameKana) && kana(givenNameKana)
                && dateOfBirth != null && ("male".equals(sex) || "female".equals(sex))
                && postalCode(postalCode) && prefecture != null && PREFECTURES.contains(prefecture)
                && addressPart(municipality, 100) && addressPart(line, 200);
        return valid ? new RegisterResidentRequest(familyName, givenName, familyNameKana, givenNameKana, dateOfBirth, sex,
                new Address(postalCode, prefecture, municipality, line)) : null;
    }

    /** The field's text when it is a JSON string; null when absent or of another type (data binding then decides). */
    private static String text(ObjectNode node, String field) {
        JsonNode value = node.get(field);
        return value != null && value.isTextual() ? value.textValue() : null;
    }

    /**
     * yyyy-MM-dd exactly (what the data binder reads as ISO_LOCAL_DATE; anything longer, shorter or padded goes the
     * ordinary way), a real day, 1870 or later ({@link BornAfter1870}), and in the past in every time zone: more
     * than a day before today in UTC (@PastOrPresent compares with the JVM's zone).
     */
    static LocalDate date(String text) {
        if (text == null || text.length() != 10 || text.charAt(4) != '-' || text.charAt(7) != '-') {
            return null;
        }
        int year = digits(text, 0, 4), month = digits(text, 5, 7), day = digits(text, 8, 10);
        if (year < 0 || month < 0 || day < 0) {
            return null;
        }
        LocalDate date;
        try {
            date = LocalDate.of(year, month, day);
        } catch (DateTimeException e) {
            return null; // 1970-02-30: the data binder refuses it
        }
        return !date.isBefore(EARLIEST_BIRTH) && date.isBefore(LocalDate.now(ZoneOffset.UTC).minusDays(1)) ? date : null;
    }

    private static int digits(String text, int from, int to) {
        int value = 0;
        for (int i = from; i < to; i++) {
            char c = text.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
            value = value * 10 + (c - '0');
        }
        return value;
    }

    /** @NotBlank @Size(max = 50) @Pattern(NAME): no control character, DEL or ●. */
    static boolean name(String value) {
        if (value == null || value.length() > 50 || !visible(value)) {
            return false;
        }
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c <= 0x1F || c == 0x7F || c == '●') {
                return false;
            }
        }
        return true;
    }

    /** @NotBlank @Size(max = 100) @Pattern(KANA): each character in {@link RegisterResidentRequest#KANA}'s ranges. */
    static boolean kana(String value) {
        if (value == null || value.length() > 100 || !visible(value)) {
            return false;
        }
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            boolean ok = c >= '\u3041' && c <= '\u3096' || c >= '\u309D' && c <= '\u309F' || c >= '\u30A1' && c <= '\u30FA'
                    || c >= '\u30FD' && c <= '\u30FF' || c >= '\u31F0' && c <= '\u31FF' || c >= '\u32D0' && c <= '\u32FE'
                    || c >= '\u3300' && c <= '\u3357' || c >= '\uFF66' && c <= '\uFF6F' || c >= '\uFF71' && c <= '\uFF9D'
                    || c == 'ー' || c == '・' || c == ' ' || c == '　';
            if (!ok) {
                return false;
            }
        }
        return true;
    }

    /** @NotNull @Pattern("\\d{3}-?\\d{4}"): ASCII digits (Java's \d), the hyphen optional. */
    static boolean postalCode(String value) {
        if (value == null) {
            return false;
        }
        if (value.length() == 8) {
            return value.charAt(3) == '-' && digits(value, 0, 3) >= 0 && digits(value, 4, 8) >= 0;
        }
        return value.length() == 7 && digits(value, 0, 7) >= 0;
    }

    /** Municipality and line: @NotBlank @Size(max) @Pattern("[^\\x00-\\x1F\\x7F]*"). */
    static boolean addressPart(String value, int max) {
        if (value == null || value.length() > max || !visible(value)) {
            return false;
        }
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c <= 0x1F || c == 0x7F) {
                return false;
            }
        }
        return true;
    }

    /**
     * Not blank under either reading of @NotBlank (trim() drops chars up to U+0020, isBlank() also Unicode white
     * space such as U+3000): one character that neither removes.
     */
    private static boolean visible(String value) {
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c > ' ' && !Character.isWhitespace(c)) {
                return true;
            }
        }
        return false;
    }
}
