package org.myna.insurance.member;

import com.fasterxml.jackson.annotation.JsonInclude;

import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.util.Arrays;
import java.util.List;

/** A member as its insurer sees it: the link status, never a number or the link code itself. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record MemberResponse(long id, String insurerNumber, String symbol, String number, String branch, int copayRate,
                             LocalDate coverageStart, LocalDate coverageEnd, String familyName, String givenName,
                             String familyNameKana, String givenNameKana, LocalDate dateOfBirth, String sex, Link link) {

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Link(String status, List<String> mismatched, String linkedBy, OffsetDateTime linkedAt,
                       String reverificationReason, OffsetDateTime reverificationSince) {
    }

    public static MemberResponse of(Member m) {
        return new MemberResponse(m.id, m.insurer.insurerNumber, m.symbol, m.number, m.branch, m.copayRate,
                m.coverageStart, m.coverageEnd, m.familyName, m.givenName, m.familyNameKana, m.givenNameKana,
                m.dateOfBirth, m.sex, new Link(m.linkStatus, groups(m.linkMismatched), m.linkedBy, m.linkedAt,
                m.reverificationReason, m.reverificationSince));
    }

    static List<String> groups(String csv) {
        return csv == null || csv.isEmpty() ? null : Arrays.asList(csv.split(","));
    }
}
