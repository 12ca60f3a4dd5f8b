package org.myna.insurance.eligibility;

import com.fasterxml.jackson.annotation.JsonInclude;

import java.util.List;

/**
 * The answer to a clinic: a reason code, the coverage when a member was found, and what to try next when the card
 * cannot answer (an expired certificate must not leave a covered patient unconfirmed).
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record CheckAnswer(long checkId, String result, Coverage coverage, List<String> fallbacks) {

    public static final List<String> FALLBACKS = List.of("eligibility-certificate", "insurance-number");
}
