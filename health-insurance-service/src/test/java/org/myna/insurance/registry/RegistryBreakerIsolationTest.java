package org.myna.insurance.registry;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.http.Fault;
import com.github.tomakehurst.wiremock.stubbing.StubMapping;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import org.junit.jupiter.api.Test;
import org.myna.insurance.support.Fixtures;
import org.myna.insurance.support.InjectRegistryMock;
import org.myna.insurance.support.RegistryMock;
import org.myna.insurance.support.Tokens;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;

/**
 * Failing page calls (bulk enrolment, reconciliation) must not open the circuit breaker that clinics' card checks and
 * single enrolments depend on: an insurer's batch job against a struggling registry may not take the clinics down.
 * Both breakers open after 4 calls here (the other tests keep them closed), so one breaker shared by both kinds of
 * call would refuse the single enrolment below.
 */
@QuarkusTest
@TestProfile(RegistryBreakerIsolationTest.Breakers.class)
@QuarkusTestResource(RegistryMock.class)
class RegistryBreakerIsolationTest {

    public static class Breakers implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            Map<String, String> config = new HashMap<>(Map.of(
                    "org.myna.insurance.registry.RegistryBulkCalls/CircuitBreaker/requestVolumeThreshold", "4",
                    "org.myna.insurance.registry.RegistryCalls/CircuitBreaker/requestVolumeThreshold", "4"));
            if (!"postgresql".equals(System.getProperty("quarkus.datasource.db-kind"))) {
                // An in-memory H2 database of its own: the one the other tests leave behind, reopened by this second
                // start of the application in the same JVM, refused inserts ("check constraint invalid").
                config.put("quarkus.datasource.jdbc.url",
                        "jdbc:h2:mem:insurance-breakers;DB_CLOSE_DELAY=-1;MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH");
            }
            return config;
        }
    }

    @InjectRegistryMock
    WireMockServer registry;

    @Test
    void failingPagesOpenTheirOwnBreakerAndLeaveClinicCallsWorking() {
        String client = Fixtures.newClient();
        String insurer = Fixtures.insurer(client);
        StubMapping down = registry.stubFor(post(urlEqualTo("/api/insurance-links/batch")).atPriority(1)
                .willReturn(aResponse().withFault(Fault.CONNECTION_RESET_BY_PEER)));
        try {
            for (int page = 0; page < 4; page++) {
                Map<String, Object> member = Fixtures.member("山田", "花子");
                member.put("individualNumber", Fixtures.individualNumber());
                member.put("address", Fixtures.address());
                given().auth().oauth2(Tokens.insurer(client)).contentType(ContentType.JSON).body(Map.of("members", List.of(member)))
                        .post("/api/insurers/" + insurer + "/members/batch").then()
                        .statusCode(503).body("code", equalTo("registry-unavailable"));
            }
            // The page breaker is open now: the next page is refused without asking the registry.
            int asked = registry.countRequestsMatching(postRequestedFor(urlEqualTo("/api/insurance-links/batch")).build()).getCount();
            Map<String, Object> another = Fixtures.member("山田", "次郎");
            another.put("individualNumber", Fixtures.individualNumber());
            another.put("address", Fixtures.address());
            given().auth().oauth2(Tokens.insurer(client)).contentType(ContentType.JSON).body(Map.of("members", List.of(another)))
                    .post("/api/insurers/" + insurer + "/members/batch").then().statusCode(503);
            org.assertj.core.api.Assertions.assertThat(registry.countRequestsMatching(
                    postRequestedFor(urlEqualTo("/api/insurance-links/batch")).build()).getCount()).isEqualTo(asked);

            // The clinics' breaker is still closed: a single enrolment reaches the registry and is linked.
            String number = Fixtures.individualNumber();
            Fixtures.registryLinks(registry, number);
            Map<String, Object> single = Fixtures.member("山田", "三郎");
            single.put("individualNumber", number);
            single.put("address", Fixtures.address());
            given().auth().oauth2(Tokens.insurer(client)).contentType(ContentType.JSON).body(single)
                    .post("/api/insurers/" + insurer + "/members").then()
                    .statusCode(201).body("link.status", equalTo("linked"));
        } finally {
            registry.removeStub(down);
        }
    }
}
