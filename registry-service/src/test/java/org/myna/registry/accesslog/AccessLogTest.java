package org.myna.registry.accesslog;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import org.junit.jupiter.api.Test;
import org.myna.registry.support.CardFlow;
import org.myna.registry.support.Tokens;

import java.nio.charset.StandardCharsets;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.everyItem;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.startsWith;

@QuarkusTest
class AccessLogTest {

    /** Outbox row ids: distinct per test run, as a service's identity column would hand them out. */
    static final AtomicLong IDS = new AtomicLong(System.currentTimeMillis() * 1000);
    static final Pattern NEXT = Pattern.compile("<([^>]+)>; rel=\"next\"");

    record Holder(CardFlow.Issued issued, String insuranceCode, String token) {
    }

    static Holder holder() {
        CardFlow.Issued issued = CardFlow.newHolder();
        String code = given().auth().oauth2(Tokens.of("insurance-service")).contentType(ContentType.JSON)
                .body(Map.of("certificate", issued.authCertificate())).post("/api/certificates/holder-link")
                .then().statusCode(200).extract().path("linkCode");
        return new Holder(issued, code, CardFlow.login(issued.card(), "registry"));
    }

    static Map<String, Object> entry(long id, String linkCode, String client, String role, String purpose, OffsetDateTime at) {
        Map<String, Object> e = new HashMap<>();
        e.put("id", id);
        e.put("linkCode", linkCode);
        e.put("clientId", client);
        e.put("role", role);
        e.put("action", "read");
        e.put("purpose", purpose);
        e.put("fields", "coverage,name,insurer");
        e.put("at", at.toString());
        return e;
    }

    static Response deliver(String service, List<Map<String, Object>> entries) {
        return given().auth().oauth2(Tokens.of(service)).contentType(ContentType.JSON).body(Map.of("entries", entries))
                .post("/api/access-log/entries");
    }

    static OffsetDateTime now() {
        return OffsetDateTime.now(ZoneOffset.ofHours(9));
    }

    @Test
    void aClinicsCheckDeliveredByTheInsuranceServiceNamesTheClinicAndARedeliveryAddsNothing() {
        Holder h = holder();
        List<Map<String, Object>> batch = List.of(
                entry(IDS.incrementAndGet(), h.insuranceCode(), "demo-facility", "facility", "eligibility-check:card", now()),
                entry(IDS.incrementAndGet(), h.insuranceCode(), "demo-facility", "facility", "eligibility-check:certificate", now()));
        deliver("insurance-service", batch).then().statusCode(200)
                .body("recorded", equalTo(2)).body("duplicates", equalTo(0));
        deliver("insurance-service", batch).then().statusCode(200)
                .body("recorded", equalTo(0)).body("duplicates", equalTo(2));
        given().auth().oauth2(h.token()).queryParam("organisation", "demo-facility").get("/api/me/access-log")
                .then().statusCode(200).body("", hasSize(2))
                .body("who", everyItem(equalTo("demo-facility")))
                .body("organisation", everyItem(equalTo("デモクリニック")))
                .body("role", everyItem(equalTo("facility")))
                .body("purpose", everyItem(startsWith("eligibility-check:")));
        // the purpose filter matches the part before ':'
        given().auth().oauth2(h.token()).queryParam("purpose", "eligibility-check").get("/api/me/access-log")
                .then().statusCode(200).body("", hasSize(2));
        given().auth().oauth2(h.token()).queryParam("purpose", "eligibility-check:card").get("/api/me/access-log")
                .then().statusCode(200).body("", hasSize(1));
        // how late rows arrive is measured per delivering service
        assertThat(given().get("/q/metrics").then().statusCode(200).extract().asString())
                .contains("access_log_ingest_lateness_seconds_count{source=\"insurance-service\"}");
    }

