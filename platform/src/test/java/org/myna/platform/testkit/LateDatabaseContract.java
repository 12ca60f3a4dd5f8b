package org.myna.platform.testkit;

import io.quarkus.test.junit.QuarkusTestProfile;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

/**
 * A service whose database answers only after the pool's acquisition timeout still starts: Flyway, the first to ask at
 * start, waits for it (bounded, {@code quarkus.flyway.connect-retries}) instead of failing the start, while the
 * run-time acquisition timeout stays as short as it was. A service's {@code @QuarkusTest} subclass runs it with its
 * own {@link Profile}; on the old configuration (no connect retries) Quarkus does not start and the test fails.
 */
public abstract class LateDatabaseContract {

    /** Points the service at a {@link LateDatabase}: a subclass names the environment variable of its PostgreSQL URL. */
    public abstract static class Profile implements QuarkusTestProfile {

        protected abstract String urlEnv();

        @Override
        public List<TestResourceEntry> testResources() {
            return List.of(new TestResourceEntry(LateDatabase.class, Map.of("url-env", urlEnv())));
        }
    }

    @Test
    void aDatabaseThatAnswersAfterTheAcquisitionTimeoutIsWaitedForAtStart() {
        assertThat(System.getProperty(LateDatabase.HELD)).as("the proxy held the start's first connections back").isNotNull();
        given().get("/q/health/ready").then().statusCode(200).body("status", equalTo("UP"));
    }
}
