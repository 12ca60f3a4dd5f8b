package org.myna.registry.resident;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

/** A Japanese address as the resident register keeps it. */
public record Address(
        @NotNull @Pattern(regexp = "\\d{3}-?\\d{4}", message = "must be 7 digits, optionally as 123-4567") String postalCode,
        @NotNull @Prefecture String prefecture,
        @NotBlank @Size(max = 100) @Pattern(regexp = "[^\\x00-\\x1F\\x7F]*", message = "must not contain control characters") String municipality,
        @NotBlank @Size(max = 200) @Pattern(regexp = "[^\\x00-\\x1F\\x7F]*", message = "must not contain control characters") String line) {

    public String postalDigits() {
        return postalCode.replace("-", "");
    }
}
