package org.myna.registry.insurancelink;

import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;

import java.util.List;

/** A page of links to re-check: a 1 million-member reconciliation is 2,000 calls, not a million. */
public record VerifyLinksRequest(@NotNull @Size(min = 1, max = 500) List<@NotNull @Valid VerifyLinkRequest> links) {
}
