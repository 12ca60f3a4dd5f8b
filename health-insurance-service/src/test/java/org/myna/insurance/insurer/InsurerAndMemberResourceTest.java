package org.myna.insurance.insurer;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.WireMock;
import com.github.tomakehurst.wiremock.http.Fault;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.ValidatableResponse;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.myna.insurance.support.Fixtures;
import org.myna.insurance.support.InjectRegistryMock;
import org.myna.insurance.support.RegistryMock;
import org.myna.insurance.support.Tokens;
import org.myna.platform.testkit.UrlLeaks;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;

@QuarkusTest
@QuarkusTestResource(RegistryMock.class)
class InsurerAndMemberResourceTest {

    @InjectRegistryMock
    WireMockServer registry;

    @Inject
    EntityManager em;

    long count(String entity) {
        return em.createQuery("select count(e) from " + entity + " e", Long.class).getSingleResult();
    }

    static ValidatableResponse enrol(String client, String insurer, Map<String, Object> body) {
        return given().auth().oauth2(Tokens.insurer(client)).contentType(ContentType.JSON).body(body)
                .post("/api/insurers/" + insurer + "/members").then();
    }

    @Test
    void registersInsurerBoundToItsClient() {
        String client = Fixtures.newClient();
        String number = Fixtures.insurer(client);
        given().auth().oauth2(Tokens.facility()).get("/api/insurers/" + number)
                .then().statusCode(200).body("insurerNumber", equalTo(number)).body("name", equalTo("テスト健康保険組合"));
        given().auth().oauth2(Tokens.insurer(client)).contentType(ContentType.JSON)
                .body(Map.of("insurerNumber", number, "name", "x", "corporateNumber", Fixtures.corporateNumber()))
                .post("/api/insurers").then().statusCode(409).body("code", equalTo("insurer-exists"));
    }

    @ParameterizedTest
    @CsvSource({
            "01130013, 7000012050002, invalid-insurer-number",
            "0113001,  7000012050002, invalid-insurer-number",
            "0113001X, 7000012050002, invalid-insurer-number",
            "01130012, 7000012050003, invalid-corporate-number",
            "01130012, 700001205000,  invalid-corporate-number"})
    void refusesInsurerWithBadNumbersAndStoresNothing(String insurerNumber, String corporateNumber, String code) {
        long before = count("Insurer");
        given().auth().oauth2(Tokens.insurer(Fixtures.newClient())).contentType(ContentType.JSON)
                .body(Map.of("insurerNumber", insurerNumber, "name", "x", "corporateNumber", corporateNumber))
                .post("/api/insurers").then().statusCode(400)
                .contentType("application/problem+json").body("code", equalTo(code));
        assertThat(count("Insurer")).isEqualTo(before);
    }

    @Test
    void refusesInsurerCreationByAFacility() {
        given().auth().oauth2(Tokens.facility()).contentType(ContentType.JSON)
                .body(Map.of("insurerNumber", Fixtures.insurerNumber(), "name", "x", "corporateNumber", Fixtures.corporateNumber()))
                .post("/api/insurers").then().statusCode(403);
    }

    @Test
    void enrolsAndLinksMemberStoringOnlyTheLinkCode() {
        Fixtures.Linked linked = Fixtures.linkedMember(registry, "山田", "花子");
        String number = (String) linked.body().get("individualNumber");
        String answer = given().auth().oauth2(Tokens.insurer(linked.clientId()))
                .get("/api/insurers/" + linked.insurerNumber() + "/members/" + linked.memberId())
                .then().statusCode(200)
                .body("link.status", equalTo("linked"))
                .body("link.linkedBy", equalTo(linked.clientId()))
                .body("copayRate", equalTo(30))
                .extract().asString();
        assertThat(answer).doesNotContain(number).doesNotContain(linked.linkCode());
        // The number went to the registry and nowhere else: no column of ours holds it.
        List<?> hits = em.createNativeQuery("select id from insurance.member where symbol = ?1 or member_number = ?1 or family_name = ?1 "
                + "or link_code = ?1 or link_mismatched = ?1").setParameter(1, number).getResultList();
        assertThat(hits).isEmpty();
        registry.verify(postRequestedFor(urlEqualTo("/api/insurance-links"))
                .withRequestBody(matchingJsonPath("$.number", WireMock.equalTo(number)))
                .withRequestBody(matchingJsonPath("$.address.line", WireMock.equalTo("千代田1-1"))));
        String code = em.createQuery("select m.linkCode from Member m where m.id = ?1", String.class)
                .setParameter(1, linked.memberId()).getSingleResult();
        assertThat(code).isEqualTo(linked.linkCode());
    }

