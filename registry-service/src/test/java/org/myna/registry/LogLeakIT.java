package org.myna.registry;

import org.myna.platform.testkit.RunLeaksContract;

/**
 * After every @QuarkusTest of this module (failsafe): the tests registered hundreds of residents, read, changed and
 * imported them, and provoked every error path; no number or secret may have reached the log, a URL or a span.
 */
class LogLeakIT extends RunLeaksContract {

    LogLeakIT() {
        super("registry");
    }
}
