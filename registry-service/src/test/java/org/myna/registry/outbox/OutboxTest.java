package org.myna.registry.outbox;

import com.github.tomakehurst.wiremock.client.WireMock;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.smallrye.jwt.auth.principal.JWTParser;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;
import org.myna.registry.support.CardFlow;
import org.myna.registry.support.InsuranceWireMock;
import org.myna.registry.support.Tokens;

import java.util.List;
import java.util.Map;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.hasItem;

@QuarkusTest
@QuarkusTestResource(InsuranceWireMock.class)
class OutboxTest {

    @Inject
    OutboxDispatcher dispatcher;

    @Inject
    JWTParser parser;

    @Inject
    org.myna.registry.resident.ResidentService residents;

    String code(CardFlow.Issued holder, String audience) throws Exception {
        return parser.parseOnly(CardFlow.login(holder.card(), audience)).getSubject();
    }

    void rename(String number, String family) {
        given().auth().oauth2(Tokens.clerk()).contentType(ContentType.JSON).body(Map.of("number", number, "familyName", family))
                .post("/api/residents/changes").then().statusCode(200);
    }

    List<LoggedRequest> eventsFor(String linkCode) {
        return InsuranceWireMock.server.findAll(postRequestedFor(urlEqualTo("/api/events"))
                .withRequestBody(containing(linkCode)));
    }

    /** The events with this link code other than the card-state events of the holder's card (issued, activated, standing). */
    List<LoggedRequest> residentEventsFor(String linkCode) {
        return eventsFor(linkCode).stream().filter(r -> !r.getBodyAsString().matches(".*\"type\":\"card-(issued|activated|standing)\".*"))
                .toList();
    }

    @Test
    void aRenameReachesEachSubscriberWithItsOwnLinkCodeOnly() throws Exception {
        CardFlow.Issued holder = CardFlow.newHolder();
        String insuranceCode = code(holder, "insurance");
        String walletCode = code(holder, "wallet");
        InsuranceWireMock.server.stubFor(post("/api/events").willReturn(aResponse().withStatus(204)));
        rename(holder.number(), "改名");
        dispatcher.dispatch("insurance");
        dispatcher.dispatch("wallet");
        List<LoggedRequest> toInsurance = eventsFor(insuranceCode);
        assertThat(toInsurance).anySatisfy(r -> assertThat(r.getBodyAsString()).contains("resident-renamed"));
        assertThat(toInsurance).allSatisfy(r -> assertThat(r.getBodyAsString())
                .doesNotContain(walletCode).doesNotContain(holder.number()).doesNotContain("改名"));
        assertThat(toInsurance.get(0).getHeader("Authorization")).startsWith("Bearer ");
        assertThat(eventsFor(walletCode)).isNotEmpty();
    }

    @Test
    void aFailedDeliveryHoldsBackThatResidentsLaterEventsAndRetriesInOrder() throws Exception {
        CardFlow.Issued holder = CardFlow.newHolder();
        String insuranceCode = code(holder, "insurance");
        // The card's own events (issued, activated, standing) go out first; the failure concerns the changes below.
        InsuranceWireMock.server.stubFor(post("/api/events").willReturn(aResponse().withStatus(204)));
        dispatcher.dispatch("insurance");
        InsuranceWireMock.server.stubFor(post("/api/events").withRequestBody(containing(insuranceCode))
                .willReturn(aResponse().withStatus(503)).atPriority(1));
        rename(holder.number(), "一回目");
        given().auth().oauth2(Tokens.clerk()).contentType(ContentType.JSON)
                .body(Map.of("number", holder.number(), "address", Map.of("postalCode", "060-0001", "prefecture", "北海道", "municipality", "札幌市", "line", "北1条")))
                .post("/api/residents/changes").then().statusCode(200);
        dispatcher.dispatch("insurance");
        assertThat(residentEventsFor(insuranceCode)).hasSize(1);
        given().auth().oauth2(Tokens.auditor()).get("/api/outbox").then().statusCode(200)
                .body("subscriber", hasItem("insurance"));

        InsuranceWireMock.server.removeStub(InsuranceWireMock.server.getStubMappings().stream()
                .filter(m -> m.getPriority() != null && m.getPriority() == 1).findFirst().orElseThrow());
        InsuranceWireMock.server.stubFor(post("/api/events").willReturn(aResponse().withStatus(204)));
        dispatcher.dispatch("insurance");
        List<String> types = residentEventsFor(insuranceCode).stream()
                .sorted(java.util.Comparator.comparing(LoggedRequest::getLoggedDate)).map(LoggedRequest::getBodyAsString)
                .map(b -> b.replaceAll(".*\"type\":\"([^\"]+)\".*", "$1")).toList();
        // The failed attempt, then the renamed and moved deliveries in their order.
        assertThat(types).containsExactly("resident-renamed", "resident-renamed", "resident-moved");
    }

