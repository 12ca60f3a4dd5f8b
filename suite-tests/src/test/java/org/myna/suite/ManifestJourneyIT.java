package org.myna.suite;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.myna.suite.deploy.DeployedSuite;
import org.myna.suite.deploy.Manifests;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The production build really starts from its manifests: the PostgreSQL-kind jars run with exactly the environment
 * deploy/overlays/production gives them (DeployedSuite: migration Jobs first, then the Deployments, production
 * profile, Secret values from a test fixture), and the whole journey of {@link JourneyIT} passes against them.
 * Runs where the services are built for PostgreSQL (CI's PostgreSQL verify); elsewhere it is skipped.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ManifestJourneyIT extends JourneyIT {

    static Suite deployed;

    /** Hides JourneyIT.start(): this class's journey runs against the deployed suite, not the demo one. */
    @BeforeAll
    static void start() {
        String url = System.getenv("REGISTRY_DB_URL");
        assumeTrue(url != null && url.startsWith("jdbc:postgresql:"), "the packaged services are PostgreSQL-kind only in the PostgreSQL verify");
        if (System.getenv("CI") != null) {
            assertThat(Manifests.kubectl()).as("CI renders deploy/ with kubectl").isPresent();
        }
        assumeTrue(Manifests.kubectl().isPresent(), "kubectl (Kustomize v4+) is not on the PATH");
        try {
            deployed = DeployedSuite.start(ServiceProcess.root().resolve("deploy/overlays/production"));
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
        suite = deployed;
        api = new Api(deployed);
    }

    @AfterAll
    static void stop() {
        if (deployed != null) {
            deployed.wallet.close();
            deployed.insurance.close();
            deployed.registry.close();
        }
    }

    /**
     * Graceful shutdown as the manifests configure it (SHUTDOWN_DELAY): on SIGTERM readiness turns DOWN at once while
     * the service still answers, then it exits by itself.
     */
    @Test
    @Order(Integer.MAX_VALUE)
    void onSigtermReadinessGoesDownWhileRequestsAreStillServedThenItExits() throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        ServiceProcess wallet = deployed.wallet;
        assertThat(status(http, wallet.url() + "/q/health/ready")).isEqualTo(200);
        long signalled = System.nanoTime();
        wallet.terminate();
        int ready = 0;
        for (int i = 0; i < 20 && ready != 503; i++) {
            ready = status(http, wallet.url() + "/q/health/ready");
            Thread.sleep(50);
        }
        assertThat(ready).as("readiness during the shutdown delay").isEqualTo(503);
        assertThat(status(http, wallet.url() + "/q/health/live")).as("still serving during the delay").isEqualTo(200);
        assertThat(Duration.ofNanos(System.nanoTime() - signalled)).isLessThan(Duration.ofSeconds(5));
        for (int i = 0; i < 300 && wallet.isAlive(); i++) {
            Thread.sleep(100);
        }
        assertThat(wallet.isAlive()).as("exited after the delay and the drain").isFalse();
    }

    private static int status(HttpClient http, String url) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(2)).build(),
                HttpResponse.BodyHandlers.discarding()).statusCode();
    }
}
