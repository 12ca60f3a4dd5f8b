package org.myna.portal.clinic;

import org.myna.portal.services.InsuranceApi;

import java.util.List;

/**
 * One answer as the reception desk reads it. The verdict is one of three, never two: covered, not covered, or
 * "cannot tell" (the card cannot be used, or a service is unreachable) — the last is never shown as uninsured.
 * {@code code} is the insurance service's reason code, shown beside its sentence in words.
 */
public record CheckResult(String method, String verdict, String code, String detail, Coverage coverage,
                          List<String> fallbacks) {

    /** Only what the desk needs; the insurance service never sends an individual number, and none is kept here. */
    public record Coverage(String familyName, String givenName, String familyNameKana, String givenNameKana,
                           String dateOfBirth, String insurerName, String insurerNumber, String symbol, String number,
                           String branch, int copayRate, String validFrom, String validUntil, String status) {
    }

    public static CheckResult of(String method, InsuranceApi.CheckAnswer answer) {
        String code = answer.result() == null ? "unknown" : answer.result();
        InsuranceApi.Coverage c = answer.coverage();
        Coverage coverage = c == null ? null : new Coverage(c.familyName(), c.givenName(), c.familyNameKana(),
                c.givenNameKana(), c.dateOfBirth(), c.insurerName(), c.insurerNumber(), c.symbol(), c.number(), c.branch(),
                c.copayRate() == null ? 0 : c.copayRate(), c.validFrom(), c.validUntil(), c.status());
        return new CheckResult(method, verdictOf(code), code, null, coverage,
                answer.fallbacks() == null ? List.of() : List.copyOf(answer.fallbacks()));
    }

    public static CheckResult problem(String method, String code, String detail) {
        return new CheckResult(method, verdictOf(code), code, detail, null, List.of());
    }

    static String verdictOf(String code) {
        return switch (code) {
            case "covered" -> "covered";
            case "coverage-ended", "coverage-not-started", "not-linked", "not-found" -> "not-covered";
            case "card-revoked", "card-suspended", "certificate-expired", "certificate-revoked",
                 "certificate-unknown" -> "use-fallback";
            default -> code.endsWith("-unavailable") || code.equals("card-standing-unavailable") ? "retry" : "error";
        };
    }

    /** The message key for the reason in words. */
    public String reasonKey() {
        return "result." + code;
    }

    public String methodKey() {
        return "clinic.method." + method;
    }

    public String verdictKey() {
        return "verdict." + verdict;
    }
}
