package org.myna.registry.auth;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.junit.jupiter.api.Test;
import org.myna.card.Card;
import org.myna.card.CardException;
import org.myna.registry.ca.Pems;
import org.myna.registry.support.CardFlow;

import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.OffsetDateTime;
import java.util.Base64;
import java.util.Date;
import java.util.HashMap;
import java.util.Map;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.hamcrest.Matchers.equalTo;

@QuarkusTest
class ResidentAuthTest {

    @Inject
    EntityManager em;

    @Test
    void logsInWithTheCardAndGetsAPairwiseSubject() {
        CardFlow.Issued holder = CardFlow.newHolder();
        Map<String, Object> registry = claims(CardFlow.login(holder.card(), "registry"));
        Map<String, Object> wallet = claims(CardFlow.login(holder.card(), "wallet"));
        assertThat(registry.get("aud").toString()).contains("registry");
        assertThat(registry.get("groups").toString()).contains("resident");
        assertThat(registry.get("sub")).isNotEqualTo(wallet.get("sub"));
        assertThat(registry.get("sub").toString()).doesNotContain(holder.number());
        assertThat(((Number) registry.get("exp")).longValue() - ((Number) registry.get("iat")).longValue()).isEqualTo(600);
        given().auth().oauth2(CardFlow.login(holder.card(), "registry")).get("/api/me").then().statusCode(200)
                .body("number", equalTo(holder.number()))
                // her card as the portal's record page shows it: status, suspended or not, last valid day
                .body("card", equalTo("active")).body("cardSuspended", equalTo(false))
                .body("cardExpiresOn", org.hamcrest.Matchers.matchesPattern("\\d{4}-\\d{2}-\\d{2}"));
    }

    @Test
    void operationTokenIsSingleUseBoundAndShort() {
        CardFlow.Issued holder = CardFlow.newHolder();
        Map<String, Object> op = claims(CardFlow.operationToken(holder.card(), "apply-points", "wallet"));
        assertThat(op.get("op")).isEqualTo("apply-points");
        assertThat(op.get("jti")).isNotNull();
        assertThat(op.get("groups").toString()).contains("operation").doesNotContain("resident");
        assertThat(((Number) op.get("exp")).longValue() - ((Number) op.get("iat")).longValue()).isEqualTo(60);
        String[] challenge = CardFlow.challenge();
        Map<String, Object> body = new HashMap<>(CardFlow.proof(holder.card(), challenge[0], CardFlow.sign(holder.card(), challenge[1]), "wallet"));
        body.put("operation", "steal-everything");
        given().contentType(ContentType.JSON).body(body).post("/api/auth/operation-tokens").then().statusCode(400)
                .body("code", equalTo("invalid-operation"));
    }

    @Test
    void refusesASignatureOverAnotherNonce() {
        CardFlow.Issued holder = CardFlow.newHolder();
        String linkCode = linkCode(holder);
        String[] first = CardFlow.challenge();
        String[] second = CardFlow.challenge();
        Response r = post(CardFlow.proof(holder.card(), first[0], CardFlow.sign(holder.card(), second[1]), "registry"));
        refused(r, 401, "signature-invalid", linkCode);
    }

    @Test
    void refusesUnknownUsedAndExpiredChallenges() {
        CardFlow.Issued holder = CardFlow.newHolder();
        String linkCode = linkCode(holder);
        refused(post(CardFlow.proof(holder.card(), "no-such-challenge", CardFlow.sign(holder.card(), CardFlow.b64(new byte[32])), "registry")),
                401, "challenge-unknown", linkCode);

        String[] challenge = CardFlow.challenge();
        Map<String, Object> proof = CardFlow.proof(holder.card(), challenge[0], CardFlow.sign(holder.card(), challenge[1]), "registry");
        post(proof).then().statusCode(200);
        refused(post(proof), 401, "challenge-used", linkCode);

        String[] stale = CardFlow.challenge();
        QuarkusTransaction.requiringNew().run(() -> em.createQuery("update AuthChallenge c set c.expiresAt = :t where c.id = :id")
                .setParameter("t", OffsetDateTime.now().minusMinutes(3)).setParameter("id", stale[0]).executeUpdate());
        refused(post(CardFlow.proof(holder.card(), stale[0], CardFlow.sign(holder.card(), stale[1]), "registry")), 401, "challenge-expired", linkCode);
    }

