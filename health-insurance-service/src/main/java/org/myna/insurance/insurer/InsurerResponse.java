package org.myna.insurance.insurer;

public record InsurerResponse(String insurerNumber, String name, String corporateNumber) {

    public static InsurerResponse of(Insurer insurer) {
        return new InsurerResponse(insurer.insurerNumber, insurer.name, insurer.corporateNumber);
    }
}
