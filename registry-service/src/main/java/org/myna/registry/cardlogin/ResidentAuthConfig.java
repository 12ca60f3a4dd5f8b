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

    /**
     * How long a login code from a PC (RFC 8628 user code) can be approved. Short on purpose: a code relayed to a
     * victim by a phisher (RFC 8628 §5.4) must die before it can be used on a stranger's card.
     */
    @WithDefault("PT2M")
    Duration deviceCodeLifetime();

    /** The polling interval the portal is told; polling faster answers slow_down. */
    @WithDefault("PT2S")
    Duration devicePollInterval();

    /**
     * RFC 8628 verification_uri: the card app's address (an app link the resident's phone opens, e.g. from the
     * portal's QR code); verification_uri_complete adds {@code ?user_code=}. The app still shows who asks and when
     * before the PIN.
     */
    @WithDefault("https://card-app.myna.example/login")
    String deviceVerificationUri();
}
