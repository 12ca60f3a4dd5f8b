package org.myna.registry.common;

import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;
import org.myna.registry.support.MovableDns;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;

/** Readiness shows the data-residency check (platform ResidencyGuard): in the test profile every peer is loopback. */
@QuarkusTest
class ResidencyHealthTest {

    static final String CHECK = "checks.find { it.name == 'data-residency' }";

    @Test
    void readinessShowsTheResidencyCheck() {
        given().get("/q/health/ready").then().statusCode(200)
                .body("checks.name", hasItem("data-residency"))
                .body(CHECK + ".status", equalTo("UP"))
                .body(CHECK + ".data.loopbackAllowed", equalTo(true))
                .body(CHECK + ".data.jurisdiction", equalTo("JP"));
    }

    /** The peers are on localhost here; a DNS change that sends them abroad takes the registry out of readiness. */
    @Test
    void aPeerMovedOutsideByDnsTakesTheRegistryOutOfReadinessUntilItIsBack() {
        try {
            MovableDns.move("localhost", "203.0.113.9");
            given().get("/q/health/ready").then().statusCode(503)
                    .body(CHECK + ".status", equalTo("DOWN"))
                    .body(CHECK + ".data.outside", containsString("quarkus.rest-client.insurance.url"))
                    .body(CHECK + ".data.reason", containsString("203.0.113.9"));
        } finally {
            MovableDns.reset();
        }
        given().get("/q/health/ready").then().statusCode(200).body(CHECK + ".status", equalTo("UP"));
    }
}
