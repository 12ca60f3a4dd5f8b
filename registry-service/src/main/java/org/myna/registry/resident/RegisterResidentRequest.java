package org.myna.registry.resident;

import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.PastOrPresent;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

import java.time.LocalDate;

/**
 * Names are kept exactly as given (no Unicode normalisation: it would rewrite 﨑 and drop variation selectors);
 * readings must be kana.
 */
public record RegisterResidentRequest(
        @NotBlank @Size(max = 50) @Pattern(regexp = NAME, message = NAME_MESSAGE) String familyName,
        @NotBlank @Size(max = 50) @Pattern(regexp = NAME, message = NAME_MESSAGE) String givenName,
        @NotBlank @Size(max = 100) @Pattern(regexp = KANA, message = KANA_MESSAGE) String familyNameKana,
        @NotBlank @Size(max = 100) @Pattern(regexp = KANA, message = KANA_MESSAGE) String givenNameKana,
        @NotNull @PastOrPresent @BornAfter1870 LocalDate dateOfBirth,
        @NotNull @Pattern(regexp = "male|female", message = "must be male or female") String sex,
        @NotNull @Valid Address address) {

    /** Anything but control characters and the "●" placeholder that stood in for unprintable kanji elsewhere. */
    public static final String NAME = "[^\\x00-\\x1F\\x7F●]+";
    public static final String NAME_MESSAGE = "must be the name as written, without control characters or placeholders";
    /** Katakana or hiragana (both scripts' BMP ranges, as Java's \p{IsKatakana}/\p{IsHiragana} had them, spelled out so that
     *  ECMAScript validators of the OpenAPI document read the same pattern), the long-vowel mark, the middle dot and spaces. */
    public static final String KANA = "[\\u3041-\\u3096\\u309D-\\u309F\\u30A1-\\u30FA\\u30FD-\\u30FF\\u31F0-\\u31FF\\u32D0-\\u32FE\\u3300-\\u3357\\uFF66-\\uFF6F\\uFF71-\\uFF9Dー・ 　]+";
    public static final String KANA_MESSAGE = "must be written in kana";
}
