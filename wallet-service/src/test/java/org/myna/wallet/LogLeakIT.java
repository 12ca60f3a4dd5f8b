package org.myna.wallet;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Runs after every @QuarkusTest of this module (failsafe) and reads the whole log of that run. The tests raced grants,
 * charges and bindings, replayed and reused keys, spent operation tokens twice and sent malformed bodies; none of the
 * pseudonyms and secrets they used may have reached the log.
 */
class LogLeakIT {

    /** The test kit's link codes: "wl-" and 32 hex digits. */
    private static final Pattern LINK_CODE = Pattern.compile("wl-[0-9a-f]{32}");

    @Test
    void noTokenLinkCodeOrDriverDetailAppearsInTheTestRunLog() throws IOException {
        Path log = Path.of("target/wallet-test.log");
        assertThat(log).as("the @QuarkusTest run writes its log here").exists();
        String text = Files.readString(log);
        assertThat(text).as("the run's log was captured").contains("Installed features");
        assertThat(text).as("bearer tokens").doesNotContain("eyJ");
        assertThat(LINK_CODE.matcher(text).find()).as("a resident's link code in the log").isFalse();
        assertThat(text).as("the driver's detail naming clashing values")
                .doesNotContain("VALUES ( /*").doesNotContainPattern("Key \\([^)]*\\)=\\(");
    }
}
