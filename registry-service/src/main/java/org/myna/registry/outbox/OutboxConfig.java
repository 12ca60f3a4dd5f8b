package org.myna.registry.outbox;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.time.Duration;
import java.util.Map;

@ConfigMapping(prefix = "registry.outbox")
public interface OutboxConfig {

    /** Subscribers by audience (wallet, insurance): where their POST /api/events lives. */
    Map<String, Subscriber> subscribers();

    /** How often the dispatcher runs ("off" in tests, which drive it by hand); read by @Scheduled. */
    @WithDefault("1s")
    String interval();

    @WithDefault("200")
    int batchSize();

    /** First retry delay; doubles per attempt up to maxBackoff. */
    @WithDefault("PT1S")
    Duration initialBackoff();

    @WithDefault("PT5M")
    Duration maxBackoff();

    interface Subscriber {
        String url();
    }
}
