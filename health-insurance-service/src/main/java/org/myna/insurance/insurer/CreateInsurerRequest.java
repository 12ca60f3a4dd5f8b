package org.myna.insurance.insurer;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

public record CreateInsurerRequest(
        @NotNull String insurerNumber,
        @NotBlank @Size(max = 200) @Pattern(regexp = "[^\\x00-\\x1F\\x7F]+", message = "must not contain control characters") String name,
        @NotNull String corporateNumber) {
}
