package org.myna.insurance.auth;

/** Roles as the registry issues them in the token's groups claim. */
public final class Roles {
    public static final String INSURER = "insurer";
    public static final String FACILITY = "facility";
    public static final String AUDITOR = "auditor";
    public static final String SERVICE = "service";
    public static final String RESIDENT = "resident";

    private Roles() {
    }
}
