package org.myna.insurance.support;

import com.github.tomakehurst.wiremock.WireMockServer;
import io.restassured.http.ContentType;
import org.myna.insurance.insurer.CorporateNumber;
import org.myna.insurance.insurer.InsurerNumber;

import java.security.SecureRandom;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;

import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static io.restassured.RestAssured.given;

/** Valid numbers, insurers and members for tests, each one fresh so tests stay independent. */
public final class Fixtures {

    public static final String INSTITUTION = "1312345678";
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final AtomicInteger NEXT_INSURER = new AtomicInteger(RANDOM.nextInt(100_000));

    private Fixtures() {
    }

    public static String digits(int n) {
        StringBuilder b = new StringBuilder(n);
        for (int i = 0; i < n; i++) {
            b.append((char) ('0' + RANDOM.nextInt(10)));
        }
        return b.toString();
    }

    /**
     * A fresh insurer number. Drawn from a sequence, not at random: five free digits give 100,000 numbers, and a run
     * registers enough insurers that random draws collided (a 409 in an unrelated test).
     */
    public static String insurerNumber() {
        String base = "06" + String.format("%05d", NEXT_INSURER.getAndIncrement() % 100_000);
        return base + InsurerNumber.checkDigit(base);
    }

    public static String corporateNumber() {
        String base = digits(12);
        return CorporateNumber.checkDigit(base) + base;
    }

    /** A well-formed individual number (ordinance check digit), computed independently of the service. */
    public static String individualNumber() {
        String base = digits(11);
        int[] weights = {6, 5, 4, 3, 2, 7, 6, 5, 4, 3, 2};
        int sum = 0;
        for (int i = 0; i < 11; i++) {
            sum += (base.charAt(i) - '0') * weights[i];
        }
        int r = sum % 11;
        return base + (r <= 1 ? 0 : 11 - r);
    }

    public static String newClient() {
        return "insurer-" + UUID.randomUUID().toString().substring(0, 8);
    }

    /** Registers an insurer owned by the client; returns its number. */
    public static String insurer(String clientId) {
        for (int attempt = 0; ; attempt++) {
            String number = insurerNumber();
            int status = given().auth().oauth2(Tokens.insurer(clientId)).contentType(ContentType.JSON)
                    .body(Map.of("insurerNumber", number, "name", "テスト健康保険組合", "corporateNumber", corporateNumber()))
                    .post("/api/insurers").then().extract().statusCode();
            // 409: registered by an earlier start of the application on the same database (another test profile).
            if (status != 409 || attempt == 20) {
                org.assertj.core.api.Assertions.assertThat(status).as("POST /api/insurers").isEqualTo(201);
                return number;
            }
            NEXT_INSURER.addAndGet(RANDOM.nextInt(1_000));
        }
    }

    public static Map<String, Object> member(String family, String given) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("symbol", "記号" + digits(3));
        body.put("number", digits(6));
        body.put("branch", "01");
        body.put("copayRate", 30);
        body.put("coverageStart", "2020-04-01");
        body.put("familyName", family);
        body.put("givenName", given);
        body.put("familyNameKana", "ヤマダ");
        body.put("givenNameKana", "ハナコ");
        body.put("dateOfBirth", "1990-04-01");
        body.put("sex", "female");
        return body;
    }

    public static Map<String, Object> address() {
        return new LinkedHashMap<>(Map.of("postalCode", "100-0001", "prefecture", "東京都", "municipality", "千代田区", "line", "千代田1-1"));
    }

    /** Makes the fake registry link this number to a fresh link code; returns the code. */
    public static String registryLinks(WireMockServer registry, String individualNumber) {
        String code = UUID.randomUUID().toString().replace("-", "").substring(0, 22);
        registry.stubFor(post(urlEqualTo("/api/insurance-links"))
                .withRequestBody(matchingJsonPath("$.number", equalTo(individualNumber)))
                .willReturn(okJson("{\"linkCode\":\"" + code + "\"}")));
        return code;
    }

    public record Linked(String insurerNumber, String clientId, long memberId, String linkCode, Map<String, Object> body) {
    }

    /** An insurer, a member enrolled with the number, linked by the fake registry. */
    public static Linked linkedMember(WireMockServer registry, String family, String given) {
        String client = newClient();
        String insurer = insurer(client);
        String number = individualNumber();
        String code = registryLinks(registry, number);
        Map<String, Object> body = member(family, given);
        body.put("individualNumber", number);
        body.put("address", address());
        Number id = given().auth().oauth2(Tokens.insurer(client)).contentType(ContentType.JSON).body(body)
                .post("/api/insurers/" + insurer + "/members")
                .then().statusCode(201).extract().path("id");
        return new Linked(insurer, client, id.longValue(), code, body);
    }
}
