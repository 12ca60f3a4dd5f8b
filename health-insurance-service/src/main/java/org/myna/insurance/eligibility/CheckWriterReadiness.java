package org.myna.insurance.eligibility;

import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/** DOWN from the moment the check writer stops taking checks (shutdown), so that no new check is routed here while it drains. */
@Readiness
@ApplicationScoped
public class CheckWriterReadiness implements HealthCheck {

    private final CheckWriter writer;

    public CheckWriterReadiness(CheckWriter writer) {
        this.writer = writer;
    }

    @Override
    public HealthCheckResponse call() {
        return HealthCheckResponse.named("eligibility-writer").status(writer.accepting()).withData("queue", writer.queueDepth()).build();
    }
}
