package org.myna.registry.resident;

import java.time.LocalDate;

public record ResidentResponse(@com.fasterxml.jackson.annotation.JsonInclude(
                                       com.fasterxml.jackson.annotation.JsonInclude.Include.NON_NULL) String number, String familyName, String givenName, String familyNameKana,
                               String givenNameKana, LocalDate dateOfBirth, String sex, Address address,
                               String status, LocalDate deceasedOn) {

    static ResidentResponse of(Resident r, IndividualNumber number) {
        return new ResidentResponse(number.digits(), r.familyName, r.givenName, r.familyNameKana, r.givenNameKana,
                r.dateOfBirth, r.sex, new Address(r.postalCode, r.prefecture, r.municipality, r.addressLine),
                r.status, r.deceasedOn);
    }

    /** The record as an organisation that came with a virtual ID sees it: without the number. */
    public ResidentResponse withoutNumber() {
        return new ResidentResponse(null, familyName, givenName, familyNameKana, givenNameKana, dateOfBirth, sex, address,
                status, deceasedOn);
    }
}
