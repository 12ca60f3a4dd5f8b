package org.myna.insurance.eligibility;

import org.eclipse.microprofile.jwt.JsonWebToken;
import org.myna.platform.problem.Problem;

/**
 * The facility asking: its client id and the 医療機関コード it acts under, from the token's
 * {@code institution_code} claim or, when the token has none, the {@code X-Institution-Code} header.
 */
public record Facility(String clientId, String institutionCode) {

    public static final String CLAIM = "institution_code";
    public static final String HEADER = "X-Institution-Code";

    public static Facility of(JsonWebToken jwt, String header) {
        Object claim = jwt.getClaim(CLAIM);
        String fromToken = claim == null ? null : claim.toString().replace("\"", "");
        if (fromToken != null && header != null && !fromToken.equals(header)) {
            throw Problem.invalidField(HEADER, "institution-code-conflict",
                    "The header names another institution than the token.");
        }
        String code = fromToken != null ? fromToken : header;
        if (code == null) {
            throw Problem.invalidField(HEADER, "institution-code-required",
                    "Declare the institution code in the X-Institution-Code header.");
        }
        InstitutionCode.defectOf(code).ifPresent(d -> {
            throw Problem.invalidField(HEADER, "invalid-institution-code",
                    "The institution code must be 10 digits: prefecture 01-47, point table 1 or 3, 7-digit code ("
                            + d.name().toLowerCase().replace('_', '-') + ").");
        });
        return new Facility(jwt.getSubject(), code);
    }
}