    @Test
    void refusesACertificateFromAForeignCa() throws Exception {
        CardFlow.Issued holder = CardFlow.newHolder();
        X509Certificate genuine = holder.card().authCertificate().orElseThrow();
        KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
        generator.initialize(new ECGenParameterSpec("secp256r1"));
        KeyPair rogue = generator.generateKeyPair();
        // same issuer name, same serial, same subject and key as the genuine one; only the signer differs
        X509Certificate forged = new JcaX509CertificateConverter().getCertificate(new JcaX509v3CertificateBuilder(
                X500Name.getInstance(genuine.getIssuerX500Principal().getEncoded()), genuine.getSerialNumber(),
                new Date(System.currentTimeMillis() - 60_000), new Date(System.currentTimeMillis() + 86_400_000L),
                X500Name.getInstance(genuine.getSubjectX500Principal().getEncoded()), holder.card().authPublicKey())
                .build(new JcaContentSignerBuilder("SHA256withECDSA").build(rogue.getPrivate())));
        // The genuine certificate's chain is verified (and remembered) first: that must not vouch for the forgery.
        String linkCode = linkCode(holder);
        String[] challenge = CardFlow.challenge();
        Map<String, Object> body = new HashMap<>(CardFlow.proof(holder.card(), challenge[0], CardFlow.sign(holder.card(), challenge[1]), "registry"));
        body.put("certificate", Pems.write(forged));
        refused(post(body), 401, "certificate-untrusted", linkCode);
        // and a certificate that is not one at all
        body.put("certificate", "-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n");
        refused(post(body), 400, "certificate-malformed", linkCode(holder));
        given().contentType(ContentType.JSON).body(Map.of("certificate", Pems.write(forged)))
                .auth().oauth2(org.myna.registry.support.Tokens.of("wallet-service"))
                .post("/api/certificates/holder-link").then().statusCode(200).body("status", equalTo("unknown"))
                .body("linkCode", org.hamcrest.Matchers.nullValue());
    }

    @Test
    void revokedSuspendedOrUnactivatedCardsCannotAuthenticate() {
        CardFlow.Issued holder = CardFlow.newHolder();
        String linkCode = linkCode(holder);
        String token = CardFlow.login(holder.card(), "registry");

        given().auth().oauth2(token).post("/api/me/card/suspension").then().statusCode(200);
        refused(CardFlow.tokenResponse(holder.card(), "registry"), 401, "card-suspended", linkCode);
        given().get("/api/certificates/" + holder.authSerial() + "/status").then().body("status", equalTo("suspended"));
        given().contentType(ContentType.JSON).body(Map.of("certificate", holder.authCertificate()))
                .auth().oauth2(org.myna.registry.support.Tokens.of("insurance-service"))
                .post("/api/certificates/holder-link").then().statusCode(200).body("status", equalTo("suspended"))
                .body("linkCode", org.hamcrest.Matchers.nullValue());
        // the suspended card's own token cannot lift the suspension: a clerk does, at the counter
        given().auth().oauth2(token).get("/api/me").then().statusCode(401).body("code", equalTo("card-suspended"));
        given().auth().oauth2(org.myna.registry.support.Tokens.clerk()).post("/api/cards/" + holder.cardId() + "/resumption")
                .then().statusCode(200);
        CardFlow.login(holder.card(), "registry");

        CardFlow.revoke(holder.cardId(), "lost");
        refused(CardFlow.tokenResponse(holder.card(), "registry"), 401, "certificate-revoked", linkCode);
        refused(CardFlow.tokenResponse(holder.card(), "wallet"), 401, "certificate-revoked", linkCode);

        CardFlow.Issued notActive = CardFlow.issuedCardFor(holder.number());
        refused(CardFlow.tokenResponse(notActive.card(), "registry"), 401, "card-not-active", linkCode);
    }

    @Test
    void expiredCertificateCannotAuthenticate() {
        CardFlow.Issued holder = CardFlow.newHolder();
        QuarkusTransaction.requiringNew().run(() -> em.createQuery("update CardCertificate c set c.notAfter = :t where c.serial = :s")
                .setParameter("t", OffsetDateTime.now().minusDays(1)).setParameter("s", holder.authSerial()).executeUpdate());
        refused(CardFlow.tokenResponse(holder.card(), "registry"), 401, "certificate-expired", null);
        given().get("/api/certificates/" + holder.authSerial() + "/status").then().body("status", equalTo("expired"));
    }

