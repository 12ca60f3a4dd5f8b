package org.myna.insurance.member;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

/** The member's address as the insurer knows it; sent to the registry for matching and not stored here. */
public record LinkAddress(
        @NotNull @Pattern(regexp = "\\d{3}-?\\d{4}", message = "must be 7 digits, optionally as 123-4567") String postalCode,
        @NotBlank @Size(max = 10) String prefecture,
        @NotBlank @Size(max = 100) @Pattern(regexp = "[^\\x00-\\x1F\\x7F]*", message = "must not contain control characters") String municipality,
        @NotBlank @Size(max = 200) @Pattern(regexp = "[^\\x00-\\x1F\\x7F]*", message = "must not contain control characters") String line) {
}
