package org.myna.platform.residency;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * The networks the operator declared as inside the jurisdiction. Offline, a jurisdiction cannot be derived from an
 * address: the guard checks every peer against this declaration, nothing more.
 */
@ConfigMapping(prefix = "myna.residency")
public interface ResidencyConfig {

    @WithDefault("true")
    boolean enabled();

    /** A label for messages and health, e.g. JP. */
    @WithDefault("JP")
    String jurisdiction();

    /** CIDRs inside the jurisdiction (MYNA_RESIDENCY_NETWORKS, comma-separated). */
    Optional<List<String>> networks();

    /** Loopback counts as inside: the demo, dev and test profiles, where every peer is on this machine. */
    @WithDefault("false")
    boolean allowLoopback();

    /** Names of the settings that hold a peer's address (URL or JDBC URL), besides the datasource and exporters. */
    Optional<List<String>> settings();

    /** How often the peers are resolved again (a DNS change or a failover can move one). */
    @WithDefault("PT1M")
    Duration recheckInterval();

    /**
     * How long a new database connection trusts a database host found inside before resolving it again (the JVM's own
     * DNS cache is 30 s by default). A readiness probe or recheck that finds it outside ends the trust at once.
     */
    @WithDefault("PT30S")
    Duration connectionCheckTtl();
}
