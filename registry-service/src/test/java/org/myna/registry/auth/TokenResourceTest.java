package org.myna.registry.auth;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.smallrye.jwt.build.Jwt;
import org.junit.jupiter.api.Test;
import org.myna.registry.support.Tokens;

import java.nio.file.Path;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.util.Set;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasKey;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.startsWith;

@QuarkusTest
class TokenResourceTest {

    @Test
    void issuesAFiveMinuteBearerTokenForClientCredentials() {
        given().formParam("grant_type", "client_credentials")
                .formParam("client_id", "demo-clerk").formParam("client_secret", "demo-clerk-secret")
                .post("/oauth2/token")
                .then().statusCode(200)
                .body("token_type", equalTo("Bearer"))
                .body("expires_in", equalTo(300))
                .body("access_token", notNullValue());
    }

    /** Issue 19 part 3: a malformed percent escape was a 500 that logged the client secret with a stack trace. */
    @Test
    void aFormBodyWithAMalformedEscapeIsA400AndTheSecretStaysOutOfTheLog() throws Exception {
        String secret = "s3cret-" + java.util.UUID.randomUUID();
        String answer = given().contentType("application/x-www-form-urlencoded")
                .body("grant_type=client_credentials&client_id=demo-clerk&client_secret=" + secret + "%zz")
                .post("/oauth2/token")
                .then().statusCode(400).contentType(startsWith("application/problem+json"))
                .body("code", equalTo("malformed-form-body")).extract().asString();
        org.assertj.core.api.Assertions.assertThat(answer).doesNotContain(secret);
        String log = java.nio.file.Files.readString(Path.of("target/registry-test.log"));
        org.assertj.core.api.Assertions.assertThat(log).doesNotContain(secret);
    }

    @Test
    void acceptsHttpBasicClientAuthentication() {
        given().auth().preemptive().basic("demo-auditor", "demo-auditor-secret")
                .formParam("grant_type", "client_credentials")
                .post("/oauth2/token")
                .then().statusCode(200).body("access_token", notNullValue());
    }

    @Test
    void wrongSecretAndUnknownClientAreIndistinguishable() {
        String wrongSecret = given().formParam("grant_type", "client_credentials")
                .formParam("client_id", "demo-clerk").formParam("client_secret", "nope")
                .post("/oauth2/token")
                .then().statusCode(401).contentType("application/problem+json")
                .body("code", equalTo("invalid-client"))
                .body("$", not(hasKey("access_token")))
                .extract().asString();
        String unknown = given().formParam("grant_type", "client_credentials")
                .formParam("client_id", "no-such-client").formParam("client_secret", "nope")
                .post("/oauth2/token")
                .then().statusCode(401).contentType("application/problem+json")
                .extract().asString();
        org.assertj.core.api.Assertions.assertThat(unknown).isEqualTo(wrongSecret);
    }

    @Test
    void refusesOtherGrantTypes() {
        given().formParam("grant_type", "password").formParam("client_id", "demo-clerk")
                .formParam("client_secret", "demo-clerk-secret")
                .post("/oauth2/token")
                .then().statusCode(400).contentType("application/problem+json")
                .body("code", equalTo("unsupported-grant-type"));
    }

    @Test
    void publishesTheVerificationKeyAsJwks() {
        given().get("/.well-known/jwks.json")
                .then().statusCode(200)
                .body("keys[0].kty", equalTo("RSA"))
                .body("keys[0].alg", equalTo("RS256"))
                .body("keys[0]", not(hasKey("d")));
    }

    @Test
    void refusesAMissingOrGarbageToken() {
        given().get("/api/stats").then().statusCode(401);
        given().auth().oauth2("not-a-jwt").get("/api/stats")
                .then().statusCode(401).contentType(startsWith("application/problem+json"));
    }

    @Test
    void refusesAnExpiredToken() throws Exception {
        PrivateKey key = SigningKeys.read(Path.of("target/test-keys/token-signing-key.pem"));
        String expired = Jwt.issuer("https://registry.myna.local").subject("demo-auditor")
                .audience(Set.of("registry")).groups(Set.of("auditor"))
                .issuedAt(System.currentTimeMillis() / 1000 - 3600)
                .expiresAt(System.currentTimeMillis() / 1000 - 1800).sign(key);
        given().auth().oauth2(expired).get("/api/stats")
                .then().statusCode(401).contentType(startsWith("application/problem+json"));
    }

    @Test
    void refusesAForeignSignedToken() throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
        generator.initialize(2048);
        String forged = Jwt.issuer("https://registry.myna.local").subject("demo-auditor")
                .audience(Set.of("registry")).groups(Set.of("auditor"))
                .expiresIn(300).sign(generator.generateKeyPair().getPrivate());
        given().auth().oauth2(forged).get("/api/stats")
                .then().statusCode(401).contentType(startsWith("application/problem+json"));
    }

    @Test
    void refusesATokenForAnotherAudience() throws Exception {
        PrivateKey key = SigningKeys.read(Path.of("target/test-keys/token-signing-key.pem"));
        String walletOnly = Jwt.issuer("https://registry.myna.local").subject("demo-auditor")
                .audience(Set.of("wallet")).groups(Set.of("auditor")).expiresIn(300).sign(key);
        given().auth().oauth2(walletOnly).get("/api/stats").then().statusCode(401);
    }

    @Test
    void wrongRoleIsForbiddenAsProblem() {
        given().auth().oauth2(Tokens.of("demo-facility")).get("/api/stats")
                .then().statusCode(403).contentType(startsWith("application/problem+json"));
        given().auth().oauth2(Tokens.clerk()).contentType(ContentType.JSON).body("{}")
                .get("/api/stats").then().statusCode(403);
    }
}