    /**
     * The resident's virtual ID in place of the number (issue 23): checked for its Verhoeff digit here, forwarded to
     * the registry as the number would be, stored nowhere; the registry alone knows whether it is active.
     */
    @Test
    void enrolsByAVirtualIdForwardingItToTheRegistryAndStoringNothing() {
        String client = Fixtures.newClient();
        String insurer = Fixtures.insurer(client);
        String vid = "1234567890123455";
        String code = Fixtures.registryLinks(registry, vid);
        Map<String, Object> body = Fixtures.member("山田", "花子");
        body.put("individualNumber", vid);
        body.put("address", Fixtures.address());
        Number id = enrol(client, insurer, body).statusCode(201).body("link.status", equalTo("linked")).extract().path("id");
        registry.verify(postRequestedFor(urlEqualTo("/api/insurance-links")).withRequestBody(matchingJsonPath("$.number", WireMock.equalTo(vid))));
        assertThat(em.createNativeQuery("select id from insurance.member where symbol = ?1 or member_number = ?1 or family_name = ?1 "
                + "or link_code = ?1 or link_mismatched = ?1").setParameter(1, vid).getResultList()).isEmpty();
        assertThat(em.createQuery("select m.linkCode from Member m where m.id = ?1", String.class)
                .setParameter(1, id.longValue()).getSingleResult()).isEqualTo(code);
    }

    /** The registry names the one differing group; we keep that answer and no link code. */
    @ParameterizedTest
    @ValueSource(strings = {"name", "kana", "dateOfBirth", "sex", "address"})
    void recordsMismatchNamingTheDifferingAttribute(String group) {
        String client = Fixtures.newClient();
        String insurer = Fixtures.insurer(client);
        String number = Fixtures.individualNumber();
        registry.stubFor(post(urlEqualTo("/api/insurance-links"))
                .withRequestBody(matchingJsonPath("$.number", WireMock.equalTo(number)))
                .willReturn(aResponse().withStatus(422).withHeader("Content-Type", "application/problem+json")
                        .withBody("{\"code\":\"attributes-mismatch\",\"status\":422,\"mismatched\":[\"" + group + "\"]}")));
        Map<String, Object> body = Fixtures.member("山田", "花子");
        body.put("individualNumber", number);
        body.put("address", Fixtures.address());
        Number id = enrol(client, insurer, body).statusCode(201)
                .body("link.status", equalTo("attributes-mismatch"))
                .body("link.mismatched", contains(group))
                .extract().path("id");
        String code = em.createQuery("select m.linkCode from Member m where m.id = ?1", String.class)
                .setParameter(1, id.longValue()).getSingleResult();
        assertThat(code).isNull();
        assertThat(em.createQuery("select a.outcome from LinkAttempt a where a.memberId = ?1", String.class)
                .setParameter(1, id.longValue()).getResultList()).containsExactly("attributes-mismatch");
    }

