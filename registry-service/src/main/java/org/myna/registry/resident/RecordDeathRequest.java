package org.myna.registry.resident;

import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.PastOrPresent;

import java.time.LocalDate;

public record RecordDeathRequest(String number, @NotNull @PastOrPresent LocalDate dateOfDeath) {
}
