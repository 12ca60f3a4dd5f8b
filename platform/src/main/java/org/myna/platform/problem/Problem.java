package org.myna.platform.problem;

import java.util.List;
import java.util.Map;

/**
 * A domain error that becomes an RFC 9457 problem: a stable code, a status, and a message written for the
 * caller. It never carries an individual number or a secret.
 */
public class Problem extends RuntimeException {

    private final int status;
    private final String code;
    private final Map<String, Object> extra;

    public Problem(int status, String code, String message) {
        this(status, code, message, Map.of());
    }

    public Problem(int status, String code, String message, Map<String, Object> extra) {
        super(message, null, false, false);
        this.status = status;
        this.code = code;
        this.extra = extra;
    }

    public int status() {
        return status;
    }

    public String code() {
        return code;
    }

    public Map<String, Object> extra() {
        return extra;
    }

    public static Problem badRequest(String code, String message) {
        return new Problem(400, code, message);
    }

    public static Problem invalidField(String field, String code, String message) {
        return new Problem(400, code, message, Map.of("violations", List.of(Map.of("field", field, "message", message))));
    }

    public static Problem notFound(String code, String message) {
        return new Problem(404, code, message);
    }

    public static Problem conflict(String code, String message) {
        return new Problem(409, code, message);
    }
}
