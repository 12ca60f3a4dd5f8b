package org.myna.insurance.packaged;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusIntegrationTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import org.junit.jupiter.api.Test;
import org.myna.insurance.support.Fixtures;
import org.myna.insurance.support.Tokens;
import org.myna.platform.testkit.PackagedServiceContract;
import org.myna.platform.testkit.PackagedVerifyKey;

import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;

/** The packaged insurance service (platform {@link PackagedServiceContract}), with an insurer a facility reads. */
@QuarkusIntegrationTest
@WithTestResource(PackagedVerifyKey.class)
class PackagedInsuranceIT extends PackagedServiceContract {

    @Override
    protected List<Supplier<Response>> badRequests() {
        return List.of(() -> given().auth().oauth2(Tokens.insurer(Fixtures.newClient())).contentType(ContentType.JSON)
                .body(Map.of("insurerNumber", "0113001", "name", "x", "corporateNumber", "7000012050002")).post("/api/insurers"));
    }

    @Override
    protected String protectedPath() {
        return "/api/insurers/01130012";
    }

    @Test
    void anInsurerIsCreatedAndReadByAFacility() {
        String client = Fixtures.newClient();
        String number = Fixtures.insurer(client);
        given().auth().oauth2(Tokens.facility()).get("/api/insurers/" + number)
                .then().statusCode(200).body("name", equalTo("テスト健康保険組合"));
    }
}
