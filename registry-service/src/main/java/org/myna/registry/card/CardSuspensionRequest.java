package org.myna.registry.card;

import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import org.myna.registry.insurancelink.InsuranceLinkRequest;

import java.time.LocalDate;

/**
 * Suspend the card of the resident with this number, who has lost it. A clerk, who has seen the holder's papers at the
 * counter, needs only the number; a call centre must also give every basic attribute the caller stated, and they must
 * all match the register exactly (as for an insurance link). The number travels in the body, never in a URL.
 */
public record CardSuspensionRequest(
        @NotNull String individualNumber,
        @Size(max = 50) String familyName,
        @Size(max = 50) String givenName,
        @Size(max = 100) String familyNameKana,
        @Size(max = 100) String givenNameKana,
        LocalDate dateOfBirth,
        @Pattern(regexp = "male|female", message = "must be male or female") String sex,
        @Valid InsuranceLinkRequest.LinkAddress address) {

    boolean hasAllAttributes() {
        return familyName != null && givenName != null && familyNameKana != null && givenNameKana != null
                && dateOfBirth != null && sex != null && address != null;
    }

    boolean hasAnyAttribute() {
        return familyName != null || givenName != null || familyNameKana != null || givenNameKana != null
                || dateOfBirth != null || sex != null || address != null;
    }

    /** Never print the number or the attributes, even in a framework's log line. */
    @Override
    public String toString() {
        return "CardSuspensionRequest[***]";
    }
}
