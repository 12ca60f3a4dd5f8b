package org.myna.registry.common;

import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;

/** Readiness shows the data-residency check (platform ResidencyGuard): in the test profile every peer is loopback. */
@QuarkusTest
class ResidencyHealthTest {

    @Test
    void readinessShowsTheResidencyCheck() {
        given().get("/q/health/ready").then().statusCode(200)
                .body("checks.name", hasItem("data-residency"))
                .body("checks.find { it.name == 'data-residency' }.status", equalTo("UP"))
                .body("checks.find { it.name == 'data-residency' }.data.loopbackAllowed", equalTo(true))
                .body("checks.find { it.name == 'data-residency' }.data.jurisdiction", equalTo("JP"));
    }
}
