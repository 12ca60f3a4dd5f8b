package org.myna.registry.outbox;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;
import org.myna.registry.support.CardFlow;
import org.myna.registry.support.InsuranceWireMock;

import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The freshness mechanism's registry half (DESIGN §6.7): a subscriber's low watermark never passes an undelivered
 * event, a delivery in back-off holds it back, and only one replica (the lease holder) dispatches.
 */
@QuarkusTest
@QuarkusTestResource(InsuranceWireMock.class)
class OutboxWatermarkTest {

    @Inject
    OutboxDispatcher dispatcher;

    @Inject
    OutboxConfig config;

    @Inject
    jakarta.persistence.EntityManager em;

    /** Other tests leave deliveries behind; deliver them all, so this test's event is the only one pending. */
    void drain() {
        InsuranceWireMock.server.stubFor(post("/api/events").willReturn(aResponse().withStatus(204)));
        for (int i = 0; i < 50 && pending() > 0; i++) {
            dispatcher.dispatch("insurance");
        }
        assertThat(pending()).isZero();
    }

    long pending() {
        return QuarkusTransaction.requiringNew().call(() ->
                OutboxDelivery.count("key.subscriber = 'insurance' and status = ?1", OutboxDelivery.PENDING));
    }

    @Test
    void aRevocationWhoseDeliveryKeepsFailingHoldsTheWatermarkBackUntilItIsDelivered() throws Exception {
        drain();
        CardFlow.Issued holder = CardFlow.newHolder();
        String insuranceCode = io.restassured.path.json.JsonPath.from(new String(java.util.Base64.getUrlDecoder()
                .decode(CardFlow.login(holder.card(), "insurance").split("\\.")[1]), java.nio.charset.StandardCharsets.UTF_8)).getString("sub");
        drain(); // the card's issuance events (and its card-standing event) reach the insurance service first
        InsuranceWireMock.server.stubFor(post("/api/events").withRequestBody(containing(insuranceCode)).atPriority(1)
                .willReturn(aResponse().withStatus(503)));
        OffsetDateTime beforeRevocation = OffsetDateTime.now();
        CardFlow.revoke(holder.cardId(), "lost");

        for (int pass = 0; pass < 3; pass++) {
            dispatcher.dispatch("insurance");
            EventsApi.Watermark mark = dispatcher.lowWatermark("insurance");
            assertThat(mark.watermark()).as("pass %d: the undelivered revocation holds the watermark", pass)
                    .isBeforeOrEqualTo(OffsetDateTime.now()).isAfterOrEqualTo(beforeRevocation.minusSeconds(1));
            assertThat(mark.watermark()).isBefore(beforeRevocation.plusSeconds(5));
            Thread.sleep(300);
        }
        OffsetDateTime heldAt = dispatcher.lowWatermark("insurance").watermark();
        Thread.sleep(config.commitLag().toMillis() + 300);
        assertThat(dispatcher.lowWatermark("insurance").watermark()).as("time alone does not move it").isEqualTo(heldAt);

        InsuranceWireMock.server.removeStub(InsuranceWireMock.server.getStubMappings().stream()
                .filter(m -> m.getPriority() != null && m.getPriority() == 1).findFirst().orElseThrow());
        dispatcher.dispatch("insurance");
        EventsApi.Watermark released = dispatcher.lowWatermark("insurance");
        assertThat(released.watermark()).isAfter(heldAt)
                .isEqualTo(released.asOf().minus(config.commitLag()));

        InsuranceWireMock.server.stubFor(post("/api/events/watermark").willReturn(aResponse().withStatus(204)));
        dispatcher.sendWatermark("insurance");
        InsuranceWireMock.server.verify(postRequestedFor(urlEqualTo("/api/events/watermark"))
                .withRequestBody(matchingJsonPath("$.watermark")).withRequestBody(matchingJsonPath("$.asOf")));
    }

    @Test
    void oneReplicaHoldsTheLeaseAtATimeEvenWhenTheyRace() throws Exception {
        int replicas = 8;
        List<OutboxLease> leases = new ArrayList<>();
        for (int i = 0; i < replicas; i++) {
            leases.add(new OutboxLease(config, em));
        }
        // Whoever holds it now (this JVM's scheduler is off in tests) gives it up first.
        QuarkusTransaction.requiringNew().run(() -> em.createNativeQuery("update {h-schema}outbox_lease set expires_at = ?1")
                .setParameter(1, OffsetDateTime.parse("1970-01-01T00:00:00Z")).executeUpdate());
        ExecutorService pool = Executors.newFixedThreadPool(replicas);
        try {
            CountDownLatch start = new CountDownLatch(1);
            List<Future<Boolean>> outcomes = new ArrayList<>();
            for (OutboxLease lease : leases) {
                Callable<Boolean> take = () -> {
                    start.await();
                    return lease.acquire();
                };
                outcomes.add(pool.submit(take));
            }
            start.countDown();
            int holders = 0;
            OutboxLease winner = null;
            for (int i = 0; i < replicas; i++) {
                if (outcomes.get(i).get()) {
                    holders++;
                    winner = leases.get(i);
                }
            }
            assertThat(holders).as("replicas holding the lease").isEqualTo(1);
            // The holder renews; the others keep being refused until it lets go.
            assertThat(winner.acquire()).isTrue();
            for (OutboxLease other : leases) {
                if (other != winner) {
                    assertThat(other.acquire()).isFalse();
                }
            }
            winner.release();
            OutboxLease next = leases.get(leases.get(0) == winner ? 1 : 0);
            assertThat(next.acquire()).isTrue();
            assertThat(winner.acquire()).isFalse();
            next.release();
        } finally {
            pool.shutdownNow();
        }
    }
}
