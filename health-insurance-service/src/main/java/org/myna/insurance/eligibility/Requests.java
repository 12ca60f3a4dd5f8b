package org.myna.insurance.eligibility;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

import java.time.LocalDate;

/** Request bodies of the eligibility endpoints. */
public final class Requests {

    private Requests() {
    }

    public record CardCheck(@NotBlank @Size(max = 64) String challengeId,
                            @NotBlank @Size(max = 8192) String certificate,
                            @NotBlank @Size(max = 512) String signature) {
    }

    public record CertificateCheck(@NotBlank @Size(max = 40) String certificateNumber) {
    }

    public record NumberCheck(@NotNull String insurerNumber,
                              @NotBlank @Size(max = 40) String symbol,
                              @NotBlank @Size(max = 40) String number,
                              @NotNull @Pattern(regexp = "[0-9]{2}", message = "must be 2 digits") String branch,
                              @NotNull LocalDate dateOfBirth) {
    }

    public record IssueCertificate(@NotNull String insurerNumber, @NotNull Long memberId) {
    }
}
