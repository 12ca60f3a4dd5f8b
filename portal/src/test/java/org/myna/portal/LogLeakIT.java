package org.myna.portal;

import org.myna.platform.testkit.RunLeaksContract;

import java.util.List;
import java.util.regex.Pattern;

/**
 * After every @QuarkusTest of the portal (failsafe): residents logged in with the card and read their record (names
 * with 𠮷 and 髙, a masked number), insurance and access log; clinics logged in with secrets and checked cards; cards
 * were revoked under open sessions. The portal's log and HTTP access log must hold no number, pairwise subject,
 * token, device or user code, session id, secret or name.
 */
class LogLeakIT extends RunLeaksContract {

    LogLeakIT() {
        super("portal");
    }

    /** The portal has no tracing exporter: its request log is the HTTP access log. */
    @Override
    protected List<String> requestLogs() {
        return List.of("access");
    }

    @Override
    protected String requestPath() {
        return "/me";
    }

    /** The tests' own values: pairwise subjects, device codes, RFC 8628 user codes, the fake services' tokens. */
    @Override
    protected List<Pattern> ownShapes() {
        return List.of(Pattern.compile("pairwise-subject"), Pattern.compile("device-code-"),
                Pattern.compile("[BCDFGHJKLMNPQRSTVWXZ]{4}-[BCDFGHJKLMNPQRSTVWXZ]{4}"),
                Pattern.compile("(facility|insurance|wallet)-token"), Pattern.compile("123456789018"));
    }
}
