package org.myna.insurance.errors;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.myna.insurance.support.Fixtures;
import org.myna.insurance.support.RegistryMock;
import org.myna.insurance.support.Tokens;
import org.myna.platform.testkit.Problems;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.startsWith;

/**
 * Issue 20 on the insurance service: a repeated key stored the member; malformed Unicode text reached members and
 * member batches. Each is now a 400 naming the field, and no member is stored.
 */
@QuarkusTest
@QuarkusTestResource(RegistryMock.class)
class ErrorContractTest {

    @Inject
    EntityManager em;

    long members(String insurer) {
        return em.createQuery("select count(m) from Member m where m.insurer.insurerNumber = ?1", Long.class)
                .setParameter(1, insurer).getSingleResult();
    }

    /** The member's JSON with a marker in familyName that the test replaces by raw bytes. */
    static byte[] withFamilyName(Map<String, Object> member, byte[] inName) throws Exception {
        member.put("familyName", "山\u0001田");
        String[] parts = new ObjectMapper().writeValueAsString(member).split("\\\\u0001");
        byte[] before = parts[0].getBytes(StandardCharsets.UTF_8);
        byte[] after = parts[1].getBytes(StandardCharsets.UTF_8);
        byte[] out = new byte[before.length + inName.length + after.length];
        System.arraycopy(before, 0, out, 0, before.length);
        System.arraycopy(inName, 0, out, before.length, inName.length);
        System.arraycopy(after, 0, out, before.length + inName.length, after.length);
        return out;
    }

    static Response post(String client, String path, byte[] body) {
        return given().auth().oauth2(Tokens.insurer(client)).contentType("application/json").body(body).post(path);
    }

    static void assertNamesField(Response answer, String code, String field) {
        Problems.assertProblem(answer, 400, code);
        answer.then().body("violations.field", hasItem(field));
        assertThat(answer.asString()).doesNotContain("java.", "com.fasterxml", "Exception");
    }

    @Test
    void aRepeatedKeyInAMemberIsRefusedAndNoMemberIsStored() throws Exception {
        String client = Fixtures.newClient();
        String insurer = Fixtures.insurer(client);
        String json = new ObjectMapper().writeValueAsString(Fixtures.member("山田", "花子"));
        String twice = json.replace("{\"symbol\"", "{\"familyName\":\"別人\",\"symbol\"");
        assertNamesField(post(client, "/api/insurers/" + insurer + "/members", twice.getBytes(StandardCharsets.UTF_8)), "duplicate-field", "familyName");
        assertThat(members(insurer)).isZero();
    }

    @Test
    void anIndividualNumberSentAsAJsonNumberIsRefused() throws Exception {
        String client = Fixtures.newClient();
        String insurer = Fixtures.insurer(client);
        Map<String, Object> member = Fixtures.member("山田", "花子");
        member.put("individualNumber", 123456789018L);
        member.put("address", Fixtures.address());
        assertNamesField(post(client, "/api/insurers/" + insurer + "/members", new ObjectMapper().writeValueAsBytes(member)),
                "invalid-field-type", "individualNumber");
        assertThat(members(insurer)).isZero();
    }

    static Stream<byte[]> malformedText() {
        return Stream.of(
                new byte[]{(byte) 0xC0, (byte) 0xAF},
                new byte[]{(byte) 0xED, (byte) 0xA0, (byte) 0x80},
                "\\ud800".getBytes(StandardCharsets.US_ASCII),
                "\\uffff".getBytes(StandardCharsets.US_ASCII),
                "\uFDD0".getBytes(StandardCharsets.UTF_8));
    }

    @ParameterizedTest
    @MethodSource("malformedText")
    void aMemberWithMalformedTextIsRefusedNamingTheField(byte[] bad) throws Exception {
        String client = Fixtures.newClient();
        String insurer = Fixtures.insurer(client);
        assertNamesField(post(client, "/api/insurers/" + insurer + "/members", withFamilyName(Fixtures.member("山田", "花子"), bad)),
                "invalid-encoding", "familyName");
        assertThat(members(insurer)).isZero();
    }

    @ParameterizedTest
    @MethodSource("malformedText")
    void aMemberBatchWithMalformedTextIsRefusedWhole(byte[] bad) throws Exception {
        String client = Fixtures.newClient();
        String insurer = Fixtures.insurer(client);
        String good = new ObjectMapper().writeValueAsString(Fixtures.member("一括", "一"));
        byte[] head = ("{\"members\":[" + good + ",").getBytes(StandardCharsets.UTF_8);
        byte[] member = withFamilyName(Fixtures.member("一括", "二"), bad);
        byte[] tail = "]}".getBytes(StandardCharsets.UTF_8);
        byte[] body = new byte[head.length + member.length + tail.length];
        System.arraycopy(head, 0, body, 0, head.length);
        System.arraycopy(member, 0, body, head.length, member.length);
        System.arraycopy(tail, 0, body, head.length + member.length, tail.length);
        Response answer = post(client, "/api/insurers/" + insurer + "/members/batch", body);
        Problems.assertProblem(answer, 400, "invalid-encoding");
        answer.then().body("violations[0].field", startsWith("members[1]"));
        assertThat(members(insurer)).isZero();
    }

    @Test
    void aRoleThatMayNotUseAnEndpointGetsA403WithACode() {
        Problems.assertProblem(given().auth().oauth2(Tokens.insurer(Fixtures.newClient())).get("/api/me/coverage"), 403, "forbidden");
    }

    @Test
    void routingAndValidationAnswersCarryCodes() {
        Problems.assertProblem(given().get("/api/no-such-thing"), 404, "not-found");
        String client = Fixtures.newClient();
        Response invalid = given().auth().oauth2(Tokens.insurer(client)).contentType("application/json").body(Map.of("name", List.of()))
                .post("/api/insurers");
        assertThat(invalid.statusCode()).isEqualTo(400);
        assertThat(invalid.contentType()).startsWith("application/problem+json");
        assertThat(invalid.jsonPath().getString("code")).isNotBlank();
    }
}
