package org.myna.registry.accesslog;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Positive;
import jakarta.validation.constraints.Size;
import org.jboss.logging.Logger;
import org.myna.platform.persistence.Constraints;
import org.myna.platform.problem.Problem;
import org.myna.registry.auth.ServiceAudiences;
import org.myna.registry.linkcode.LinkCodeService;

import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Rows of the other services' access logs, delivered in batches by their outboxes. The calling service's audience
 * decides whose link codes the batch speaks in (a wallet row can only name a wallet code); each row is recorded once,
 * by (delivering service, its row id), so a redelivered batch adds nothing. A row whose link code the registry does
 * not know for that audience is counted and dropped: no resident can be shown it, and retrying would not change that.
 */
@ApplicationScoped
public class AccessLogIngest {

    public static final int MAX_BATCH = 500;
    private static final Logger LOG = Logger.getLogger(AccessLogIngest.class);

    private final LinkCodeService linkCodes;
    private final ServiceAudiences audiences;
    private final MeterRegistry meters;

    public AccessLogIngest(LinkCodeService linkCodes, ServiceAudiences audiences, MeterRegistry meters) {
        this.linkCodes = linkCodes;
        this.audiences = audiences;
        this.meters = meters;
    }

    public record Entry(@NotNull @Positive Long id,
                        @NotBlank @Size(max = 100) String linkCode,
                        @NotBlank @Size(max = 64) String clientId,
                        @NotBlank @Size(max = 32) String role,
                        @NotNull @Pattern(regexp = "read|create|update|exchange") String action,
                        @NotBlank @Size(max = 100) String purpose,
                        @NotBlank @Size(max = 300) String fields,
                        @NotNull OffsetDateTime at) {
    }

    public record Batch(@NotNull @Size(max = MAX_BATCH) List<@NotNull @Valid Entry> entries) {
    }

    public record Receipt(int received, int recorded, int duplicates, int unknownLinkCodes) {
    }

    public Receipt ingest(String serviceClient, Batch batch) {
        String audience = audiences.audienceOf(serviceClient).orElseThrow(() ->
                new Problem(403, "service-audience-unknown", "This client is not configured as a service audience."));
        // A row id repeated inside one batch is one row: the first one counts.
        Map<Long, Entry> byId = new LinkedHashMap<>();
        batch.entries().forEach(e -> byId.putIfAbsent(e.id(), e));
        try {
            return QuarkusTransaction.requiringNew().call(() -> record(serviceClient, audience, byId));
        } catch (RuntimeException e) {
            if (!Constraints.violated(e, "uq_access_log_source")) {
                throw e;
            }
            // The same rows delivered twice at once (two sender replicas, a retry overtaking a slow first try): the
            // second pass finds the first one's rows and records only what is still missing.
            return QuarkusTransaction.requiringNew().call(() -> record(serviceClient, audience, byId));
        }
    }

    private Receipt record(String source, String audience, Map<Long, Entry> byId) {
        if (byId.isEmpty()) {
            return new Receipt(0, 0, 0, 0);
        }
        Set<Long> existing = new HashSet<>(AccessLogEntry.getEntityManager().createQuery(
                        "select e.sourceId from AccessLogEntry e where e.source = :s and e.sourceId in :ids", Long.class)
                .setParameter("s", source).setParameter("ids", byId.keySet()).getResultList());
        Map<String, Long> residents = linkCodes.residentsFor(audience, byId.values().stream().map(Entry::linkCode).toList());
        int recorded = 0;
        int unknown = 0;
        OffsetDateTime now = OffsetDateTime.now();
        Timer lateness = Timer.builder("access_log_ingest_lateness")
                .description("From a read in another service to its row in the resident's access log")
                .tag("source", source).publishPercentileHistogram().register(meters);
        for (Entry e : byId.values()) {
            if (existing.contains(e.id())) {
                continue;
            }
            Long resident = residents.get(e.linkCode());
            if (resident == null) {
                unknown++;
                continue;
            }
            AccessLogEntry row = new AccessLogEntry();
            row.residentId = resident;
            row.actor = e.clientId();
            row.actorRole = e.role();
            row.action = e.action();
            row.purpose = e.purpose();
            row.fields = e.fields();
            row.at = e.at();
            row.source = source;
            row.sourceId = e.id();
            row.persist();
            recorded++;
            lateness.record(Duration.between(e.at(), now).isNegative() ? Duration.ZERO : Duration.between(e.at(), now));
        }
        // A clash surfaces here, where it is handled, not at commit, where the driver's message would be logged.
        AccessLogEntry.flush();
        if (unknown > 0) {
            LOG.warnf("access-log delivery from %s: %d row(s) name no resident of audience %s; dropped", source, unknown, audience);
        }
        return new Receipt(byId.size(), recorded, existing.size(), unknown);
    }
}
