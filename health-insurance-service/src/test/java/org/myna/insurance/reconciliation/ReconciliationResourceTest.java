package org.myna.insurance.reconciliation;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.WireMock;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;
import org.myna.insurance.support.Fixtures;
import org.myna.insurance.support.InjectRegistryMock;
import org.myna.insurance.support.RegistryMock;
import org.myna.insurance.support.Tokens;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;

@QuarkusTest
@QuarkusTestResource(RegistryMock.class)
class ReconciliationResourceTest {

    @InjectRegistryMock
    WireMockServer registry;

    void registrySays(String linkCode, String answer) {
        RegistryMock.verificationAnswer(linkCode, answer);
    }

    @Test
    @SuppressWarnings("unchecked")
    void reportsMembersWhoseRegistryRecordNoLongerMatches() {
        Fixtures.Linked renamed = Fixtures.linkedMember(registry, "山田", "花子");
        Fixtures.Linked dead = Fixtures.linkedMember(registry, "髙橋", "一郎");
        Fixtures.Linked fine = Fixtures.linkedMember(registry, "山﨑", "二郎");
        registrySays(renamed.linkCode(), "{\"status\":\"mismatch\",\"mismatched\":[\"name\"]}");
        registrySays(dead.linkCode(), "{\"status\":\"deceased\",\"mismatched\":[]}");

        Number id = given().auth().oauth2(Tokens.auditor()).post("/api/reconciliations")
                .then().statusCode(202).body("status", equalTo("running")).extract().path("id");
        await().atMost(Duration.ofSeconds(30)).until(() -> !"running".equals(
                given().auth().oauth2(Tokens.auditor()).get("/api/reconciliations/" + id).then().extract().path("status")));

        Map<String, Object> run = given().auth().oauth2(Tokens.auditor()).get("/api/reconciliations/" + id)
                .then().statusCode(200).body("status", equalTo("finished")).extract().as(Map.class);
        List<Map<String, Object>> findings = (List<Map<String, Object>>) run.get("findings");
        assertThat(findings).anySatisfy(f -> {
            assertThat(((Number) f.get("memberId")).longValue()).isEqualTo(renamed.memberId());
            assertThat(f.get("status")).isEqualTo("mismatch");
            assertThat(f.get("mismatched")).isEqualTo(List.of("name"));
        });
        assertThat(findings).anySatisfy(f -> {
            assertThat(((Number) f.get("memberId")).longValue()).isEqualTo(dead.memberId());
            assertThat(f.get("status")).isEqualTo("deceased");
        });
        assertThat(findings).noneSatisfy(f -> assertThat(((Number) f.get("memberId")).longValue()).isEqualTo(fine.memberId()));
        assertThat(((Number) run.get("checked")).longValue()).isGreaterThanOrEqualTo(3);
    }

    @Test
    void onlyAuditorsReconcile() {
        given().auth().oauth2(Tokens.facility()).post("/api/reconciliations").then().statusCode(403);
        given().auth().oauth2(Tokens.auditor()).get("/api/reconciliations/999999999").then().statusCode(404);
    }
}
