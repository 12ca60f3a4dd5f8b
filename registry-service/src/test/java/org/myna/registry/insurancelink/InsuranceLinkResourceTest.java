package org.myna.registry.insurancelink;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.ValidatableResponse;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.myna.registry.resident.IndividualNumber;
import org.myna.registry.support.Residents;
import org.myna.registry.support.Tokens;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Consumer;
import java.util.stream.Stream;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.startsWith;
import static org.hamcrest.Matchers.matchesPattern;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.nullValue;

@QuarkusTest
class InsuranceLinkResourceTest {

    static final String INSURANCE = "insurance-service";

    /** A resident with a unique kanji name; the link body starts as an exact copy of the registration. */
    static Map<String, Object> registered(String family, String given) {
        Map<String, Object> body = Residents.body(family, given, "ヤマダ", "ハナコ", "1990-04-01");
        String number = Residents.register(body);
        Map<String, Object> link = new LinkedHashMap<>(body);
        link.put("number", number);
        link.put("address", new LinkedHashMap<>((Map<?, ?>) body.get("address")));
        return link;
    }

    static String unique() {
        return "試" + UUID.randomUUID().toString().substring(0, 6);
    }

    static ValidatableResponse link(String client, Map<String, Object> body) {
        return given().auth().oauth2(Tokens.of(client)).contentType(ContentType.JSON).body(body)
                .post("/api/insurance-links").then();
    }

    @Test
    void linksOnFullMatchWithTheSameCodeOnRepeat() {
        Map<String, Object> body = registered(unique(), "花子");
        String first = link(INSURANCE, body).statusCode(200).body("linkCode", matchesPattern("[A-Za-z0-9_-]{22}"))
                .extract().path("linkCode");
        link(INSURANCE, body).statusCode(200).body("linkCode", equalTo(first));
    }

