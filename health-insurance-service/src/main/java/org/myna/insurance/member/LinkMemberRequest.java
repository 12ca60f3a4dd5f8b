package org.myna.insurance.member;

import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;

/** Links an already enrolled member: the names and birth data come from the member record. */
public record LinkMemberRequest(@NotNull String individualNumber, @NotNull @Valid LinkAddress address) {

    @Override
    public String toString() {
        return "LinkMemberRequest[individualNumber=************]";
    }
}
