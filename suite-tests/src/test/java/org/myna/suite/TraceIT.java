package org.myna.suite;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** A W3C trace started by a caller of the insurance service continues into the registry, and its logs say so. */
class TraceIT {

    static Api api;
    static Suite suite;

    @BeforeAll
    static void start() {
        suite = Suite.get();
        api = new Api(suite);
    }

    @Test
    void theCallersTraceIdReachesTheRegistrysLog() throws Exception {
        StringBuilder traceId = new StringBuilder();
        for (int i = 0; i < 32; i++) {
            traceId.append(Integer.toHexString(ThreadLocalRandom.current().nextInt(16)));
        }
        String insurer = Api.insurerNumber("06" + JourneyIT.digits(5));
        api.as(api.insurance(), "demo-insurer")
                .body(Map.of("insurerNumber", insurer, "name", "追跡健保", "corporateNumber", Api.corporateNumber(JourneyIT.digits(12))))
                .post("/api/insurers").then().statusCode(201);
        Map<String, Object> resident = new LinkedHashMap<>(Map.of("familyName", "追跡", "givenName", "一郎",
                "familyNameKana", "ツイセキ", "givenNameKana", "イチロウ", "dateOfBirth", "1970-01-01", "sex", "male",
                "address", JourneyIT.address()));
        String number = api.register(resident);
        Map<String, Object> member = new LinkedHashMap<>(resident);
        member.putAll(Map.of("symbol", "追" + JourneyIT.digits(3), "number", JourneyIT.digits(6), "branch", "01",
                "copayRate", 30, "coverageStart", "2020-04-01", "individualNumber", number));
        api.as(api.insurance(), "demo-insurer").header("traceparent", "00-" + traceId + "-00f067aa0ba902b7-01")
                .body(member).post("/api/insurers/" + insurer + "/members").then().statusCode(201);
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
                assertThat(Files.readString(suite.registry.log())).contains("traceId=" + traceId));
        assertThat(Files.readString(suite.insurance.log())).doesNotContain(number);
    }
}