    @Test
    void oneBatchDeliveredFourTimesAtOnceIsRecordedOnce() throws Exception {
        Holder h = holder();
        List<Map<String, Object>> batch = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            batch.add(entry(IDS.incrementAndGet(), h.insuranceCode(), "demo-facility", "facility", "eligibility-check:race" + i, now()));
        }
        java.util.concurrent.CyclicBarrier start = new java.util.concurrent.CyclicBarrier(4);
        List<CompletableFuture<Integer>> tries = new ArrayList<>();
        for (int t = 0; t < 4; t++) {
            tries.add(CompletableFuture.supplyAsync(() -> {
                try {
                    start.await();
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
                return deliver("insurance-service", batch).then().statusCode(200).extract().<Integer>path("recorded");
            }));
        }
        int recorded = 0;
        for (CompletableFuture<Integer> t : tries) {
            recorded += t.get();
        }
        assertThat(recorded).isEqualTo(20);
        given().auth().oauth2(h.token()).queryParam("purpose", "eligibility-check").queryParam("limit", 500).get("/api/me/access-log")
                .then().statusCode(200).body("", hasSize(20));
    }

    @Test
    void aServiceSpeaksOnlyInItsOwnAudiencesLinkCodesAndOnlyServicesDeliver() {
        Holder h = holder();
        // The wallet cannot put a row into the log of the person behind an insurance code.
        deliver("wallet-service", List.of(entry(IDS.incrementAndGet(), h.insuranceCode(), "demo-payment", "payment-provider", "charge", now())))
                .then().statusCode(200).body("recorded", equalTo(0)).body("unknownLinkCodes", equalTo(1));
        for (String client : new String[]{"demo-clerk", "demo-facility", "demo-auditor"}) {
            given().auth().oauth2(Tokens.of(client)).contentType(ContentType.JSON)
                    .body(Map.of("entries", List.of(entry(IDS.incrementAndGet(), h.insuranceCode(), "demo-facility", "facility", "x", now()))))
                    .post("/api/access-log/entries").then().statusCode(403);
        }
        given().auth().oauth2(h.token()).queryParam("organisation", "demo-payment").get("/api/me/access-log")
                .then().statusCode(200).body("", hasSize(0));
        given().auth().oauth2(h.token()).queryParam("organisation", "demo-facility").get("/api/me/access-log")
                .then().statusCode(200).body("", hasSize(0));
    }

    @Test
    void malformedBatchesAreRefusedWholeAndRecordNothing() {
        Holder h = holder();
        Map<String, Object> good = entry(IDS.incrementAndGet(), h.insuranceCode(), "demo-facility", "facility", "eligibility-check:card", now());
        Map<String, Object> bad = new HashMap<>(entry(IDS.incrementAndGet(), h.insuranceCode(), "demo-facility", "facility", "x", now()));
        bad.put("action", "delete");
        deliver("insurance-service", List.of(good, bad)).then().statusCode(400).contentType("application/problem+json");
        Map<String, Object> noCode = new HashMap<>(good);
        noCode.remove("linkCode");
        deliver("insurance-service", List.of(noCode)).then().statusCode(400).contentType("application/problem+json");
        List<Map<String, Object>> tooMany = new ArrayList<>();
        for (int i = 0; i <= AccessLogIngest.MAX_BATCH; i++) {
            tooMany.add(entry(IDS.incrementAndGet(), h.insuranceCode(), "demo-facility", "facility", "eligibility-check:card", now()));
        }
        deliver("insurance-service", tooMany).then().statusCode(400).contentType("application/problem+json");
        given().auth().oauth2(Tokens.of("insurance-service")).contentType(ContentType.JSON).body("{\"entries\":[{\"id\":\"x\"}]}")
                .post("/api/access-log/entries").then().statusCode(400).contentType("application/problem+json");
        given().auth().oauth2(h.token()).queryParam("organisation", "demo-facility").get("/api/me/access-log")
                .then().statusCode(200).body("", hasSize(0));
    }