    /** A typo that still passes the check digit: the registry finds nobody matching, nobody is linked. */
    @Test
    void swappedDigitNumberLinksNobody() {
        String client = Fixtures.newClient();
        String insurer = Fixtures.insurer(client);
        String number = swappedButValid();
        registry.stubFor(post(urlEqualTo("/api/insurance-links"))
                .withRequestBody(matchingJsonPath("$.number", WireMock.equalTo(number)))
                .willReturn(aResponse().withStatus(422).withHeader("Content-Type", "application/problem+json")
                        .withBody("{\"code\":\"no-match\",\"status\":422}")));
        Map<String, Object> body = Fixtures.member("山田", "花子");
        body.put("individualNumber", number);
        body.put("address", Fixtures.address());
        Number id = enrol(client, insurer, body).statusCode(201)
                .body("link.status", equalTo("no-match")).body("link.mismatched", nullValue()).extract().path("id");
        given().auth().oauth2(Tokens.service()).contentType(ContentType.JSON).body(Map.of("linkCode", "none")).post("/api/links/lookup").then().body("linked", equalTo(false));
        assertThat(em.createQuery("select m.linkCode from Member m where m.id = ?1", String.class)
                .setParameter(1, id.longValue()).getSingleResult()).isNull();
    }

    /** A number with two adjacent digits swapped that still passes the check digit. */
    static String swappedButValid() {
        while (true) {
            String n = Fixtures.individualNumber();
            for (int i = 0; i < 11; i++) {
                char[] c = n.toCharArray();
                if (c[i] == c[i + 1]) {
                    continue;
                }
                char t = c[i];
                c[i] = c[i + 1];
                c[i + 1] = t;
                String s = new String(c);
                if (UrlLeaks.wellFormedNumber(s)) {
                    return s;
                }
            }
        }
    }

    @ParameterizedTest
    @CsvSource({
            "copayRate, 25, invalid-copay-rate",
            "copayRate, 0, invalid-copay-rate",
            "coverageEnd, 2020-03-31, coverage-end-before-start",
            "individualNumber, 123456789012, invalid-number",
            "individualNumber, 1234567890123456, invalid-number",
            "branch, 1, ",
            "familyName, ●, "})
    void refusesBadMemberInputAndStoresNothing(String field, String value, String code) {
        String client = Fixtures.newClient();
        String insurer = Fixtures.insurer(client);
        Map<String, Object> body = Fixtures.member("山田", "花子");
        body.put(field, field.equals("copayRate") ? Integer.valueOf(value) : value);
        body.put("address", Fixtures.address());
        long before = count("Member");
        ValidatableResponse response = enrol(client, insurer, body).statusCode(400).contentType("application/problem+json");
        if (code != null) {
            response.body("code", equalTo(code));
        }
        assertThat(response.extract().asString()).doesNotContain("123456789012");
        assertThat(count("Member")).isEqualTo(before);
    }

    @Test
    void refusesAnotherInsurersClient() {
        Fixtures.Linked linked = Fixtures.linkedMember(registry, "山田", "花子");
        String intruder = Fixtures.newClient();
        Fixtures.insurer(intruder);
        given().auth().oauth2(Tokens.insurer(intruder))
                .get("/api/insurers/" + linked.insurerNumber() + "/members/" + linked.memberId())
                .then().statusCode(403).body("code", equalTo("not-your-insurer"));
        enrol(intruder, linked.insurerNumber(), Fixtures.member("他人", "太郎")).statusCode(403);
        given().auth().oauth2(Tokens.insurer(intruder)).contentType(ContentType.JSON)
                .body(Map.of("insurerNumber", linked.insurerNumber(), "memberId", linked.memberId()))
                .post("/api/eligibility-certificates").then().statusCode(403);
    }

    @Test
    void refusesDuplicateMemberCard() {
        String client = Fixtures.newClient();
        String insurer = Fixtures.insurer(client);
        Map<String, Object> body = Fixtures.member("山田", "花子");
        enrol(client, insurer, body).statusCode(201).body("link.status", equalTo("unlinked"));
        enrol(client, insurer, body).statusCode(409).body("code", equalTo("member-exists"));
    }

