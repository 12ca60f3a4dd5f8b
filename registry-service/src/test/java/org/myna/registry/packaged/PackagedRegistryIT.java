package org.myna.registry.packaged;

import io.quarkus.test.junit.QuarkusIntegrationTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import org.junit.jupiter.api.Test;
import org.myna.platform.testkit.PackagedServiceContract;
import org.myna.registry.support.CardFlow;
import org.myna.registry.support.Residents;
import org.myna.registry.support.Tokens;

import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;

/**
 * The packaged registry (platform {@link PackagedServiceContract}), and what a native image breaks first here:
 * BouncyCastle's CSR checks and certificate issuance, EC signatures, RSA token signing, end to end.
 */
@QuarkusIntegrationTest
class PackagedRegistryIT extends PackagedServiceContract {

    @Override
    protected List<Supplier<Response>> badRequests() {
        Map<String, Object> badDate = Residents.sample();
        badDate.put("dateOfBirth", "not-a-date");
        return List.of(
                () -> given().auth().oauth2(Tokens.clerk()).contentType(ContentType.JSON).body("{\"familyName\":").post("/api/residents"),
                () -> given().auth().oauth2(Tokens.clerk()).contentType(ContentType.JSON).body(badDate).post("/api/residents"));
    }

    @Override
    protected String protectedPath() {
        return "/api/me";
    }

    @Test
    void publishesItsTokenKey() {
        given().get("/.well-known/jwks.json").then().statusCode(200).body("keys", hasSize(1)).body("keys[0].kty", equalTo("RSA"));
    }

    @Test
    void aCardIsIssuedByTheCaAndItsHolderLogsInWithIt() {
        CardFlow.Issued issued = CardFlow.newHolder();
        String token = CardFlow.login(issued.card(), "registry");
        given().auth().oauth2(token).get("/api/me").then().statusCode(200).body("number", equalTo(issued.number()));
        CardFlow.revoke(issued.cardId(), "lost");
        CardFlow.tokenResponse(issued.card(), "registry").then().statusCode(401).body("code", equalTo("certificate-revoked"));
    }
}