    @Test
    void aResidentSeesOnlyTheirOwnRowsWhateverTheFilterOrCursor() {
        Holder a = holder();
        Holder b = holder();
        List<Map<String, Object>> rows = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            rows.add(entry(IDS.incrementAndGet(), a.insuranceCode(), "demo-facility", "facility", "eligibility-check:card", now().minusMinutes(i)));
        }
        deliver("insurance-service", rows).then().statusCode(200).body("recorded", equalTo(5));
        Response first = given().auth().oauth2(a.token()).queryParam("organisation", "demo-facility").queryParam("limit", 2)
                .get("/api/me/access-log");
        first.then().statusCode(200).body("", hasSize(2));
        String cursor = cursorOf(first);
        assertThat(cursor).isNotNull();
        // b, with a's cursor and a's filter, sees none of a's rows
        given().auth().oauth2(b.token()).queryParam("organisation", "demo-facility").queryParam("cursor", cursor)
                .get("/api/me/access-log").then().statusCode(200).body("", hasSize(0));
        given().auth().oauth2(b.token()).get("/api/me/access-log").then().statusCode(200)
                .body("who", everyItem(org.hamcrest.Matchers.not(equalTo("demo-facility"))));
    }

    @Test
    void pagesLoseAndRepeatNothingWhileRowsArriveConcurrently() throws Exception {
        Holder h = holder();
        List<Map<String, Object>> initial = new ArrayList<>();
        OffsetDateTime base = now().minusHours(1);
        for (int i = 0; i < 60; i++) {
            // several rows share one instant: the id breaks the tie
            initial.add(entry(IDS.incrementAndGet(), h.insuranceCode(), "demo-facility", "facility", "eligibility-check:n" + i,
                    base.plusSeconds(i / 3)));
        }
        deliver("insurance-service", initial).then().statusCode(200).body("recorded", equalTo(60));
        // While the resident pages, more rows arrive, some older than the pages already read, some newer.
        CompletableFuture<Void> arrivals = CompletableFuture.runAsync(() -> {
            for (int batch = 0; batch < 8; batch++) {
                List<Map<String, Object>> more = new ArrayList<>();
                for (int i = 0; i < 5; i++) {
                    int n = 100 + batch * 5 + i;
                    more.add(entry(IDS.incrementAndGet(), h.insuranceCode(), "demo-facility", "facility", "eligibility-check:n" + n,
                            n % 2 == 0 ? base.plusSeconds(n % 20) : now()));
                }
                deliver("insurance-service", more).then().statusCode(200);
            }
        });
        List<String> seen = new ArrayList<>();
        String next = "/api/me/access-log?organisation=demo-facility&limit=7";
        int pages = 0;
        while (next != null) {
            Response page = given().auth().oauth2(h.token()).urlEncodingEnabled(false).get(next);
            page.then().statusCode(200);
            seen.addAll(page.jsonPath().getList("purpose", String.class));
            next = nextOf(page);
            if (next != null) {
                // The next page's URL holds only the filters and an opaque cursor: no number, link code or resident id.
                assertThat(java.net.URI.create(next).getPath()).isEqualTo("/api/me/access-log");
                assertThat(java.net.URI.create(next).getRawQuery().split("&")).extracting(p -> p.substring(0, p.indexOf('=')))
                        .containsExactlyInAnyOrder("organisation", "limit", "cursor");
                assertThat(next).doesNotContain(h.insuranceCode()).doesNotContain(h.issued().number());
            }
            pages++;
            assertThat(pages).isLessThan(100);
        }
        arrivals.get();
        assertThat(new HashSet<>(seen)).as("no row twice").hasSize(seen.size());
        Set<String> expected = new HashSet<>();
        for (int i = 0; i < 60; i++) {
            expected.add("eligibility-check:n" + i);
        }
        assertThat(seen).as("every row present before paging began").containsAll(expected);
        assertThat(pages).isGreaterThanOrEqualTo(9);
    }

    @Test
    void badCursorsAndFiltersAreProblemsWithStableCodes() {
        Holder h = holder();
        String forged = Base64.getUrlEncoder().withoutPadding().encodeToString("2.1.2.3".getBytes(StandardCharsets.US_ASCII));
        Map<String, String[]> cases = new java.util.LinkedHashMap<>();
        cases.put("invalid-cursor", new String[]{"cursor", "not a cursor!"});
        cases.put("invalid-cursor ", new String[]{"cursor", forged});
        cases.put("invalid-period", new String[]{"from", "yesterday"});
        cases.put("invalid-limit", new String[]{"limit", "0"});
        cases.put("invalid-limit ", new String[]{"limit", "501"});
        cases.put("invalid-limit  ", new String[]{"limit", "ten"});
        cases.put("invalid-organisation", new String[]{"organisation", "demo facility"});
        cases.put("invalid-purpose", new String[]{"purpose", "eligibility%"});
        cases.forEach((code, param) -> given().auth().oauth2(h.token()).queryParam(param[0], param[1]).get("/api/me/access-log")
                .then().statusCode(400).contentType("application/problem+json").body("code", equalTo(code.strip())));
        given().auth().oauth2(h.token()).queryParam("from", "2026-05-01T00:00:00+09:00").queryParam("to", "2026-04-01T00:00:00+09:00")
                .get("/api/me/access-log").then().statusCode(400).body("code", equalTo("invalid-period"));
        given().auth().oauth2(Tokens.clerk()).get("/api/me/access-log").then().statusCode(403);
    }

    @Test
    void anAuditorExportsOneOrganisationsReadsOverAPeriodWithoutNumbersOrCodes() {
        Holder a = holder();
        Holder b = holder();
        OffsetDateTime at = now().minusMinutes(30);
        deliver("insurance-service", List.of(
                entry(IDS.incrementAndGet(), a.insuranceCode(), "demo-facility", "facility", "eligibility-check:card", at),
                entry(IDS.incrementAndGet(), b.insuranceCode(), "demo-facility", "facility", "eligibility-check:number", at.plusSeconds(1)),
                entry(IDS.incrementAndGet(), b.insuranceCode(), "demo-insurer", "insurer", "member-read", at.plusSeconds(2))))
                .then().statusCode(200).body("recorded", equalTo(3));
        String from = at.minusSeconds(1).toString();
        String to = at.plusSeconds(10).toString();
        List<Map<String, Object>> rows = new ArrayList<>();
        String next = null;
        Response page = given().auth().oauth2(Tokens.auditor()).queryParam("organisation", "demo-facility")
                .queryParam("from", from).queryParam("to", to).queryParam("limit", 1).get("/api/access-log");
        while (true) {
            page.then().statusCode(200);
            String body = page.asString();
            assertThat(body).doesNotContain(a.issued().number()).doesNotContain(b.issued().number())
                    .doesNotContain(a.insuranceCode()).doesNotContain(b.insuranceCode());
            rows.addAll(page.jsonPath().getList(""));
            next = nextOf(page);
            if (next == null) {
                break;
            }
            page = given().auth().oauth2(Tokens.auditor()).urlEncodingEnabled(false).get(next);
        }
        // Only this period's rows of this organisation (other tests' rows for demo-facility lie outside it or belong
        // to other residents: keep the two we delivered).
        List<Map<String, Object>> ours = rows.stream().filter(r -> r.get("purpose").toString().matches("eligibility-check:(card|number)")).toList();
        assertThat(ours).extracting(r -> r.get("who")).containsOnly("demo-facility");
        assertThat(rows).extracting(r -> r.get("who")).containsOnly("demo-facility");
        Set<Object> subjects = new HashSet<>();
        ours.forEach(r -> subjects.add(r.get("subject")));
        assertThat(subjects).hasSizeGreaterThanOrEqualTo(2).doesNotContainNull();
        // the export itself is a read the residents see
        given().auth().oauth2(a.token()).queryParam("purpose", "access-log-export").get("/api/me/access-log")
                .then().statusCode(200).body("who", everyItem(equalTo("demo-auditor")))
                .body("purpose", everyItem(equalTo("access-log-export:demo-facility")));
        // only auditors, only with an organisation and a period
        given().auth().oauth2(Tokens.clerk()).queryParam("organisation", "demo-facility").queryParam("from", from).queryParam("to", to)
                .get("/api/access-log").then().statusCode(403);
        given().auth().oauth2(Tokens.auditor()).queryParam("organisation", "demo-facility").get("/api/access-log")
                .then().statusCode(400).contentType("application/problem+json").body("code", equalTo("export-period-required"));
    }

    static String nextOf(Response response) {
        String link = response.header("Link");
        if (link == null) {
            return null;
        }
        Matcher m = NEXT.matcher(link);
        assertThat(m.find()).as(link).isTrue();
        return m.group(1);
    }

    static String cursorOf(Response response) {
        String next = nextOf(response);
        Matcher m = Pattern.compile("[?&]cursor=([^&]+)").matcher(next);
        return m.find() ? m.group(1) : null;
    }
}
