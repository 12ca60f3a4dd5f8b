package org.myna.registry.resident;

import jakarta.validation.Valid;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

/** A move (address) and/or a change of name of the resident with this number; absent fields stay as they are. */
public record UpdateResidentRequest(
        String number,
        @Size(min = 1, max = 50) @Pattern(regexp = RegisterResidentRequest.NAME, message = RegisterResidentRequest.NAME_MESSAGE) String familyName,
        @Size(min = 1, max = 50) @Pattern(regexp = RegisterResidentRequest.NAME, message = RegisterResidentRequest.NAME_MESSAGE) String givenName,
        @Size(min = 1, max = 100) @Pattern(regexp = RegisterResidentRequest.KANA, message = RegisterResidentRequest.KANA_MESSAGE) String familyNameKana,
        @Size(min = 1, max = 100) @Pattern(regexp = RegisterResidentRequest.KANA, message = RegisterResidentRequest.KANA_MESSAGE) String givenNameKana,
        @Valid Address address) {

    boolean renames() {
        return familyName != null || givenName != null || familyNameKana != null || givenNameKana != null;
    }

    boolean moves() {
        return address != null;
    }
}
