package org.myna.wallet.ledger.batch;

import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/** DOWN from the moment the writer stops taking requests (shutdown), so that no new work is routed here while it drains. */
@Readiness
@ApplicationScoped
public class LedgerWriterReadiness implements HealthCheck {

    private final LedgerWriter writer;

    public LedgerWriterReadiness(LedgerWriter writer) {
        this.writer = writer;
    }

    @Override
    public HealthCheckResponse call() {
        return HealthCheckResponse.named("ledger-writer").status(writer.accepting()).withData("queue", writer.queueDepth()).build();
    }
}