    @Test
    void registryDownDuringEnrolmentAnswers503AndStoresNothing() {
        String client = Fixtures.newClient();
        String insurer = Fixtures.insurer(client);
        String number = Fixtures.individualNumber();
        registry.stubFor(post(urlEqualTo("/api/insurance-links"))
                .withRequestBody(matchingJsonPath("$.number", WireMock.equalTo(number)))
                .willReturn(aResponse().withFault(Fault.CONNECTION_RESET_BY_PEER)));
        Map<String, Object> body = Fixtures.member("山田", "花子");
        body.put("individualNumber", number);
        body.put("address", Fixtures.address());
        long before = count("Member");
        enrol(client, insurer, body).statusCode(503).body("code", equalTo("registry-unavailable"));
        assertThat(count("Member")).isEqualTo(before);
    }

    @Test
    void linksAnEnrolledMemberLater() {
        String client = Fixtures.newClient();
        String insurer = Fixtures.insurer(client);
        Number id = enrol(client, insurer, Fixtures.member("髙橋", "一郎")).statusCode(201).extract().path("id");
        String number = Fixtures.individualNumber();
        String code = Fixtures.registryLinks(registry, number);
        given().auth().oauth2(Tokens.insurer(client)).contentType(ContentType.JSON)
                .body(Map.of("individualNumber", number, "address", Fixtures.address()))
                .post("/api/insurers/" + insurer + "/members/" + id + "/link")
                .then().statusCode(200).body("link.status", equalTo("linked"));
        registry.verify(postRequestedFor(urlEqualTo("/api/insurance-links"))
                .withRequestBody(matchingJsonPath("$.familyName", WireMock.equalTo("髙橋"))));
        given().auth().oauth2(Tokens.service()).contentType(ContentType.JSON).body(Map.of("linkCode", code)).post("/api/links/lookup").then().statusCode(200).body("linked", equalTo(true));
        given().auth().oauth2(Tokens.facility()).contentType(ContentType.JSON).body(Map.of("linkCode", code)).post("/api/links/lookup").then().statusCode(403);
    }

    @Test
    void keepsExoticNamesByteForByte() {
        String client = Fixtures.newClient();
        String insurer = Fixtures.insurer(client);
        String family = "葛\uDB40\uDD00𠮷﨑";
        Number id = enrol(client, insurer, Fixtures.member(family, "髙子")).statusCode(201).extract().path("id");
        byte[] raw = given().auth().oauth2(Tokens.insurer(client)).get("/api/insurers/" + insurer + "/members/" + id)
                .then().statusCode(200).extract().asByteArray();
        assertThat(new String(raw, StandardCharsets.UTF_8)).contains("\"familyName\":\"" + family + "\"").contains("髙子");
    }

    @ParameterizedTest
    @ValueSource(strings = {"{\"symbol\":", "{\"unknownField\":1}", "{\"copayRate\":\"thirty\"}", "[]"})
    void unreadableBodiesAre4xxNever5xx(String body) {
        String client = Fixtures.newClient();
        String insurer = Fixtures.insurer(client);
        given().auth().oauth2(Tokens.insurer(client)).contentType(ContentType.JSON).body(body)
                .post("/api/insurers/" + insurer + "/members").then().statusCode(400)
                .contentType("application/problem+json");
    }

    @Test
    void unknownInsurerIs404AndMalformedInsurerNumberIs400() {
        String client = Fixtures.newClient();
        given().auth().oauth2(Tokens.insurer(client)).get("/api/insurers/" + Fixtures.insurerNumber() + "/members/1")
                .then().statusCode(404).body("code", equalTo("insurer-not-found"));
        given().auth().oauth2(Tokens.insurer(client)).get("/api/insurers/01130013/members/1")
                .then().statusCode(400).body("code", equalTo("invalid-insurer-number"));
    }
}
