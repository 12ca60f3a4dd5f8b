package org.myna.suite;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The embedded default (H2 files, as {@code ./myna up} runs it) stopped as Kubernetes or Ctrl-C stops it: on SIGTERM
 * the service keeps answering during its shutdown delay, and the database stays open until the service itself has
 * finished with it. H2 closes a file database from its own JVM shutdown hook unless told not to, which races
 * Quarkus's graceful shutdown: requests admitted during the delay, the ledger writer's drain and the scheduled jobs
 * then met a closed database.
 */
class EmbeddedShutdownIT {

    private ServiceProcess registry;

    @AfterEach
    void stop() {
        if (registry != null) {
            registry.close();
        }
    }

    @Test
    void duringTheShutdownDelayRequestsThatNeedTheDatabaseAreStillAnsweredAndNothingMeetsAClosedDatabase() throws Exception {
        Path dir = Files.createTempDirectory("embedded-shutdown");
        registry = new ServiceProcess("registry-service", dir, ServiceProcess.freePort(), Map.of("SHUTDOWN_DELAY", "PT3S"))
                .start().awaitReady(Duration.ofMinutes(3));
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        assertThat(token(http).statusCode()).isEqualTo(200);

        registry.terminate();
        int ready = 0;
        for (int i = 0; i < 40 && ready != 503; i++) {
            ready = http.send(HttpRequest.newBuilder(URI.create(registry.url() + "/q/health/ready")).timeout(Duration.ofSeconds(2)).build(),
                    HttpResponse.BodyHandlers.discarding()).statusCode();
            Thread.sleep(50);
        }
        assertThat(ready).as("readiness during the shutdown delay").isEqualTo(503);
        // A client-credentials token reads the client's row: the database must still be there.
        HttpResponse<String> during = token(http);
        assertThat(during.statusCode()).as("a token during the delay: %s", during.body()).isEqualTo(200);

        for (int i = 0; i < 300 && registry.isAlive(); i++) {
            Thread.sleep(100);
        }
        assertThat(registry.isAlive()).as("exited after the delay").isFalse();
        assertThat(Files.readString(registry.log())).doesNotContain("Database is already closed");
    }

    private HttpResponse<String> token(HttpClient http) throws Exception {
        String form = "grant_type=client_credentials&client_id=demo-clerk&client_secret="
                + URLEncoder.encode("demo-clerk-secret", StandardCharsets.UTF_8);
        return http.send(HttpRequest.newBuilder(URI.create(registry.url() + "/oauth2/token")).timeout(Duration.ofSeconds(10))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form)).build(), HttpResponse.BodyHandlers.ofString());
    }
}
