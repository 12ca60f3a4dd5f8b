package org.myna.platform.residency;

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
 * {@code myna.residency.recheck-interval}, because a DNS change or a failover can move a peer after start-up.
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
    private volatile List<ResidencyCheck.Violation> last = List.of();

    @jakarta.inject.Inject
    ResidencyGuard(ResidencyConfig config, Config settings, ResidencyCheck.Resolver resolver) {
        this.config = config;
        this.settings = settings;
        this.check = new ResidencyCheck(networks(config), config.allowLoopback(), resolver);
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
        return violations;
    }

    /** Checks the datasource's host again, as a new connection is made. */
    public Optional<ResidencyCheck.Violation> checkDatasource() {
        if (!config.enabled()) {
            return Optional.empty();
        }
        return settings.getOptionalValue(DATASOURCE, String.class).flatMap(url -> Endpoints.hostsOf(url).stream()
                .map(host -> check.checkHost(DATASOURCE, host)).flatMap(Optional::stream).findFirst());
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
