package org.myna.registry.me;

import java.text.Normalizer;

/**
 * Kana names compared for matching only: NFKC (half-width katakana become full-width), hiragana shifted to
 * katakana, spaces removed. Applied to kana alone, never to a kanji name (NFKC would rewrite 﨑 and friends).
 */
public final class KanaNames {

    private KanaNames() {
    }

    public static String forMatching(String kana) {
        if (kana == null) {
            return "";
        }
        String nfkc = Normalizer.normalize(kana, Normalizer.Form.NFKC);
        StringBuilder out = new StringBuilder(nfkc.length());
        nfkc.codePoints().forEach(cp -> {
            if (Character.isWhitespace(cp) || Character.isSpaceChar(cp)) {
                return;
            }
            // ぁ (U+3041) .. ゖ (U+3096) and ゝゞ (U+309D, U+309E) sit exactly 0x60 below their katakana
            if ((cp >= 0x3041 && cp <= 0x3096) || cp == 0x309D || cp == 0x309E) {
                cp += 0x60;
            }
            out.appendCodePoint(cp);
        });
        return out.toString();
    }

    public static boolean sameName(String a, String b) {
        return forMatching(a).equals(forMatching(b));
    }
}
