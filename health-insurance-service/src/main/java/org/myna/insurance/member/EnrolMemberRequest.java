package org.myna.insurance.member;

import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.PastOrPresent;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

import java.time.LocalDate;

/**
 * A member as the insurer enrols them. Names are taken exactly (no normalisation: 﨑 stays 﨑, 葛󠄀 keeps its
 * selector). {@code individualNumber} and {@code address} are optional and only used to ask the registry for a link.
 */
public record EnrolMemberRequest(
        @NotBlank @Size(max = 40) @Pattern(regexp = "[^\\x00-\\x1F\\x7F]+", message = "must not contain control characters") String symbol,
        @NotBlank @Size(max = 40) @Pattern(regexp = "[^\\x00-\\x1F\\x7F]+", message = "must not contain control characters") String number,
        @NotNull @Pattern(regexp = "[0-9]{2}", message = "must be 2 digits") String branch,
        @NotNull Integer copayRate,
        @NotNull LocalDate coverageStart,
        LocalDate coverageEnd,
        @NotBlank @Size(max = 50) @Pattern(regexp = NAME, message = NAME_MESSAGE) String familyName,
        @NotBlank @Size(max = 50) @Pattern(regexp = NAME, message = NAME_MESSAGE) String givenName,
        @NotBlank @Size(max = 100) @Pattern(regexp = KANA, message = KANA_MESSAGE) String familyNameKana,
        @NotBlank @Size(max = 100) @Pattern(regexp = KANA, message = KANA_MESSAGE) String givenNameKana,
        @NotNull @PastOrPresent LocalDate dateOfBirth,
        @NotNull @Pattern(regexp = "male|female", message = "must be male or female") String sex,
        String individualNumber,
        @Valid LinkAddress address) {

    public static final String NAME = "[^\\x00-\\x1F\\x7F●]+";
    public static final String NAME_MESSAGE = "must be the name as written, without control characters or placeholders";
    /** Kana as in the registry's RegisterResidentRequest.KANA: explicit ranges, the same pattern in Java and ECMAScript. */
    public static final String KANA = "[\\u3041-\\u3096\\u309D-\\u309F\\u30A1-\\u30FA\\u30FD-\\u30FF\\u31F0-\\u31FF\\u32D0-\\u32FE\\u3300-\\u3357\\uFF66-\\uFF6F\\uFF71-\\uFF9Dー・ 　]+";
    public static final String KANA_MESSAGE = "must be written in kana";

    /** Never print the individual number, even in a debugger's or framework's log line. */
    @Override
    public String toString() {
        return "EnrolMemberRequest[symbol=" + symbol + ", number=" + number + ", branch=" + branch + "]";
    }
}