    @Test
    void matchesKanaWrittenInHiraganaHalfWidthOrWithSpacesAndAddressWithOtherSpacing() {
        Map<String, Object> body = registered(unique(), "花子");
        body.put("familyNameKana", "やまだ");
        body.put("givenNameKana", "ﾊﾅ ｺ");
        address(body).put("postalCode", "1000001");
        address(body).put("line", " 千代田1-1　");
        link(INSURANCE, body).statusCode(200);
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> address(Map<String, Object> body) {
        return (Map<String, Object>) body.get("address");
    }

    static Stream<Object[]> oneAttributeDiffers() {
        return Stream.of(
                new Object[]{"name", (Consumer<Map<String, Object>>) b -> b.put("givenName", "花代")},
                new Object[]{"name", (Consumer<Map<String, Object>>) b -> b.put("familyName", b.get("familyName") + "x")},
                new Object[]{"kana", (Consumer<Map<String, Object>>) b -> b.put("givenNameKana", "ハナヨ")},
                new Object[]{"dateOfBirth", (Consumer<Map<String, Object>>) b -> b.put("dateOfBirth", "1990-04-02")},
                new Object[]{"sex", (Consumer<Map<String, Object>>) b -> b.put("sex", "male")},
                new Object[]{"address", (Consumer<Map<String, Object>>) b -> address(b).put("line", "千代田1-2")},
                new Object[]{"address", (Consumer<Map<String, Object>>) b -> address(b).put("postalCode", "100-0002")},
                new Object[]{"address", (Consumer<Map<String, Object>>) b -> address(b).put("prefecture", "大阪府")},
                new Object[]{"address", (Consumer<Map<String, Object>>) b -> address(b).put("municipality", "中央区")});
    }

    @ParameterizedTest
    @MethodSource("oneAttributeDiffers")
    void refusesLinkWhenOneAttributeDiffersAndNamesOnlyThatGroup(String group, Consumer<Map<String, Object>> change) {
        Map<String, Object> body = registered(unique(), "花子");
        Map<String, Object> registeredCopy = new LinkedHashMap<>(body);
        change.accept(body);
        String problem = link(INSURANCE, body).statusCode(422)
                .contentType("application/problem+json")
                .body("code", equalTo("attributes-mismatch"))
                .body("mismatched", contains(group))
                .body("linkCode", nullValue())
                .extract().asString();
        assertNoRegistryValues(problem, registeredCopy, body);
    }

    /** Whatever the register holds and the caller did not send must not appear in the answer. */
    static void assertNoRegistryValues(String answer, Map<String, Object> registry, Map<String, Object> sent) {
        for (String field : List.of("familyName", "givenName", "familyNameKana", "givenNameKana", "dateOfBirth")) {
            if (!registry.get(field).equals(sent.get(field))) {
                assertThat(answer).doesNotContain((String) registry.get(field));
            }
        }
        assertThat(answer).doesNotContain("千代田1-1").doesNotContain("1000001").doesNotContain((String) registry.get("number"));
    }

    @Test
    void answersNoMatchWithoutGroupsWhenMostAttributesDiffer() {
        Map<String, Object> body = registered(unique(), "花子");
        body.put("givenName", "太郎");
        body.put("givenNameKana", "タロウ");
        body.put("sex", "male");
        link(INSURANCE, body).statusCode(422).body("code", equalTo("no-match")).body("mismatched", nullValue());
    }

    @Test
    void answersUnknownAndDeceasedNumbersExactlyLikeNoMatch() {
        Map<String, Object> dead = registered(unique(), "花子");
        given().auth().oauth2(Tokens.clerk()).contentType(ContentType.JSON).body(Map.of("number", dead.get("number"), "dateOfDeath", "2024-01-01"))
                .post("/api/residents/deaths").then().statusCode(200);
        String deceasedAnswer = link(INSURANCE, dead).statusCode(422).body("code", equalTo("no-match")).extract().asString();

        Map<String, Object> unknown = new LinkedHashMap<>(dead);
        unknown.put("number", unregisteredNumber());
        String unknownAnswer = link(INSURANCE, unknown).statusCode(422).body("code", equalTo("no-match")).extract().asString();
        assertThat(deceasedAnswer).isEqualTo(unknownAnswer);
    }

    static String unregisteredNumber() {
        // 11 digits from a UUID hash: collisions with the few hundred test residents are negligible.
        String base = String.format("%011d", Math.abs(UUID.randomUUID().getMostSignificantBits() % 100_000_000_000L));
        for (int d = 0; d <= 9; d++) {
            if (IndividualNumber.defectOf(base + d).isEmpty()) {
                return base + d;
            }
        }
        throw new IllegalStateException();
    }

    @Test
    void aNumberWithTwoAdjacentDigitsSwappedThatPassesTheCheckDigitLinksNobody() {
        // The check digit maps remainders 0 and 1 to 0, so some swaps survive it: register until one does.
        for (int attempt = 0; attempt < 300; attempt++) {
            Map<String, Object> body = registered(unique(), "花子");
            String number = (String) body.get("number");
            String swapped = survivingSwap(number);
            if (swapped == null) {
                continue;
            }
            assertThat(IndividualNumber.defectOf(swapped)).isEmpty();
            Map<String, Object> typo = new LinkedHashMap<>(body);
            typo.put("number", swapped);
            link(INSURANCE, typo).statusCode(422).body("linkCode", nullValue());
            return;
        }
        throw new AssertionError("no registered number had a check-digit-preserving swap");
    }

    static String survivingSwap(String number) {
        for (int i = 0; i < 11; i++) {
            char[] c = number.toCharArray();
            if (c[i] == c[i + 1]) {
                continue;
            }
            char t = c[i];
            c[i] = c[i + 1];
            c[i + 1] = t;
            String candidate = new String(c);
            if (IndividualNumber.defectOf(candidate).isEmpty()) {
                return candidate;
            }
        }
        return null;
    }

    @ParameterizedTest
    @CsvSource({"wallet-service", "demo-insurer", "demo-facility", "demo-clerk"})
    void refusesEveryClientButTheInsuranceService(String client) {
        Map<String, Object> body = registered(unique(), "花子");
        link(client, body).statusCode(403).body("linkCode", nullValue());
        given().auth().oauth2(Tokens.of(client)).contentType(ContentType.JSON)
                .body(verifyBody("whatever", body)).post("/api/insurance-links/verify").then().statusCode(403);
    }

    @Test
    void refusesMalformedNumberWithoutEchoingIt() {
        Map<String, Object> body = registered(unique(), "花子");
        String number = (String) body.get("number");
        String bad = number.substring(0, 11) + (char) ('0' + ((number.charAt(11) - '0' + 1) % 10));
        body.put("number", bad);
        String answer = link(INSURANCE, body).statusCode(400).body("code", equalTo("invalid-number")).extract().asString();
        assertThat(answer).doesNotContain(bad);
        body.put("number", "12345");
        link(INSURANCE, body).statusCode(400).body("code", equalTo("invalid-number"));
    }

    static Stream<String[]> exoticNames() {
        return Stream.of(
                new String[]{"髙橋", "高橋"},
                new String[]{"山﨑", "山崎"},
                new String[]{"𠮷野", "吉野"},
                new String[]{"葛\uDB40\uDD00城", "葛城"});
    }

    @ParameterizedTest
    @MethodSource("exoticNames")
    void matchesExoticNamesExactlyAndRefusesTheirVariants(String name, String variant) {
        String given = unique();
        Map<String, Object> body = registered(name, given);
        link(INSURANCE, body).statusCode(200);
        body.put("familyName", variant);
        link(INSURANCE, body).statusCode(422).body("mismatched", contains("name"))
                .body(not(containsString(name)));
    }

    static Map<String, Object> verifyBody(String linkCode, Map<String, Object> body) {
        Map<String, Object> verify = new LinkedHashMap<>();
        verify.put("linkCode", linkCode);
        for (String f : List.of("familyName", "givenName", "familyNameKana", "givenNameKana", "dateOfBirth", "sex")) {
            verify.put(f, body.get(f));
        }
        return verify;
    }

    static ValidatableResponse verify(Map<String, Object> body) {
        return given().auth().oauth2(Tokens.of(INSURANCE)).contentType(ContentType.JSON).body(body)
                .post("/api/insurance-links/verify").then();
    }

    @Test
    void verifiesLinksForReconciliation() {
        Map<String, Object> body = registered(unique(), "花子");
        String code = link(INSURANCE, body).statusCode(200).extract().path("linkCode");
        verify(verifyBody(code, body)).statusCode(200).body("status", equalTo("match"));

        Map<String, Object> stale = verifyBody(code, body);
        stale.put("familyName", "別姓");
        verify(stale).statusCode(200).body("status", equalTo("mismatch")).body("mismatched", contains("name"))
                .body(not(containsString((String) body.get("familyName"))));

        verify(verifyBody("AAAAAAAAAAAAAAAAAAAAAA", body)).statusCode(200).body("status", equalTo("unknown"));

        given().auth().oauth2(Tokens.clerk()).contentType(ContentType.JSON).body(Map.of("number", body.get("number"), "dateOfDeath", "2024-01-01"))
                .post("/api/residents/deaths").then().statusCode(200);
        verify(verifyBody(code, body)).statusCode(200).body("status", equalTo("deceased"));
    }

    @Test
    @SuppressWarnings("unchecked")
    void verifiesAPageOfLinksInOneCallWithOneAnswerEachInOrder() {
        Map<String, Object> same = registered(unique(), "花子");
        Map<String, Object> renamed = registered(unique(), "太郎");
        Map<String, Object> died = registered(unique(), "次郎");
        String sameCode = link(INSURANCE, same).statusCode(200).extract().path("linkCode");
        String renamedCode = link(INSURANCE, renamed).statusCode(200).extract().path("linkCode");
        String diedCode = link(INSURANCE, died).statusCode(200).extract().path("linkCode");
        given().auth().oauth2(Tokens.clerk()).contentType(ContentType.JSON).body(Map.of("number", died.get("number"), "dateOfDeath", "2024-01-01"))
                .post("/api/residents/deaths").then().statusCode(200);
        Map<String, Object> stale = verifyBody(renamedCode, renamed);
        stale.put("givenName", "別名");
        List<Map<String, Object>> page = List.of(verifyBody(sameCode, same), stale, verifyBody("AAAAAAAAAAAAAAAAAAAAAA", same),
                verifyBody(diedCode, died), verifyBody(sameCode, same));
        String answer = given().auth().oauth2(Tokens.of(INSURANCE)).contentType(ContentType.JSON).body(Map.of("links", page))
                .post("/api/insurance-links/verifications").then().statusCode(200)
                .body("results.linkCode", contains(sameCode, renamedCode, "AAAAAAAAAAAAAAAAAAAAAA", diedCode, sameCode))
                .body("results.status", contains("match", "mismatch", "unknown", "deceased", "match"))
                .body("results[1].mismatched", contains("name"))
                .extract().asString();
        assertThat(answer).doesNotContain((String) renamed.get("givenName")).doesNotContain((String) same.get("number"));

        // The same refusals as one at a time: another service, an empty or oversize page, an invalid entry.
        given().auth().oauth2(Tokens.of("wallet-service")).contentType(ContentType.JSON).body(Map.of("links", page))
                .post("/api/insurance-links/verifications").then().statusCode(403);
        given().auth().oauth2(Tokens.of(INSURANCE)).contentType(ContentType.JSON).body(Map.of("links", List.of()))
                .post("/api/insurance-links/verifications").then().statusCode(400);
        List<Map<String, Object>> tooMany = java.util.Collections.nCopies(501, verifyBody(sameCode, same));
        given().auth().oauth2(Tokens.of(INSURANCE)).contentType(ContentType.JSON).body(Map.of("links", tooMany))
                .post("/api/insurance-links/verifications").then().statusCode(400);
        Map<String, Object> noSex = verifyBody(sameCode, same);
        noSex.remove("sex");
        given().auth().oauth2(Tokens.of(INSURANCE)).contentType(ContentType.JSON).body(Map.of("links", List.of(noSex)))
                .post("/api/insurance-links/verifications").then().statusCode(400).contentType(startsWith("application/problem+json"));
    }

    static ValidatableResponse linkBatch(String client, List<Map<String, Object>> page) {
        return given().auth().oauth2(Tokens.of(client)).contentType(ContentType.JSON).body(Map.of("links", page))
                .post("/api/insurance-links/batch").then();
    }

    @Test
    void linksAPageOfMembersWithOneAnswerEachJudgedAsSingleLinksAre() {
        Map<String, Object> match = registered(unique(), "花子");
        Map<String, Object> kanaDiffers = registered(unique(), "太郎");
        kanaDiffers.put("givenNameKana", "ジロウ");
        Map<String, Object> dead = registered(unique(), "次郎");
        given().auth().oauth2(Tokens.clerk()).contentType(ContentType.JSON).body(Map.of("number", dead.get("number"), "dateOfDeath", "2024-01-01"))
                .post("/api/residents/deaths").then().statusCode(200);
        Map<String, Object> unknown = new LinkedHashMap<>(match);
        unknown.put("number", unregisteredNumber());
        Map<String, Object> badCheckDigit = new LinkedHashMap<>(match);
        String n = (String) match.get("number");
        badCheckDigit.put("number", n.substring(0, 11) + (char) ('0' + (n.charAt(11) - '0' + 1) % 10));
        Map<String, Object> alreadyLinked = registered(unique(), "三郎");
        String earlier = link(INSURANCE, alreadyLinked).statusCode(200).extract().path("linkCode");

        String answer = linkBatch(INSURANCE, List.of(match, kanaDiffers, dead, unknown, badCheckDigit, alreadyLinked, match))
                .statusCode(200)
                .body("results.outcome", contains("linked", "attributes-mismatch", "no-match", "no-match", "invalid-number", "linked", "linked"))
                .body("results[1].mismatched", contains("kana"))
                .body("results[4].defect", equalTo("check-digit"))
                .body("results[5].linkCode", equalTo(earlier))
                .extract().asString();
        String code = io.restassured.path.json.JsonPath.from(answer).getString("results[0].linkCode");
        assertThat(code).matches("[A-Za-z0-9_-]{22}");
        assertThat(io.restassured.path.json.JsonPath.from(answer).getString("results[6].linkCode")).isEqualTo(code);
        // A later single link of the same person gets the batch's code; answers never echo a number or a name.
        link(INSURANCE, match).statusCode(200).body("linkCode", equalTo(code));
        assertThat(answer).doesNotContain(n).doesNotContain((String) match.get("familyName")).doesNotContain("タロウ");
        // The resident's access log shows the link and the refused attempt, like single links.
        assertThat(io.quarkus.narayana.jta.QuarkusTransaction.requiringNew().call(() ->
                org.myna.registry.accesslog.AccessLogEntry.count("purpose", "insurance-link-refused"))).isPositive();

        // Refusals: another service, an empty or oversize page, an entry without its address.
        linkBatch("wallet-service", List.of(match)).statusCode(403);
        linkBatch(INSURANCE, List.of()).statusCode(400);
        linkBatch(INSURANCE, java.util.Collections.nCopies(501, match)).statusCode(400);
        Map<String, Object> noAddress = new LinkedHashMap<>(match);
        noAddress.remove("address");
        linkBatch(INSURANCE, List.of(noAddress)).statusCode(400).contentType(startsWith("application/problem+json"));
    }

    @Test
    void concurrentPagesLinkingTheSamePeopleAgreeOnOneCodePerPerson() throws Exception {
        List<Map<String, Object>> people = new java.util.ArrayList<>();
        for (int i = 0; i < 5; i++) {
            people.add(registered(unique(), "花子"));
        }
        int pages = 8;
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(pages);
        try {
            java.util.concurrent.CountDownLatch start = new java.util.concurrent.CountDownLatch(1);
            List<java.util.concurrent.Future<List<String>>> answers = new java.util.ArrayList<>();
            for (int p = 0; p < pages; p++) {
                answers.add(pool.submit(() -> {
                    start.await();
                    return linkBatch(INSURANCE, people).statusCode(200).extract().<List<String>>path("results.linkCode");
                }));
            }
            start.countDown();
            List<String> first = answers.get(0).get();
            assertThat(first).doesNotContainNull().doesNotHaveDuplicates();
            for (java.util.concurrent.Future<List<String>> a : answers) {
                assertThat(a.get()).isEqualTo(first);
            }
            // A single link afterwards agrees too: one code per person for the insurance audience.
            link(INSURANCE, people.get(2)).statusCode(200).body("linkCode", equalTo(first.get(2)));
        } finally {
            pool.shutdownNow();
        }
    }
}
