package org.myna.registry.insurancelink;

import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;

import java.util.List;

/** A page of an insurer's bulk enrolment: a million members are 2,000 calls, not a million. */
public record LinkBatchRequest(@NotNull @Size(min = 1, max = 500) List<@NotNull @Valid InsuranceLinkRequest> links) {
}
