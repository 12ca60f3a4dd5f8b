package org.myna.insurance.eligibility;

import com.fasterxml.jackson.annotation.JsonInclude;
import org.myna.insurance.member.Member;

import java.time.LocalDate;

/** What a clinic needs to bill: insurer, copay, validity and the name exactly as registered. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Coverage(String insurerNumber, String insurerName, String symbol, String number, String branch,
                       int copayRate, LocalDate validFrom, LocalDate validUntil, String familyName, String givenName,
                       String familyNameKana, String givenNameKana, LocalDate dateOfBirth, String status) {

    public static Coverage of(Member m, LocalDate day) {
        return new Coverage(m.insurer.insurerNumber, m.insurer.name, m.symbol, m.number, m.branch, m.copayRate,
                m.coverageStart, m.coverageEnd, m.familyName, m.givenName, m.familyNameKana, m.givenNameKana,
                m.dateOfBirth, m.coverageOn(day));
    }
}
