package org.myna.registry.exchange;

import com.github.tomakehurst.wiremock.client.WireMock;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.smallrye.jwt.auth.principal.JWTParser;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;
import org.myna.registry.support.CardFlow;
import org.myna.registry.support.InsuranceWireMock;
import org.myna.registry.support.Tokens;

import java.util.Map;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;

@QuarkusTest
@QuarkusTestResource(InsuranceWireMock.class)
class ExchangeResourceTest {

    @Inject
    JWTParser parser;

    String linkCode(CardFlow.Issued holder, String audience) throws Exception {
        return parser.parseOnly(CardFlow.login(holder.card(), audience)).getSubject();
    }

    io.restassured.response.ValidatableResponse ask(String client, String linkCode, String question) {
        return given().auth().oauth2(Tokens.of(client)).contentType(ContentType.JSON)
                .body(Map.of("linkCode", linkCode, "question", question))
                .post("/api/exchange/eligibility").then();
    }

    @Test
    void answersCardAndPublicFundQuestionsFromTheRegistryItself() throws Exception {
        CardFlow.Issued holder = CardFlow.newHolder();
        String walletCode = linkCode(holder, "wallet");
        ask("wallet-service", walletCode, "card-active").statusCode(200).body("answer", equalTo(true));
        ask("wallet-service", walletCode, "public-fund-account").statusCode(200).body("answer", equalTo(false));
        CardFlow.revoke(holder.cardId(), "lost");
        ask("wallet-service", walletCode, "card-active").statusCode(200).body("answer", equalTo(false));
    }

    @Test
    void asksTheInsuranceServiceWithTheInsuranceLinkCodeNeverTheWalletOne() throws Exception {
        CardFlow.Issued holder = CardFlow.newHolder();
        String walletCode = linkCode(holder, "wallet");
        String insuranceCode = linkCode(holder, "insurance");
        InsuranceWireMock.server.stubFor(post("/api/links/lookup").withRequestBody(WireMock.matchingJsonPath("$.linkCode", WireMock.equalTo(insuranceCode)))
                .willReturn(aResponse().withHeader("Content-Type", "application/json").withBody("{\"linked\":true}")));
        ask("wallet-service", walletCode, "insurance-linked").statusCode(200).body("answer", equalTo(true));
        InsuranceWireMock.server.verify(postRequestedFor(urlPathMatching("/api/links/lookup")).withRequestBody(WireMock.matchingJsonPath("$.linkCode", WireMock.equalTo(insuranceCode)))
                .withHeader("Authorization", WireMock.matching("Bearer .+")));
        InsuranceWireMock.server.verify(0, postRequestedFor(urlPathMatching("/api/links/lookup")).withRequestBody(WireMock.matchingJsonPath("$.linkCode", WireMock.equalTo(walletCode))));
    }

    @Test
    void anUnreachableInsuranceServiceIsA503NeverANo() throws Exception {
        CardFlow.Issued holder = CardFlow.newHolder();
        String walletCode = linkCode(holder, "wallet");
        String insuranceCode = linkCode(holder, "insurance");
        InsuranceWireMock.server.stubFor(post("/api/links/lookup").withRequestBody(WireMock.matchingJsonPath("$.linkCode", WireMock.equalTo(insuranceCode))).willReturn(aResponse().withStatus(500)));
        ask("wallet-service", walletCode, "insurance-linked").statusCode(503)
                .contentType("application/problem+json").body("code", equalTo("insurance-unavailable"));
    }

    @Test
    void onlyTheWalletMayAskAndOnlyWithItsOwnCodes() throws Exception {
        CardFlow.Issued holder = CardFlow.newHolder();
        ask("insurance-service", linkCode(holder, "wallet"), "card-active").statusCode(403);
        ask("wallet-service", linkCode(holder, "insurance"), "card-active").statusCode(404)
                .body("code", equalTo("unknown-link-code"));
        ask("demo-clerk", linkCode(holder, "wallet"), "card-active").statusCode(403);
        ask("wallet-service", linkCode(holder, "wallet"), "favourite-colour").statusCode(400);
    }

    io.restassured.response.ValidatableResponse holderName(String client, String linkCode, String kana) {
        return given().auth().oauth2(Tokens.of(client)).contentType(ContentType.JSON)
                .body(Map.of("linkCode", linkCode, "holderKana", kana))
                .post("/api/exchange/holder-name").then();
    }

    @Test
    void tellsTheWalletWhetherAnAccountHoldersKanaIsTheResidentsAndNothingMore() throws Exception {
        CardFlow.Issued holder = CardFlow.newHolder(); // ヤマダ ハナコ
        String walletCode = linkCode(holder, "wallet");
        holderName("wallet-service", walletCode, "ヤマダハナコ").statusCode(200).body("matches", equalTo(true));
        holderName("wallet-service", walletCode, "やまだ　ﾊﾅｺ").statusCode(200).body("matches", equalTo(true));
        String answer = holderName("wallet-service", walletCode, "ヤマダタロウ").statusCode(200)
                .body("matches", equalTo(false)).extract().asString();
        org.assertj.core.api.Assertions.assertThat(answer).doesNotContain("ハナコ").doesNotContain("ヤマダ");
        holderName("insurance-service", walletCode, "ヤマダハナコ").statusCode(403);
        holderName("wallet-service", linkCode(holder, "insurance"), "ヤマダハナコ").statusCode(404);
    }
}
