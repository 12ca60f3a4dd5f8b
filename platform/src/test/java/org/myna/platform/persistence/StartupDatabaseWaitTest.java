package org.myna.platform.persistence;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The start-up wait's log line names the database, never the credentials a URL's options may carry. */
class StartupDatabaseWaitTest {

    @Test
    void theAddressLeavesOutTheUrlsOptions() {
        assertThat(StartupDatabaseWait.address("jdbc:postgresql://db:5432/myna?user=wallet&password=s3cret"))
                .isEqualTo("jdbc:postgresql://db:5432/myna");
        assertThat(StartupDatabaseWait.address("jdbc:h2:file:./data/wallet;MODE=PostgreSQL;PASSWORD=s3cret"))
                .isEqualTo("jdbc:h2:file:./data/wallet");
        assertThat(StartupDatabaseWait.address("jdbc:h2:tcp://localhost:9/mem:x;A=1?b=2")).isEqualTo("jdbc:h2:tcp://localhost:9/mem:x");
        assertThat(StartupDatabaseWait.address(null)).isEqualTo("the datasource");
    }
}
