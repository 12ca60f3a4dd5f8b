package org.myna.wallet.auth;

/** Token groups this service acts on; organisation roles come from the registry's client credentials. */
public final class Roles {
    public static final String PAYMENT_PROVIDER = "payment-provider";
    public static final String AUDITOR = "auditor";
    public static final String RESIDENT = "resident";
    public static final String OPERATION = "operation";
    public static final String SERVICE = "service";

    private Roles() {
    }
}
