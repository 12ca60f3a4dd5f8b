package org.myna.registry.resident;

import java.time.LocalDate;

public record ResidentResponse(String number, String familyName, String givenName, String familyNameKana,
                               String givenNameKana, LocalDate dateOfBirth, String sex, Address address,
                               String status, LocalDate deceasedOn) {

    static ResidentResponse of(Resident r, IndividualNumber number) {
        return new ResidentResponse(number.digits(), r.familyName, r.givenName, r.familyNameKana, r.givenNameKana,
                r.dateOfBirth, r.sex, new Address(r.postalCode, r.prefecture, r.municipality, r.addressLine),
                r.status, r.deceasedOn);
    }
}
