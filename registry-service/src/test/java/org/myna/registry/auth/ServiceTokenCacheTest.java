package org.myna.registry.auth;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.smallrye.jwt.build.Jwt;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;
import org.myna.registry.ca.Pems;
import org.myna.registry.support.CardFlow;
import org.myna.registry.support.Tokens;

import java.nio.charset.StandardCharsets;
import java.security.KeyPairGenerator;
import java.security.Signature;
import java.time.Instant;
import java.util.Base64;
import java.util.Map;
import java.util.Set;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;

/**
 * The registry remembers verified bearer tokens and verified certificate chains; neither may let through what full
 * verification would refuse: a token with another signature or payload, an expired token, a certificate whose card
 * was revoked or suspended after its chain was remembered.
 */
@QuarkusTest
class ServiceTokenCacheTest {

    @Inject
    SigningKeys keys;

    static io.restassured.response.ValidatableResponse holderLink(String token, String certificate) {
        return given().contentType(ContentType.JSON).body(Map.of("certificate", certificate))
                .auth().oauth2(token).post("/api/certificates/holder-link").then();
    }

    @Test
    void aRememberedTokenDoesNotVouchForAnAlteredOne() throws Exception {
        CardFlow.Issued holder = CardFlow.newHolder();
        String token = Tokens.of("insurance-service");
        holderLink(token, holder.authCertificate()).statusCode(200).body("status", equalTo("good"));
        holderLink(token, holder.authCertificate()).statusCode(200); // now answered from the cache
        String[] parts = token.split("\\.");
        // the same header and payload signed by another key
        var rogue = KeyPairGenerator.getInstance("RSA");
        rogue.initialize(2048);
        Signature signer = Signature.getInstance("SHA256withRSA");
        signer.initSign(rogue.generateKeyPair().getPrivate());
        signer.update((parts[0] + "." + parts[1]).getBytes(StandardCharsets.US_ASCII));
        String forged = parts[0] + "." + parts[1] + "." + Base64.getUrlEncoder().withoutPadding().encodeToString(signer.sign());
        holderLink(forged, holder.authCertificate()).statusCode(401);
        // another payload (the wallet's audience) under the genuine signature
        String payload = new String(Base64.getUrlDecoder().decode(parts[1]), StandardCharsets.UTF_8)
                .replace("insurance-service", "wallet-service");
        String swapped = parts[0] + "." + Base64.getUrlEncoder().withoutPadding()
                .encodeToString(payload.getBytes(StandardCharsets.UTF_8)) + "." + parts[2];
        holderLink(swapped, holder.authCertificate()).statusCode(401);
        holderLink(token, holder.authCertificate()).statusCode(200);
    }

    @Test
    void anExpiredTokenIsRefused() {
        CardFlow.Issued holder = CardFlow.newHolder();
        long now = Instant.now().getEpochSecond();
        String expired = Jwt.issuer("https://registry.myna.local").subject("insurance-service").audience(Set.of("registry"))
                .groups(Set.of(Roles.SERVICE)).issuedAt(now - 3600).expiresAt(now - 600)
                .jws().keyId(keys.keyId()).sign(keys.privateKey());
        holderLink(expired, holder.authCertificate()).statusCode(401);
        holderLink(expired, holder.authCertificate()).statusCode(401);
        // the same claims, still valid: accepted, which shows that only the expiry made the difference
        String valid = Jwt.issuer("https://registry.myna.local").subject("insurance-service").audience(Set.of("registry"))
                .groups(Set.of(Roles.SERVICE)).issuedAt(now).expiresAt(now + 300)
                .jws().keyId(keys.keyId()).sign(keys.privateKey());
        holderLink(valid, holder.authCertificate()).statusCode(200).body("status", equalTo("good"));
    }

    @Test
    void aRememberedChainDoesNotOutliveSuspensionOrRevocation() {
        CardFlow.Issued holder = CardFlow.newHolder();
        String service = Tokens.of("insurance-service");
        // login and holder-link both verify the chain: it is remembered from here on
        String resident = CardFlow.login(holder.card(), "registry");
        holderLink(service, holder.authCertificate()).statusCode(200).body("status", equalTo("good"));

        given().auth().oauth2(resident).post("/api/me/card/suspension").then().statusCode(200);
        holderLink(service, holder.authCertificate()).statusCode(200).body("status", equalTo("suspended"))
                .body("linkCode", org.hamcrest.Matchers.nullValue());
        ResidentAuthTest.refused(CardFlow.tokenResponse(holder.card(), "registry"), 401, "card-suspended", null);
        // a suspended card's tokens are void: a clerk lifts the suspension at the counter
        given().auth().oauth2(Tokens.clerk()).post("/api/cards/" + holder.cardId() + "/resumption")
                .then().statusCode(200).body("suspended", equalTo(false));
        holderLink(service, holder.authCertificate()).statusCode(200).body("status", equalTo("good"));

        CardFlow.revoke(holder.cardId(), "lost");
        holderLink(service, holder.authCertificate()).statusCode(200).body("status", equalTo("revoked"))
                .body("linkCode", org.hamcrest.Matchers.nullValue());
        ResidentAuthTest.refused(CardFlow.tokenResponse(holder.card(), "registry"), 401, "certificate-revoked", null);
    }
}
