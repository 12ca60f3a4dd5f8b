package org.myna.insurance;

import org.myna.platform.testkit.RunLeaksContract;

/**
 * After every @QuarkusTest of this module (failsafe): the tests enrolled and linked members with individual numbers,
 * sent malformed ones and provoked registry failures; no number or secret may have reached the log, a URL or a span.
 */
class LogLeakIT extends RunLeaksContract {

    LogLeakIT() {
        super("insurance");
    }
}
