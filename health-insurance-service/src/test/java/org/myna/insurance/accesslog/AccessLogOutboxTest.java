package org.myna.insurance.accesslog;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.WireMock;
import com.github.tomakehurst.wiremock.http.Fault;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import jakarta.inject.Inject;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.myna.insurance.support.Cards;
import org.myna.insurance.support.Fixtures;
import org.myna.insurance.support.InjectRegistryMock;
import org.myna.insurance.support.RegistryMock;
import org.myna.insurance.support.Tokens;
import org.myna.platform.accesslog.AccessLogOutboxRow;
import org.myna.platform.accesslog.AccessLogSender;

import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

/**
 * Every read of a member's data here reaches the resident's access log at the registry: written to the outbox with
 * the read, delivered in batches by the platform's sender, named by the clinic or insurer that read.
 */
@QuarkusTest
@QuarkusTestResource(RegistryMock.class)
class AccessLogOutboxTest {

    static final String ENTRIES = "/api/access-log/entries";
    static final ObjectMapper JSON = new ObjectMapper();

    @InjectRegistryMock
    WireMockServer registry;

    @Inject
    AccessLogSender sender;

    @BeforeEach
    void registryRecordsEverything() {
        registry.stubFor(post(urlEqualTo(ENTRIES)).atPriority(5).willReturn(okJson("{\"recorded\":0}")));
    }

    static List<AccessLogOutboxRow> outbox(String linkCode) {
        return QuarkusTransaction.requiringNew().call(() -> AccessLogOutboxRow.<AccessLogOutboxRow>list("linkCode = ?1 order by id", linkCode));
    }

    /** Every entry the fake registry received for this link code, in order, over all deliveries. */
    List<JsonNode> delivered(String linkCode) throws Exception {
        List<JsonNode> found = new ArrayList<>();
        for (LoggedRequest request : registry.findAll(postRequestedFor(urlEqualTo(ENTRIES)))) {
            for (JsonNode entry : JSON.readTree(request.getBodyAsString()).path("entries")) {
                if (linkCode.equals(entry.path("linkCode").asText())) {
                    found.add(entry);
                }
            }
        }
        return found;
    }

    /** A linked member whose enrolment row has been delivered already, so that a test sees only its own reads. */
    Fixtures.Linked linkedAndQuiet(String family, String given) {
        Fixtures.Linked m = Fixtures.linkedMember(registry, family, given);
        sender.deliver();
        assertThat(outbox(m.linkCode())).isEmpty();
        return m;
    }

    /** The delivered entries of card checks for this link code. */
    List<JsonNode> checks(String linkCode) throws Exception {
        return delivered(linkCode).stream().filter(e -> e.path("purpose").asText().equals("eligibility-check:card")).toList();
    }

    void cardCheck(Cards card, String linkCode) {
        registry.stubFor(post(urlEqualTo("/api/certificates/holder-link"))
                .withRequestBody(matchingJsonPath("$.certificate", WireMock.equalTo(card.authCertificate())))
                .willReturn(okJson("{\"status\":\"good\",\"linkCode\":\"" + linkCode + "\"}")));
        Map<?, ?> c = given().auth().oauth2(Tokens.facility()).header("X-Institution-Code", Fixtures.INSTITUTION)
                .post("/api/eligibility/challenges").then().statusCode(201).extract().as(Map.class);
        given().auth().oauth2(Tokens.facility()).header("X-Institution-Code", Fixtures.INSTITUTION).contentType(ContentType.JSON)
                .body(Map.of("challengeId", c.get("challengeId"), "certificate", card.authCertificate(),
                        "signature", card.sign((String) c.get("nonce"))))
                .post("/api/eligibility/card-checks").then().statusCode(200).body("result", equalTo("covered"));
    }

