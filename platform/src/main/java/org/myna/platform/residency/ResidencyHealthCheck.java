package org.myna.platform.residency;

import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Readiness;

import java.util.List;
import java.util.stream.Collectors;

/**
 * Readiness resolves every peer again: a peer that a DNS change or failover moved outside the declared networks takes
 * this replica out of service (DOWN names the setting), and it comes back when the peer is inside again.
 */
@Readiness
@ApplicationScoped
public class ResidencyHealthCheck implements HealthCheck {

    public static final String NAME = "data-residency";

    private final ResidencyGuard guard;

    ResidencyHealthCheck(ResidencyGuard guard) {
        this.guard = guard;
    }

    @Override
    public HealthCheckResponse call() {
        HealthCheckResponseBuilder response = HealthCheckResponse.named(NAME)
                .withData("jurisdiction", guard.config().jurisdiction())
                .withData("networks", String.join(",", guard.config().networks().orElse(List.of())))
                .withData("loopbackAllowed", guard.config().allowLoopback());
        if (!guard.config().enabled()) {
            return response.up().withData("check", "disabled").build();
        }
        List<ResidencyCheck.Violation> violations = guard.check();
        response.withData("settingsChecked", guard.watched().size());
        if (violations.isEmpty()) {
            return response.up().build();
        }
        return response.down()
                .withData("outside", violations.stream().map(ResidencyCheck.Violation::setting).distinct().collect(Collectors.joining(",")))
                .withData("reason", guard.message(violations.get(0)))
                .build();
    }
}
