package org.myna.wallet;

import org.myna.platform.testkit.RunLeaksContract;

import java.util.List;
import java.util.regex.Pattern;

/**
 * After every @QuarkusTest of this module (failsafe): the tests raced grants, charges and bindings, replayed and
 * reused keys, spent operation tokens twice and sent malformed bodies; none of the pseudonyms and secrets they used
 * may have reached the log, a URL or a span.
 */
class LogLeakIT extends RunLeaksContract {

    LogLeakIT() {
        super("wallet");
    }

    /** The test kit's link codes: "wl-" and 32 hex digits. */
    @Override
    protected List<Pattern> ownShapes() {
        return List.of(Pattern.compile("wl-[0-9a-f]{32}"));
    }
}
