package org.myna.registry.me;

import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

public record PublicFundAccountRequest(
        @NotNull @Pattern(regexp = "\\d{4}", message = "must be 4 digits") String bankCode,
        @NotNull @Pattern(regexp = "\\d{3}", message = "must be 3 digits") String branchCode,
        @NotNull @Pattern(regexp = "ordinary|current|savings", message = "must be ordinary, current or savings") String accountType,
        @NotNull @Pattern(regexp = "\\d{7}", message = "must be 7 digits") String accountNumber,
        @NotNull @Size(min = 1, max = 200) String holderKana) {
}
