package org.myna.registry.insurancelink;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

import java.time.LocalDate;

/** Reconciliation: does the resident behind this insurance link code still carry these attributes? */
public record VerifyLinkRequest(
        @NotBlank @Size(max = 64) String linkCode,
        @NotBlank @Size(max = 50) String familyName,
        @NotBlank @Size(max = 50) String givenName,
        @NotBlank @Size(max = 100) String familyNameKana,
        @NotBlank @Size(max = 100) String givenNameKana,
        @NotNull LocalDate dateOfBirth,
        @NotNull @Pattern(regexp = "male|female", message = "must be male or female") String sex) {
}
