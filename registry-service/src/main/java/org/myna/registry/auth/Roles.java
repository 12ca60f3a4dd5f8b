package org.myna.registry.auth;

import java.util.Set;

/** The roles an organisation's client may hold; "resident" is given only through card authentication. */
public final class Roles {
    public static final String CLERK = "clerk";
    public static final String INSURER = "insurer";
    public static final String FACILITY = "facility";
    public static final String PAYMENT_PROVIDER = "payment-provider";
    public static final String AUDITOR = "auditor";
    public static final String SERVICE = "service";
    /**
     * A municipality's (or the national) call centre: may suspend a resident's card on the phone, when the caller
     * states the number and every basic attribute exactly; nothing else, and it reads nothing.
     */
    public static final String CALL_CENTRE = "call-centre";
    public static final String RESIDENT = "resident";

    public static final Set<String> ORGANISATION = Set.of(CLERK, INSURER, FACILITY, PAYMENT_PROVIDER, AUDITOR, SERVICE, CALL_CENTRE);

    private Roles() {
    }
}
