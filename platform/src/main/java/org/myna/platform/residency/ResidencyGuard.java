package org.myna.platform.residency;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Ticker;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.scheduler.Scheduled;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.eclipse.microprofile.config.Config;
import org.jboss.logging.Logger;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * DESIGN (issue 23.4): the database, the peers and any exporter must resolve inside the networks the operator declared
 * for the jurisdiction. Checked at start-up (the service refuses to start, naming the setting), at every new database
 * connection ({@link ResidencyPoolInterceptor}), on every readiness probe ({@link ResidencyHealthCheck}) and every
 * {@code myna.residency.recheck-interval}, because a DNS change or a failover can move a peer after start-up. A
 * database host found inside is trusted by new connections for {@code myna.residency.connection-check-ttl}, so a pool
 * that opens many connections at once does not resolve the host for each; a probe or recheck that finds it outside
 * ends that trust at once.
 * Offline, no jurisdiction can be derived from an address: this checks the operator's declaration, nothing more.
 */
@ApplicationScoped
public class ResidencyGuard {

    private static final Logger LOG = Logger.getLogger(ResidencyGuard.class);

    /** Settings every service has when it uses them: its database, token keys or OIDC provider. */
    static final List<String> COMMON_SETTINGS = List.of("quarkus.datasource.jdbc.url", "mp.jwt.verify.publickey.location",
            "quarkus.oidc.auth-server-url");
    static final String DATASOURCE = "quarkus.datasource.jdbc.url";

    private final ResidencyConfig config;
    private final Config settings;
    private final ResidencyCheck check;
    /** Database hosts found inside, each for {@code connection-check-ttl}: what a new connection trusts. */
    private final Cache<String, Boolean> insideHosts;
    private volatile List<ResidencyCheck.Violation> last = List.of();

    @jakarta.inject.Inject
    ResidencyGuard(ResidencyConfig config, Config settings, ResidencyCheck.Resolver resolver) {
        this(config, settings, resolver, Ticker.systemTicker());
    }

    ResidencyGuard(ResidencyConfig config, Config settings, ResidencyCheck.Resolver resolver, Ticker ticker) {
        this.config = config;
        this.settings = settings;
        this.check = new ResidencyCheck(networks(config), config.allowLoopback(), resolver);
        this.insideHosts = Caffeine.newBuilder().expireAfterWrite(config.connectionCheckTtl()).maximumSize(64).ticker(ticker).build();
    }

    private static List<Cidr> networks(ResidencyConfig config) {
        List<Cidr> out = new ArrayList<>();
        for (String text : config.networks().orElse(List.of())) {
            if (text.isBlank()) {
                continue;
            }
            try {
                out.add(Cidr.parse(text));
            } catch (IllegalArgumentException e) {
                throw new IllegalStateException("data residency: setting myna.residency.networks: " + e.getMessage());
            }
        }
        return out;
    }

    /** Before anything else observes start-up: a service whose peers are outside must not begin to serve. */
    void onStart(@Observes @Priority(1) StartupEvent event) {
        List<ResidencyCheck.Violation> violations = check();
        if (!violations.isEmpty()) {
            throw new IllegalStateException(violations.get(0).message(config.jurisdiction(), check.networks())
                    + (violations.size() > 1 ? " (and " + (violations.size() - 1) + " more)" : ""));
        }
        if (config.enabled()) {
            LOG.infof("data residency: %d setting(s) checked, every host they name inside the networks declared for %s",
                    watched().size(), config.jurisdiction());
        }
    }

    @Scheduled(every = "${myna.residency.recheck-interval:PT1M}", delayed = "${myna.residency.recheck-interval:PT1M}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void recheck() {
        List<ResidencyCheck.Violation> before = last;
        List<ResidencyCheck.Violation> now = check();
        if (!now.isEmpty() && !now.equals(before)) {
            now.forEach(v -> LOG.error(v.message(config.jurisdiction(), check.networks())));
        }
    }

    /** Resolves every watched setting now. */
    public List<ResidencyCheck.Violation> check() {
        List<ResidencyCheck.Violation> violations = config.enabled() ? check.check(watched()) : List.of();
        last = violations;
        // A database host that moved outside is refused at the next new connection, not only once its trust expires.
        violations.stream().filter(v -> v.setting().equals(DATASOURCE)).forEach(v -> insideHosts.invalidate(v.host()));
        return violations;
    }

    /**
     * Checks the datasource's host as a new connection is made: resolved again unless found inside within the last
     * {@code connection-check-ttl}. Only an inside answer is kept; a host outside, or one that does not resolve, is
     * resolved again at each attempt, so it is let in as soon as it is back.
     */
    public Optional<ResidencyCheck.Violation> checkDatasource() {
        if (!config.enabled()) {
            return Optional.empty();
        }
        return settings.getOptionalValue(DATASOURCE, String.class).flatMap(url -> Endpoints.hostsOf(url).stream()
                .filter(host -> insideHosts.getIfPresent(host) == null)
                .map(host -> {
                    Optional<ResidencyCheck.Violation> violation = check.checkHost(DATASOURCE, host);
                    if (violation.isEmpty()) {
                        insideHosts.put(host, Boolean.TRUE);
                    }
                    return violation;
                }).flatMap(Optional::stream).findFirst());
    }

    public String message(ResidencyCheck.Violation violation) {
        return violation.message(config.jurisdiction(), check.networks());
    }

    public ResidencyConfig config() {
        return config;
    }

    /** The settings watched, with their values: the common ones, the service's own, and an active OTLP exporter's. */
    Map<String, String> watched() {
        Map<String, String> out = new LinkedHashMap<>();
        List<String> names = new ArrayList<>(COMMON_SETTINGS);
        names.addAll(config.settings().orElse(List.of()));
        if (otlpExporting()) {
            names.add("quarkus.otel.exporter.otlp.traces.endpoint");
            names.add("quarkus.otel.exporter.otlp.endpoint");
        }
        for (String name : names) {
            settings.getOptionalValue(name, String.class).ifPresent(v -> out.put(name, v));
        }
        return out;
    }

    /** Only an exporter that sends anywhere has an endpoint to check (its default would otherwise be loopback). */
    private boolean otlpExporting() {
        boolean sdkOff = settings.getOptionalValue("quarkus.otel.sdk.disabled", Boolean.class).orElse(false);
        boolean otlpOff = !settings.getOptionalValue("quarkus.otel.exporter.otlp.enabled", Boolean.class).orElse(true);
        String traces = settings.getOptionalValue("quarkus.otel.traces.exporter", String.class).orElse("cdi");
        return !sdkOff && !otlpOff && !traces.equals("none");
    }
}
