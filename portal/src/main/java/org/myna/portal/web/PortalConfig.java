package org.myna.portal.web;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.time.Duration;

/** The portal's settings: where the services are, and how short a session is. */
@ConfigMapping(prefix = "portal")
public interface PortalConfig {

    Session session();

    /** The portal's own OAuth client at the registry (role portal): it starts residents' card logins. */
    Client client();

    interface Client {
        @WithDefault("demo-portal")
        String id();

        java.util.Optional<String> secret();
    }

    interface Session {
        /** A session unused this long is gone: a terminal left alone does not stay logged in. */
        @WithDefault("PT10M")
        Duration idle();

        /** No session outlives this, however busy. */
        @WithDefault("PT1H")
        Duration max();

        /** Mark cookies Secure. Always on behind TLS (production); off only for plain-HTTP local runs. */
        @WithDefault("true")
        boolean secureCookies();
    }
}