    @Test
    void aClinicsChecksByCardAndByBothFallbacksAndAnInsurersReadsReachTheRegistryNamingWhoRead() throws Exception {
        Fixtures.Linked m = Fixtures.linkedMember(registry, "髙橋", "𠮷子");
        cardCheck(Cards.valid(), m.linkCode());
        given().auth().oauth2(Tokens.facility()).header("X-Institution-Code", Fixtures.INSTITUTION).contentType(ContentType.JSON)
                .body(Map.of("insurerNumber", m.insurerNumber(), "symbol", m.body().get("symbol"), "number", m.body().get("number"),
                        "branch", m.body().get("branch"), "dateOfBirth", "1990-04-01"))
                .post("/api/eligibility/number-checks").then().statusCode(200).body("result", equalTo("covered"));
        String certificate = given().auth().oauth2(Tokens.insurer(m.clientId())).contentType(ContentType.JSON)
                .body(Map.of("insurerNumber", m.insurerNumber(), "memberId", m.memberId()))
                .post("/api/eligibility-certificates").then().statusCode(201).extract().path("certificateNumber");
        given().auth().oauth2(Tokens.facility()).header("X-Institution-Code", Fixtures.INSTITUTION).contentType(ContentType.JSON)
                .body(Map.of("certificateNumber", certificate)).post("/api/eligibility/certificate-checks")
                .then().statusCode(200).body("result", equalTo("covered"));
        given().auth().oauth2(Tokens.insurer(m.clientId())).get("/api/insurers/" + m.insurerNumber() + "/members/" + m.memberId())
                .then().statusCode(200);
        // Written with each read, before any delivery.
        assertThat(outbox(m.linkCode())).hasSize(6);

        assertThat(sender.deliver()).isGreaterThanOrEqualTo(6);

        List<JsonNode> entries = delivered(m.linkCode());
        assertThat(entries).extracting(e -> e.path("purpose").asText()).containsExactly("insurance-enrolment", "eligibility-check:card",
                "eligibility-check:number", "eligibility-certificate", "eligibility-check:certificate", "member-record");
        assertThat(entries).extracting(e -> e.path("clientId").asText() + "/" + e.path("role").asText()).containsExactly(
                m.clientId() + "/insurer", "demo-facility/facility", "demo-facility/facility", m.clientId() + "/insurer", "demo-facility/facility",
                m.clientId() + "/insurer");
        assertThat(entries).allSatisfy(e -> {
            assertThat(e.path("id").asLong()).isPositive();
            assertThat(e.path("at").asText()).isNotEmpty();
            assertThat(OffsetDateTime.parse(e.path("at").asText())).isBefore(OffsetDateTime.now().plusSeconds(1));
        });
        assertThat(given().get("/q/metrics").then().statusCode(200).extract().asString())
                .contains("access_log_outbox_delivery_lateness_seconds_count").contains("access_log_outbox_oldest_pending_seconds");
        // The delivered rows are gone from the outbox; nothing personal beyond the link code travelled.
        assertThat(outbox(m.linkCode())).isEmpty();
        for (LoggedRequest request : registry.findAll(postRequestedFor(urlEqualTo(ENTRIES)))) {
            assertThat(request.getBodyAsString()).doesNotContain((String) m.body().get("individualNumber")).doesNotContain("髙橋");
            assertThat(request.getHeader("Authorization")).isEqualTo("Bearer service-token");
        }
    }

    @Test
    void aRefusedCheckLeavesNoRowAndAnUnlinkedMembersReadNamesNobody() {
        Fixtures.Linked m = linkedAndQuiet("山田", "花子");
        Cards card = Cards.valid();
        registry.stubFor(post(urlEqualTo("/api/certificates/holder-link"))
                .withRequestBody(matchingJsonPath("$.certificate", WireMock.equalTo(card.authCertificate())))
                .willReturn(okJson("{\"status\":\"good\",\"linkCode\":\"" + m.linkCode() + "\"}")));
        Map<?, ?> c = given().auth().oauth2(Tokens.facility()).header("X-Institution-Code", Fixtures.INSTITUTION)
                .post("/api/eligibility/challenges").then().statusCode(201).extract().as(Map.class);
        Map<String, Object> body = Map.of("challengeId", c.get("challengeId"), "certificate", card.authCertificate(),
                "signature", card.sign((String) c.get("nonce")));
        given().auth().oauth2(Tokens.facility()).header("X-Institution-Code", Fixtures.INSTITUTION).contentType(ContentType.JSON)
                .body(body).post("/api/eligibility/card-checks").then().statusCode(200);
        // the replayed challenge is refused, and its transaction (check record and access-log row) is rolled back
        given().auth().oauth2(Tokens.facility()).header("X-Institution-Code", Fixtures.INSTITUTION).contentType(ContentType.JSON)
                .body(body).post("/api/eligibility/card-checks").then().statusCode(409).body("code", equalTo("challenge-used"));
        assertThat(outbox(m.linkCode())).hasSize(1);
        long before = QuarkusTransaction.requiringNew().call(() -> AccessLogOutboxRow.count());
        String client = Fixtures.newClient();
        String insurer = Fixtures.insurer(client);
        Map<String, Object> unlinked = Fixtures.member("佐藤", "一郎");
        unlinked.put("address", Fixtures.address());
        Number id = given().auth().oauth2(Tokens.insurer(client)).contentType(ContentType.JSON).body(unlinked)
                .post("/api/insurers/" + insurer + "/members").then().statusCode(201).extract().path("id");
        given().auth().oauth2(Tokens.insurer(client)).get("/api/insurers/" + insurer + "/members/" + id).then().statusCode(200);
        assertThat(QuarkusTransaction.requiringNew().call(() -> AccessLogOutboxRow.count())).isEqualTo(before);
    }