    @Test
    void aCardRevocationIsPublishedAndASubscriberWithoutALinkCodeIsSkipped() throws Exception {
        CardFlow.Issued holder = CardFlow.newHolder();
        String insuranceCode = code(holder, "insurance");
        InsuranceWireMock.server.stubFor(post("/api/events").willReturn(aResponse().withStatus(204)));
        CardFlow.revoke(holder.cardId(), "lost");
        dispatcher.dispatch("insurance");
        dispatcher.dispatch("wallet");
        assertThat(eventsFor(insuranceCode)).anySatisfy(r -> assertThat(r.getBodyAsString()).contains("card-revoked"));
        // No wallet link code exists for this holder: the wallet's deliveries are skipped, nothing is sent.
        long residentId = io.quarkus.narayana.jta.QuarkusTransaction.requiringNew().call(() -> residents
                .find(org.myna.registry.resident.IndividualNumber.parse(holder.number())).orElseThrow().id);
        List<String> walletStatuses = io.quarkus.narayana.jta.QuarkusTransaction.requiringNew().call(() -> OutboxDelivery
                .<OutboxDelivery>list("residentId = ?1 and key.subscriber = 'wallet'", residentId).stream().map(d -> d.status).toList());
        assertThat(walletStatuses).isNotEmpty().containsOnly(OutboxDelivery.SKIPPED);
    }

    @Test
    void aCardEventCarriesTheSubscribersOwnReferenceToTheCard() throws Exception {
        CardFlow.Issued holder = CardFlow.newHolder();
        String token = CardFlow.login(holder.card(), "insurance");
        String payload = new String(java.util.Base64.getUrlDecoder().decode(token.split("\\.")[1]), java.nio.charset.StandardCharsets.UTF_8);
        String insuranceCode = io.restassured.path.json.JsonPath.from(payload).getString("sub");
        String cardRef = io.restassured.path.json.JsonPath.from(payload).getString("card");
        InsuranceWireMock.server.stubFor(post("/api/events").willReturn(aResponse().withStatus(204)));
        CardFlow.revoke(holder.cardId(), "lost");
        dispatcher.dispatch("insurance");
        assertThat(eventsFor(insuranceCode)).anySatisfy(r -> assertThat(r.getBodyAsString())
                .contains("\"type\":\"card-revoked\"").contains("\"cardRef\":\"" + cardRef + "\"")
                .doesNotContain(holder.authSerial()).doesNotContain(holder.number()));
    }

    @Test
    void aRefusedChangePublishesNothing() throws Exception {
        CardFlow.Issued holder = CardFlow.newHolder();
        String insuranceCode = code(holder, "insurance");
        given().auth().oauth2(Tokens.clerk()).contentType(ContentType.JSON).body(Map.of("number", holder.number(), "familyName", ""))
                .post("/api/residents/changes").then().statusCode(400);
        InsuranceWireMock.server.stubFor(post("/api/events").willReturn(aResponse().withStatus(204)));
        dispatcher.dispatch("insurance");
        assertThat(residentEventsFor(insuranceCode)).isEmpty();
    }
}
