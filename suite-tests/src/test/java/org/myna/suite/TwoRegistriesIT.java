package org.myna.suite;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;
import static org.awaitility.Awaitility.await;

/**
 * Two registry processes on one PostgreSQL, as two replicas of a Deployment: exactly one dispatches the outbox (the
 * lease in outbox_lease), the other takes over when the first dies, and gives the lease back on a graceful stop.
 * A replica computes and exports a subscriber's low watermark (metric myna_outbox_watermark_lag) only while it holds
 * the lease, so the metric shows who dispatches.
 */
class TwoRegistriesIT {

    static final HttpClient HTTP = HttpClient.newHttpClient();
    static final Duration START = Duration.ofMinutes(4);
    static Suite suite;

    @BeforeAll
    static void start() {
        String url = System.getenv("REGISTRY_DB_URL");
        assumeThat(url != null && url.startsWith("jdbc:postgresql")).as("two processes share a database on PostgreSQL only").isTrue();
        suite = Suite.get();
    }

    static boolean dispatches(ServiceProcess registry) {
        try {
            HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(registry.url() + "/q/metrics"))
                    .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
            return r.body().lines().anyMatch(l -> l.startsWith("myna_outbox_watermark_lag"));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void oneReplicaDispatchesTheOtherTakesOverWhenItDiesAndGetsItBackOnAGracefulStop() throws Exception {
        // Replicas share the token-signing key and the CA (one Secret): the second uses the first one's files.
        Path workDir = Files.createTempDirectory("myna-second-registry");
        Path keys = suite.workDir.resolve("data/keys").toAbsolutePath();
        ServiceProcess second = new ServiceProcess("registry-service", workDir, ServiceProcess.freePort(),
                Map.of("INSURANCE_URL", suite.insurance.url(), "WALLET_URL", suite.wallet.url(),
                        "REGISTRY_SIGNING_KEY_FILE", keys.resolve("token-signing-key.pem").toString(),
                        "REGISTRY_CA_KEY_FILE", keys.resolve("card-ca-key.pem").toString(),
                        "REGISTRY_CA_CERT_FILE", keys.resolve("card-ca-cert.pem").toString()));
        try {
            second.start().awaitReady(START);
            await().atMost(Duration.ofSeconds(30)).until(() -> dispatches(suite.registry));
            // The first replica holds the lease and renews it every pass: the second never dispatches meanwhile.
            Thread.sleep(3_000);
            assertThat(dispatches(second)).as("the second replica dispatched while the first held the lease").isFalse();

            // kill -9 of the holder: its lease expires (5 s) and the second replica takes over.
            suite.registry.kill();
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500)).until(() -> dispatches(second));

            // The first comes back (a fresh process): it must not dispatch while the second holds the lease...
            suite.registry.start().awaitReady(START);
            Thread.sleep(3_000);
            assertThat(dispatches(suite.registry)).as("the restarted replica dispatched beside the lease holder").isFalse();

            // ...and a graceful stop of the holder gives the lease back at once.
            second.terminate();
            await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(500)).until(() -> dispatches(suite.registry));
        } finally {
            second.kill();
            if (!suite.registry.isAlive()) {
                suite.registry.start().awaitReady(START);
            }
        }
    }
}