    @Test
    void whileTheRegistryIsDownRowsWaitAndTheRetryCarriesTheSameRowIdsSoTheRegistryCountsThemOnce() throws Exception {
        Fixtures.Linked m = linkedAndQuiet("山田", "太郎");
        cardCheck(Cards.valid(), m.linkCode());
        long rowId = outbox(m.linkCode()).get(0).id;
        // The registry records the batch but the answer is lost on the way back.
        registry.stubFor(post(urlEqualTo(ENTRIES)).atPriority(1).withRequestBody(containing(m.linkCode()))
                .willReturn(aResponse().withFault(Fault.CONNECTION_RESET_BY_PEER)));
        sender.deliver();
        assertThat(outbox(m.linkCode())).singleElement().satisfies(row -> {
            assertThat(row.attempts).isEqualTo(1);
            assertThat(row.leaseToken).isNull();
            assertThat(row.leaseUntil).isAfter(OffsetDateTime.now());
        });
        // Before its back-off is over the row is not sent again.
        int requests = registry.findAll(postRequestedFor(urlEqualTo(ENTRIES)).withRequestBody(containing(m.linkCode()))).size();
        sender.deliver();
        assertThat(registry.findAll(postRequestedFor(urlEqualTo(ENTRIES)).withRequestBody(containing(m.linkCode())))).hasSize(requests);
        // The registry is back; the back-off is over.
        registry.removeStub(registry.getStubMappings().stream().filter(s -> s.getPriority() != null && s.getPriority() == 1
                && s.getRequest().getUrl() != null && s.getRequest().getUrl().equals(ENTRIES)).findFirst().orElseThrow());
        QuarkusTransaction.requiringNew().run(() -> AccessLogOutboxRow.update("leaseUntil = ?1 where id = ?2", OffsetDateTime.now().minusSeconds(1), rowId));
        sender.deliver();
        assertThat(outbox(m.linkCode())).isEmpty();
        assertThat(checks(m.linkCode())).extracting(e -> e.path("id").asLong()).containsOnly(rowId).hasSizeGreaterThanOrEqualTo(2);
    }

    @Test
    void aRowTheRegistryRefusesAloneIsSetAsideAndHoldsBackNoOther() throws Exception {
        Fixtures.Linked bad = linkedAndQuiet("山田", "次郎");
        Fixtures.Linked good = linkedAndQuiet("山田", "三郎");
        cardCheck(Cards.valid(), bad.linkCode());
        cardCheck(Cards.valid(), good.linkCode());
        registry.stubFor(post(urlEqualTo(ENTRIES)).atPriority(1).withRequestBody(containing(bad.linkCode()))
                .willReturn(aResponse().withStatus(400).withHeader("Content-Type", "application/problem+json")
                        .withBody("{\"status\":400,\"code\":\"constraint-violation\"}")));
        sender.deliver();
        // the good row went out with the refused batch, then alone, and was acknowledged
        assertThat(outbox(good.linkCode())).isEmpty();
        assertThat(checks(good.linkCode())).extracting(e -> e.path("id").asLong()).hasSize(2).containsOnly(checks(good.linkCode()).get(0).path("id").asLong());
        assertThat(outbox(bad.linkCode())).singleElement().satisfies(row -> assertThat(row.rejectedAt).isNotNull());
        int sent = registry.findAll(postRequestedFor(urlEqualTo(ENTRIES)).withRequestBody(containing(bad.linkCode()))).size();
        sender.deliver();
        assertThat(registry.findAll(postRequestedFor(urlEqualTo(ENTRIES)).withRequestBody(containing(bad.linkCode())))).hasSize(sent);
    }
}
