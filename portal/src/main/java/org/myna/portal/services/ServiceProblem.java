package org.myna.portal.services;

/**
 * A service refused or could not be reached. {@code code} is the service's stable problem code (shown to the user
 * beside a sentence in words), or {@code <service>-unavailable} when no answer came at all.
 */
public class ServiceProblem extends RuntimeException {

    private final int status;
    private final String code;
    private final String detail;

    public ServiceProblem(int status, String code, String detail) {
        super(code, null, false, false);
        this.status = status;
        this.code = code;
        this.detail = detail;
    }

    public int status() {
        return status;
    }

    public String code() {
        return code;
    }

    public String detail() {
        return detail;
    }
}
