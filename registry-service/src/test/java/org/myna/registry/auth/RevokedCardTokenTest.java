package org.myna.registry.auth;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import io.smallrye.jwt.build.Jwt;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;
import org.myna.platform.testkit.Problems;
import org.myna.registry.support.CardFlow;
import org.myna.registry.support.Tokens;

import java.util.Map;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

/**
 * DESIGN §6.7: a token obtained with a card before that card was revoked or suspended must not keep working for the
 * rest of its lifetime. Every resident endpoint, resident and operation tokens alike.
 */
@QuarkusTest
class RevokedCardTokenTest {

    static final String REGISTER_ACCOUNT = "register-public-fund-account";

    @Inject
    SigningKeys keys;

    static void refused(Response response, String code) {
        Problems.assertTokenRefused(response, code);
    }

    static Map<String, Object> account() {
        return Map.of("bankCode", "0001", "branchCode", "123", "accountType", "ordinary",
                "accountNumber", String.valueOf(ThreadLocalRandom.current().nextInt(1_000_000, 9_999_999)), "holderKana", "ヤマダハナコ");
    }

    @Test
    void aRevokedCardsEarlierTokenIsRefusedAtEveryResidentEndpoint() {
        CardFlow.Issued holder = CardFlow.newHolder();
        String token = CardFlow.login(holder.card(), "registry");
        given().auth().oauth2(token).get("/api/me").then().statusCode(200);

        CardFlow.revoke(holder.cardId(), "lost");

        refused(given().auth().oauth2(token).get("/api/me"), "card-revoked");
        refused(given().auth().oauth2(token).get("/api/me/access-log"), "card-revoked");
        refused(given().auth().oauth2(token).get("/api/me/public-fund-account"), "card-revoked");
        refused(given().auth().oauth2(token).post("/api/me/card/suspension"), "card-revoked");
    }

    @Test
    void aSuspendedCardsEarlierTokenIsRefusedUntilAClerkResumesIt() {
        CardFlow.Issued holder = CardFlow.newHolder();
        String token = CardFlow.login(holder.card(), "registry");
        String opBefore = CardFlow.operationToken(holder.card(), REGISTER_ACCOUNT, "registry");

        given().auth().oauth2(token).post("/api/me/card/suspension").then().statusCode(200);

        refused(given().auth().oauth2(token).get("/api/me"), "card-suspended");
        refused(given().auth().oauth2(token).post("/api/me/card/suspension"), "card-suspended");
        refused(given().auth().oauth2(opBefore).contentType(ContentType.JSON).body(account())
                .put("/api/me/public-fund-account"), "card-suspended");
        // there is no online resumption (the suspended card's tokens are void); a clerk lifts it at the counter
        given().auth().oauth2(token).delete("/api/me/card/suspension").then().statusCode(405);
        given().auth().oauth2(Tokens.clerk()).post("/api/cards/" + holder.cardId() + "/resumption")
                .then().statusCode(200).body("suspended", equalTo(false));

        given().auth().oauth2(token).get("/api/me").then().statusCode(200).body("number", equalTo(holder.number()));
        given().auth().oauth2(CardFlow.login(holder.card(), "registry")).get("/api/me").then().statusCode(200);
    }

    @Test
    void anOperationTokenMintedBeforeRevocationIsRefusedAfterIt() {
        CardFlow.Issued holder = CardFlow.newHolder();
        String op = CardFlow.operationToken(holder.card(), REGISTER_ACCOUNT, "registry");

        CardFlow.revoke(holder.cardId(), "lost");

        refused(given().auth().oauth2(op).contentType(ContentType.JSON).body(account()).put("/api/me/public-fund-account"), "card-revoked");
        // and nothing was registered
        CardFlow.Issued renewed = CardFlow.activeCardFor(holder.number());
        given().auth().oauth2(CardFlow.login(renewed.card(), "registry")).get("/api/me/public-fund-account")
                .then().statusCode(404);
    }

    @Test
    void aNewCardsTokensWorkWhileTheSupersededCardsAreRefused() {
        CardFlow.Issued holder = CardFlow.newHolder();
        String oldToken = CardFlow.login(holder.card(), "registry");
        String oldOp = CardFlow.operationToken(holder.card(), REGISTER_ACCOUNT, "registry");

        CardFlow.Issued renewed = CardFlow.activeCardFor(holder.number());

        refused(given().auth().oauth2(oldToken).get("/api/me"), "card-revoked");
        refused(given().auth().oauth2(oldOp).contentType(ContentType.JSON).body(account()).put("/api/me/public-fund-account"), "card-revoked");
        String newToken = CardFlow.login(renewed.card(), "registry");
        given().auth().oauth2(newToken).get("/api/me").then().statusCode(200).body("number", equalTo(holder.number()));
        given().auth().oauth2(CardFlow.operationToken(renewed.card(), REGISTER_ACCOUNT, "registry")).contentType(ContentType.JSON)
                .body(account()).put("/api/me/public-fund-account").then().statusCode(200);
    }

    @Test
    void aResidentTokenThatNamesNoCardIsRefused() {
        CardFlow.Issued holder = CardFlow.newHolder();
        String subject = (String) ResidentAuthTest.claims(CardFlow.login(holder.card(), "registry")).get("sub");
        String cardless = Jwt.issuer("https://registry.myna.local").subject(subject).audience(Set.of("registry"))
                .groups(Set.of(Roles.RESIDENT)).expiresIn(300).jws().keyId(keys.keyId()).sign(keys.privateKey());
        refused(given().auth().oauth2(cardless).get("/api/me"), "card-unknown");
        String otherCard = Jwt.issuer("https://registry.myna.local").subject(subject).audience(Set.of("registry"))
                .groups(Set.of(Roles.RESIDENT)).claim(CardRefs.CLAIM, "0123abc").expiresIn(300)
                .jws().keyId(keys.keyId()).sign(keys.privateKey());
        refused(given().auth().oauth2(otherCard).get("/api/me"), "card-unknown");
    }

    @Test
    void theCardClaimIsPairwiseAndNeverTheNumber() {
        CardFlow.Issued holder = CardFlow.newHolder();
        Object registry = ResidentAuthTest.claims(CardFlow.login(holder.card(), "registry")).get(CardRefs.CLAIM);
        Object wallet = ResidentAuthTest.claims(CardFlow.login(holder.card(), "wallet")).get(CardRefs.CLAIM);
        Object insurance = ResidentAuthTest.claims(CardFlow.login(holder.card(), "insurance")).get(CardRefs.CLAIM);
        Object walletOp = ResidentAuthTest.claims(CardFlow.operationToken(holder.card(), "apply-points", "wallet")).get(CardRefs.CLAIM);
        assertThat(registry).isEqualTo(holder.authSerial());
        assertThat(wallet).isEqualTo(walletOp).isNotEqualTo(insurance).isNotEqualTo(registry);
        assertThat(wallet.toString()).doesNotContain(holder.number()).doesNotContain(holder.authSerial());
    }
}
