package org.myna.registry.exchange;

import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.smallrye.jwt.auth.principal.JWTParser;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;
import org.myna.registry.accesslog.AccessLogEntry;
import org.myna.registry.outbox.OutboxDispatcher;
import org.myna.registry.resident.IndividualNumber;
import org.myna.registry.resident.ResidentService;
import org.myna.registry.support.CardFlow;
import org.myna.registry.support.InsuranceWireMock;

import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 18 §2: the wallet hears, under its own link code, the facts its grants need, whenever one may have changed and
 * when its link code for the person is created; the facts are read at delivery and ordered by a sequence; the insurance
 * service hears none of them; the resident's access log says the wallet was told.
 */
@QuarkusTest
@QuarkusTestResource(InsuranceWireMock.class)
class EligibilityFactsEventsTest {

    @Inject
    OutboxDispatcher dispatcher;

    @Inject
    JWTParser parser;

    @Inject
    ResidentService residents;

    String code(CardFlow.Issued holder, String audience) throws Exception {
        return parser.parseOnly(CardFlow.login(holder.card(), audience)).getSubject();
    }

    /** The eligibility-facts events sent with this link code, in the order they were sent. */
    static List<JsonPath> facts(String linkCode) {
        return InsuranceWireMock.server.findAll(postRequestedFor(urlEqualTo("/api/events")).withRequestBody(containing(linkCode)))
                .stream().sorted(Comparator.comparing(LoggedRequest::getLoggedDate)).map(r -> JsonPath.from(r.getBodyAsString()))
                .filter(j -> "eligibility-facts".equals(j.getString("type"))).toList();
    }

    static JsonPath last(List<JsonPath> events) {
        return events.get(events.size() - 1);
    }

    @Test
    void theWalletHearsTheFactsUnderItsOwnLinkCodeWhenTheyChangeAndTheInsuranceServiceDoesNot() throws Exception {
        InsuranceWireMock.server.stubFor(post("/api/events").willReturn(aResponse().withStatus(204)));
        CardFlow.Issued holder = CardFlow.newHolder();
        String insuranceCode = code(holder, "insurance");
        String walletCode = code(holder, "wallet"); // the wallet's first code: its facts so far
        dispatcher.dispatch("wallet");
        dispatcher.dispatch("insurance");
        // The activation's event (delivered now that the code exists) and the new code's: both read now.
        List<JsonPath> first = facts(walletCode);
        int n = first.size();
        assertThat(n).isBetween(1, 2);
        assertThat(last(first).getBoolean("facts.cardActive")).isTrue();
        assertThat(last(first).getBoolean("facts.publicFundAccount")).isFalse();
        assertThat(last(first).getString("linkCode")).isEqualTo(walletCode);
        assertThat(facts(insuranceCode)).isEmpty();

        // A public-fund account registered: a new event, read later, so a higher sequence.
        String op = CardFlow.operationToken(holder.card(), "register-public-fund-account", "registry");
        given().auth().oauth2(op).contentType(ContentType.JSON).body(Map.of("bankCode", "0001", "branchCode", "123",
                        "accountType", "ordinary", "accountNumber", String.valueOf(ThreadLocalRandom.current().nextInt(1_000_000, 9_999_999)),
                        "holderKana", "ヤマダハナコ"))
                .put("/api/me/public-fund-account").then().statusCode(200);
        dispatcher.dispatch("wallet");
        List<JsonPath> second = facts(walletCode);
        assertThat(second).hasSize(n + 1);
        assertThat(last(second).getBoolean("facts.publicFundAccount")).isTrue();
        assertThat(last(second).getLong("facts.sequence")).isGreaterThan(last(first).getLong("facts.sequence"));

        // The card revoked: the wallet is told it is no longer active.
        CardFlow.revoke(holder.cardId(), "lost");
        dispatcher.dispatch("wallet");
        List<JsonPath> third = facts(walletCode);
        assertThat(third).hasSize(n + 2);
        assertThat(last(third).getBoolean("facts.cardActive")).isFalse();
        assertThat(last(third).getBoolean("facts.publicFundAccount")).isTrue();
        assertThat(last(third).getLong("facts.sequence")).isGreaterThan(last(second).getLong("facts.sequence"));
        assertThat(facts(insuranceCode)).isEmpty();
        assertThat(InsuranceWireMock.server.findAll(postRequestedFor(urlEqualTo("/api/events")).withRequestBody(containing(walletCode)))
                .stream().map(LoggedRequest::getBodyAsString)).allSatisfy(b -> assertThat(b).doesNotContain(holder.number()));

        long residentId = QuarkusTransaction.requiringNew().call(() -> residents.find(IndividualNumber.parse(holder.number())).orElseThrow().id);
        long logged = QuarkusTransaction.requiringNew().call(() -> AccessLogEntry.count(
                "residentId = ?1 and purpose = ?2 and actor = ?3", residentId, "wallet:eligibility-facts", "wallet-service"));
        assertThat(logged).isEqualTo(n + 2);
    }

    @Test
    void aFailedDeliveryIsRetriedWithTheFactsAsOfTheRetry() throws Exception {
        InsuranceWireMock.server.stubFor(post("/api/events").willReturn(aResponse().withStatus(204)));
        CardFlow.Issued holder = CardFlow.newHolder();
        String walletCode = code(holder, "wallet");
        dispatcher.dispatch("wallet");
        InsuranceWireMock.server.stubFor(post("/api/events").withRequestBody(containing(walletCode))
                .willReturn(aResponse().withStatus(503)).atPriority(1));
        CardFlow.revoke(holder.cardId(), "lost");
        dispatcher.dispatch("wallet"); // fails: the revocation's facts wait for a retry
        InsuranceWireMock.server.removeStub(InsuranceWireMock.server.getStubMappings().stream()
                .filter(m -> m.getPriority() != null && m.getPriority() == 1).findFirst().orElseThrow());
        InsuranceWireMock.server.stubFor(post("/api/events").willReturn(aResponse().withStatus(204)));
        dispatcher.dispatch("wallet");
        List<JsonPath> sent = facts(walletCode);
        assertThat(last(sent).getBoolean("facts.cardActive")).isFalse();
        assertThat(sent.stream().map(j -> j.getLong("facts.sequence")).toList()).isSorted();
    }
}
