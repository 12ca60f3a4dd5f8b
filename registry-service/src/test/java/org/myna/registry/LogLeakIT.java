package org.myna.registry;

import org.junit.jupiter.api.Test;
import org.myna.platform.testkit.RunLeaksContract;
import org.myna.platform.testkit.UrlLeaks;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * After every @QuarkusTest of this module (failsafe): the tests registered hundreds of residents, read, changed and
 * imported them, and provoked every error path; no number or secret may have reached the log, a URL or a span.
 */
class LogLeakIT extends RunLeaksContract {

    LogLeakIT() {
        super("registry");
    }

    /**
     * Virtual IDs, like numbers, never reach a URL or a log (UrlLeaks and LogLeaks know their shape: 16 digits with a
     * Verhoeff check digit). The run did create, use and revoke them — through bodies and a path that names no one.
     */
    @Test
    void theRunUsedVirtualIdsAndNoneReachedALogOrAUrl() throws IOException {
        assertThat(Files.readString(Path.of("target/registry-access.log"))).contains("/api/me/virtual-id");
        for (String file : List.of("target/registry-test.log", "target/registry-access.log", "target/registry-spans.log")) {
            assertThat(UrlLeaks.in(Path.of(file))).as("virtual IDs in " + file).filteredOn(f -> f.startsWith("virtual id")).isEmpty();
        }
    }
}