    @Test
    void aLockedPinCardCannotAuthenticate() {
        CardFlow.Issued holder = CardFlow.newHolder();
        for (int i = 0; i < 3; i++) {
            assertThatThrownBy(() -> holder.card().signWithAuthKey("9999", new byte[32]))
                    .isInstanceOf(CardException.class);
        }
        assertThat(holder.card().authLocked()).isTrue();
        String[] challenge = CardFlow.challenge();
        assertThatThrownBy(() -> holder.card().signWithAuthKey(CardFlow.PIN, Base64.getUrlDecoder().decode(challenge[1])))
                .isInstanceOf(CardException.class)
                .satisfies(e -> assertThat(((CardException) e).code()).isEqualTo("auth-locked"));
    }

    @Test
    void holderLinkAnswersTheCallersAudienceOnly() {
        CardFlow.Issued holder = CardFlow.newHolder();
        String walletSub = (String) claims(CardFlow.login(holder.card(), "wallet")).get("sub");
        String insuranceSub = (String) claims(CardFlow.login(holder.card(), "insurance")).get("sub");
        given().contentType(ContentType.JSON).body(Map.of("certificate", holder.authCertificate()))
                .auth().oauth2(org.myna.registry.support.Tokens.of("wallet-service"))
                .post("/api/certificates/holder-link").then().statusCode(200)
                .body("status", equalTo("good")).body("linkCode", equalTo(walletSub));
        given().contentType(ContentType.JSON).body(Map.of("certificate", holder.authCertificate()))
                .auth().oauth2(org.myna.registry.support.Tokens.of("insurance-service"))
                .post("/api/certificates/holder-link").then().statusCode(200).body("linkCode", equalTo(insuranceSub));
        given().contentType(ContentType.JSON).body(Map.of("certificate", holder.authCertificate()))
                .auth().oauth2(org.myna.registry.support.Tokens.clerk())
                .post("/api/certificates/holder-link").then().statusCode(403);
        given().contentType(ContentType.JSON).body(Map.of("certificate", holder.signCertificate()))
                .auth().oauth2(org.myna.registry.support.Tokens.of("wallet-service"))
                .post("/api/certificates/holder-link").then().statusCode(422);
    }

    @Test
    void holderLinkIssuesOneCodeAndLogsEveryExchange() {
        CardFlow.Issued holder = CardFlow.newHolder();
        // No login to the insurance service yet: the first holder-link creates the code, the second reads it.
        String first = given().contentType(ContentType.JSON).body(Map.of("certificate", holder.authCertificate()))
                .auth().oauth2(org.myna.registry.support.Tokens.of("insurance-service"))
                .post("/api/certificates/holder-link").then().statusCode(200).body("status", equalTo("good"))
                .extract().path("linkCode");
        given().contentType(ContentType.JSON).body(Map.of("certificate", holder.authCertificate()))
                .auth().oauth2(org.myna.registry.support.Tokens.of("insurance-service"))
                .post("/api/certificates/holder-link").then().statusCode(200).body("linkCode", equalTo(first));
        assertThat(claims(CardFlow.login(holder.card(), "insurance")).get("sub")).isEqualTo(first);
        given().auth().oauth2(CardFlow.login(holder.card(), "registry")).get("/api/me/access-log").then().statusCode(200)
                .body("findAll { it.purpose == 'certificate-holder-link:insurance' }.size()", equalTo(2));
    }

    // ------------------------------------------------------------------ helpers

    static Response post(Map<String, Object> body) {
        return given().contentType(ContentType.JSON).body(body).post("/api/auth/tokens");
    }

    /** A failed login: the precise code, and nothing in the body that could act as a token or identify the holder. */
    static void refused(Response response, int status, String code, String linkCode) {
        response.then().statusCode(status).body("code", equalTo(code));
        String body = response.asString();
        assertThat(body).doesNotContain("access_token").doesNotContain("eyJ");
        if (linkCode != null) {
            assertThat(body).doesNotContain(linkCode);
        }
    }

    static String linkCode(CardFlow.Issued holder) {
        return (String) claims(CardFlow.login(holder.card(), "registry")).get("sub");
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> claims(String jwt) {
        String payload = new String(Base64.getUrlDecoder().decode(jwt.split("\\.")[1]), StandardCharsets.UTF_8);
        return io.restassured.path.json.JsonPath.from(payload).getMap("");
    }

}
