package org.myna.platform.ratelimit;

import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.eclipse.microprofile.config.Config;

/**
 * Refuses to start with forwarding headers honoured from anyone. With {@code proxy-address-forwarding} on and no
 * {@code trusted-proxies}, Quarkus believes an X-Forwarded-For from every peer: a client could then pick its own
 * address and step around every per-address limit.
 */
@ApplicationScoped
public class ForwardingGuard {

    void check(@Observes StartupEvent start, Config config) {
        boolean forwarding = config.getOptionalValue("quarkus.http.proxy.proxy-address-forwarding", Boolean.class).orElse(false);
        boolean trusted = config.getOptionalValue("quarkus.http.proxy.trusted-proxies", String.class)
                .filter(s -> !s.isBlank()).isPresent();
        if (forwarding && !trusted) {
            throw new IllegalStateException("quarkus.http.proxy.proxy-address-forwarding is on but quarkus.http.proxy.trusted-proxies "
                    + "is empty: forwarding headers would be believed from any client. List the ingress addresses "
                    + "(HTTP_TRUSTED_PROXIES) or turn forwarding off.");
        }
    }
}
