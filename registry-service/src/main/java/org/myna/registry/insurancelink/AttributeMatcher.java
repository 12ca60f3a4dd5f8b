package org.myna.registry.insurancelink;

import org.myna.registry.resident.Resident;

import java.text.Normalizer;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;

/**
 * Compares what an insurer holds with the register, one attribute group at a time. Only the comparison rules live
 * here; the registry's values never leave this class.
 */
public final class AttributeMatcher {

    static final String NAME = "name";
    static final String KANA = "kana";
    static final String DATE_OF_BIRTH = "dateOfBirth";
    static final String SEX = "sex";
    static final String ADDRESS = "address";

    private AttributeMatcher() {
    }

    /** Groups that differ, in a fixed order. */
    public static List<String> mismatched(Resident r, String familyName, String givenName, String familyKana, String givenKana,
                                   LocalDate dateOfBirth, String sex, InsuranceLinkRequest.LinkAddress address) {
        List<String> groups = new ArrayList<>(5);
        // Exact code points: NFC/NFKC would turn 﨑 into 崎 and drop the selector of 葛󠄀, linking the wrong person.
        if (!r.familyName.equals(familyName) || !r.givenName.equals(givenName)) {
            groups.add(NAME);
        }
        if (!kana(r.familyNameKana).equals(kana(familyKana)) || !kana(r.givenNameKana).equals(kana(givenKana))) {
            groups.add(KANA);
        }
        if (!r.dateOfBirth.equals(dateOfBirth)) {
            groups.add(DATE_OF_BIRTH);
        }
        if (!r.sex.equals(sex)) {
            groups.add(SEX);
        }
        if (address != null && !sameAddress(r, address)) {
            groups.add(ADDRESS);
        }
        return groups;
    }

    /**
     * Readings are written inconsistently (half-width, hiragana, spaces): NFKC is safe here because the value is
     * kana only and is used for comparison only; hiragana are then folded onto katakana and spaces dropped.
     */
    static String kana(String value) {
        String nfkc = Normalizer.normalize(value, Normalizer.Form.NFKC);
        StringBuilder out = new StringBuilder(nfkc.length());
        nfkc.codePoints().forEach(cp -> {
            if (Character.isWhitespace(cp) || Character.isSpaceChar(cp)) {
                return;
            }
            if (cp >= 0x3041 && cp <= 0x3096) {
                out.appendCodePoint(cp + 0x60);
            } else {
                out.appendCodePoint(cp);
            }
        });
        return out.toString();
    }

    private static boolean sameAddress(Resident r, InsuranceLinkRequest.LinkAddress a) {
        return r.postalCode.equals(a.postalCode().replaceAll("[^0-9]", ""))
                && space(r.prefecture).equals(space(a.prefecture()))
                && space(r.municipality).equals(space(a.municipality()))
                && space(r.addressLine).equals(space(a.line()));
    }

    /** Whitespace only (ASCII and ideographic): runs become one space, ends are trimmed; characters stay as written. */
    static String space(String value) {
        return value.replaceAll("[\\s\\u3000]+", " ").strip();
    }
}
