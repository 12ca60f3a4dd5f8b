package org.myna.registry.cardlogin;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.time.Duration;

/** Card authentication of residents: challenge and token lifetimes. */
@ConfigMapping(prefix = "registry.resident-auth")
public interface ResidentAuthConfig {

    @WithDefault("PT2M")
    Duration challengeLifetime();

    @WithDefault("PT10M")
    Duration tokenLifetime();

    @WithDefault("PT60S")
    Duration operationTokenLifetime();
}
