package org.myna.portal.web;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.time.Duration;

/** The portal's settings: where the services are, and how short a session is. */
@ConfigMapping(prefix = "portal")
public interface PortalConfig {

    Session session();

    /** The access-log page (its rows come from the registry a page at a time, by keyset cursor). */
    AccessLog accessLog();

    interface AccessLog {
        /** Rows per page (the registry allows 1 to 500). */
        @WithDefault("20")
        int pageSize();
    }

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

        /**
         * How often, at most, a resident's card is asked about at the registry while she uses the pages (ResidentGuard):
         * a card revoked or suspended anywhere ends her sessions within this period.
         */
        @WithDefault("PT5S")
        Duration cardRecheck();
    }
}
