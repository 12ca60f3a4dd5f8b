package org.myna.insurance.reconciliation;

import com.github.tomakehurst.wiremock.WireMockServer;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import org.junit.jupiter.api.Test;
import org.myna.insurance.config.InsuranceConfig;
import org.myna.insurance.registry.RegistryClient;
import org.myna.insurance.support.Fixtures;
import org.myna.insurance.support.InjectRegistryMock;
import org.myna.insurance.support.RegistryMock;

import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * DESIGN §6.10: the nightly reconciliation's cron fires on every replica at the same moment. Several replicas (service
 * instances sharing this database, each its own lease holder) fire together: one run is recorded, the registry is
 * asked for one run's pages, and a replica whose cron fires late within the lease's term does not run it again.
 */
@QuarkusTest
@QuarkusTestResource(RegistryMock.class)
class ReconciliationLeaseTest {

    @InjectRegistryMock
    WireMockServer registry;

    @Inject
    RegistryClient registryClient;

    @Inject
    InsuranceConfig config;

    @Inject
    EntityManager em;

    /** Another replica of this service: same database and registry, its own lease holder. */
    ReconciliationService replica() {
        return new ReconciliationService(registryClient, config, em);
    }

    @Test
    void replicasWhoseCronsFireTogetherReconcileOnce() throws Exception {
        linkedMember("山田", "花子");
        linkedMember("髙橋", "一郎");
        // A previous night's lease (another test class's JVM start, say) is over.
        QuarkusTransaction.requiringNew().run(() -> em.createNativeQuery("update {h-schema}job_lease set expires_at = ?1 where name = ?2")
                .setParameter(1, OffsetDateTime.parse("1970-01-01T00:00:00Z")).setParameter(2, ReconciliationService.JOB).executeUpdate());
        long runsBefore = scheduledRuns();
        int callsBefore = verificationCalls();

        int replicas = 4;
        List<ReconciliationService> services = new ArrayList<>();
        for (int i = 0; i < replicas; i++) {
            services.add(replica());
        }
        ExecutorService pool = Executors.newFixedThreadPool(replicas);
        try {
            CountDownLatch cron = new CountDownLatch(1);
            List<Future<?>> fired = new ArrayList<>();
            for (ReconciliationService s : services) {
                fired.add(pool.submit(() -> {
                    cron.await();
                    s.scheduled();
                    return null;
                }));
            }
            cron.countDown();
            for (Future<?> f : fired) {
                f.get();
            }
        } finally {
            pool.shutdownNow();
        }

        assertThat(scheduledRuns() - runsBefore).as("scheduled runs recorded").isEqualTo(1);
        Reconciliation run = QuarkusTransaction.requiringNew().call(() -> Reconciliation.<Reconciliation>find(
                "startedBy = 'scheduler' order by id desc").firstResult());
        assertThat(run.status).isEqualTo("finished");
        assertThat(run.checked).isGreaterThanOrEqualTo(2);
        long pages = (run.checked + config.reconciliation().pageSize() - 1) / config.reconciliation().pageSize();
        assertThat(verificationCalls() - callsBefore).as("registry calls: one run's pages").isEqualTo(pages);

        // A replica whose cron fires a little late finds the night's run taken.
        replica().scheduled();
        assertThat(scheduledRuns() - runsBefore).isEqualTo(1);
    }

    /** A linked member; the class's first enrolment is the application's first registry call, tried twice on a loaded machine. */
    void linkedMember(String family, String given) {
        try {
            Fixtures.linkedMember(registry, family, given);
        } catch (AssertionError coldStart) {
            Fixtures.linkedMember(registry, family, given);
        }
    }

    long scheduledRuns() {
        return QuarkusTransaction.requiringNew().call(() -> Reconciliation.count("startedBy", "scheduler"));
    }

    int verificationCalls() {
        return registry.countRequestsMatching(postRequestedFor(urlEqualTo("/api/insurance-links/verifications")).build()).getCount();
    }
}
