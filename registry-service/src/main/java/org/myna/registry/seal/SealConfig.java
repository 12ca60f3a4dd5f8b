package org.myna.registry.seal;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.time.Duration;

@ConfigMapping(prefix = "registry.seal")
public interface SealConfig {

    /** Largest accepted impression, in bytes after base64 decoding. */
    @WithDefault("204800")
    int maxImageBytes();

    /** Largest accepted width or height, checked before the pixels are decoded. */
    @WithDefault("2000")
    int maxImageDimension();

    /** The age from which a resident may register a seal. */
    @WithDefault("15")
    int minimumAge();

    /**
     * exp of the signed document. Banks customarily accept a certificate issued within three months; the
     * registry's own answer on the seal's status stays at GET /api/seal-certificates/{number}.
     */
    @WithDefault("P90D")
    Duration certificateLifetime();
}
