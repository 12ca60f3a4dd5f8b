package org.myna.registry.insurancelink;

import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

import java.time.LocalDate;

/**
 * What an insurer knows of its member. Values are compared, never stored; the kanji name is taken exactly as given
 * (no Unicode normalisation, variation selectors included).
 */
public record InsuranceLinkRequest(
        @NotNull String number,
        @NotBlank @Size(max = 50) String familyName,
        @NotBlank @Size(max = 50) String givenName,
        @NotBlank @Size(max = 100) String familyNameKana,
        @NotBlank @Size(max = 100) String givenNameKana,
        @NotNull LocalDate dateOfBirth,
        @NotNull @Pattern(regexp = "male|female", message = "must be male or female") String sex,
        @NotNull @Valid LinkAddress address) {

    /** Never print the number, even in a framework's log line. */
    @Override
    public String toString() {
        return "InsuranceLinkRequest[number=************]";
    }

    public record LinkAddress(
            @NotNull @Size(max = 10) String postalCode,
            @NotNull @Size(max = 10) String prefecture,
            @NotNull @Size(max = 100) String municipality,
            @NotNull @Size(max = 200) String line) {
    }
}
