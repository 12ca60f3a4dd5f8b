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
    public static final String NAME = "[^\\p{Cntrl}●]+";
    public static final String NAME_MESSAGE = "must be the name as written, without control characters or placeholders";
    /** Katakana or hiragana, the long-vowel mark, the middle dot and spaces. */
    public static final String KANA = "[\\p{IsKatakana}\\p{IsHiragana}ー・ 　]+";
    public static final String KANA_MESSAGE = "must be written in kana";
}
