package org.myna.registry.card;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import org.junit.jupiter.api.Test;
import org.myna.registry.support.CardFlow;
import org.myna.registry.support.Tokens;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;

/** The fail-closed fallback: a service asks what a token's card is worth now, naming it as it knows it. */
@QuarkusTest
class CardStandingResourceTest {

    static JsonPath claims(String token) {
        return JsonPath.from(new String(Base64.getUrlDecoder().decode(token.split("\\.")[1]), StandardCharsets.UTF_8));
    }

    static io.restassured.response.ValidatableResponse ask(String client, String linkCode, String cardRef) {
        return given().auth().oauth2(Tokens.of(client)).contentType(ContentType.JSON)
                .body(Map.of("linkCode", linkCode, "cardRef", cardRef)).post("/api/card-standings/lookup").then();
    }

    @Test
    void aServiceLearnsWhatTheCardOfItsTokenIsWorthNow() {
        CardFlow.Issued holder = CardFlow.newHolder();
        JsonPath wallet = claims(CardFlow.login(holder.card(), "wallet"));
        String code = wallet.getString("sub");
        String card = wallet.getString("card");
        ask("wallet-service", code, card).statusCode(200).body("standing", equalTo("good"));

        CardFlow.revoke(holder.cardId(), "lost");
        ask("wallet-service", code, card).statusCode(200).body("standing", equalTo("card-revoked"));
    }

    @Test
    void anotherServicesCodesAndUnknownCardsAreNotGood() {
        CardFlow.Issued holder = CardFlow.newHolder();
        JsonPath wallet = claims(CardFlow.login(holder.card(), "wallet"));
        // The insurance service cannot use the wallet's pseudonyms: it learns nothing about them.
        ask("insurance-service", wallet.getString("sub"), wallet.getString("card")).statusCode(200).body("standing", equalTo("card-unknown"));
        ask("wallet-service", wallet.getString("sub"), "not-this-card").statusCode(200).body("standing", equalTo("card-unknown"));
        ask("wallet-service", "no-such-code", wallet.getString("card")).statusCode(200).body("standing", equalTo("card-unknown"));
    }

    @Test
    void onlyServicesThatReceiveCardEventsMayAsk() {
        given().auth().oauth2(Tokens.of("demo-facility")).contentType(ContentType.JSON)
                .body(Map.of("linkCode", "x", "cardRef", "y")).post("/api/card-standings/lookup").then().statusCode(403);
        given().contentType(ContentType.JSON).body(Map.of("linkCode", "x", "cardRef", "y"))
                .post("/api/card-standings/lookup").then().statusCode(401);
        given().auth().oauth2(Tokens.of("wallet-service")).contentType(ContentType.JSON).body(Map.of("cardRef", "y"))
                .post("/api/card-standings/lookup").then().statusCode(400);
    }
}
