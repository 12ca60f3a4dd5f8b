package org.myna.registry.resident;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;
import org.myna.registry.support.Residents;
import org.myna.registry.support.Tokens;

import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Each rule of a resident record, broken alone in a batch: the record is rejected with the reason the batch always
 * gave (field and message, exactly), and the records at the edge of each rule are created. This pins the import's
 * per-record answers across changes to how a record is read and checked (the fast path of PlainRecordReader): it
 * passed on the code before that path existed.
 */
@QuarkusTest
class BatchRecordRulesTest {

    static final String INVALID = "is not a valid resident record";

    @Inject
    ResidentService residents;

    @SuppressWarnings("unchecked")
    static Map<String, Object> resident(Consumer<Map<String, Object>> change) {
        Map<String, Object> body = Residents.body("規則", "太郎", "キソク", "タロウ", "1970-03-03");
        body.put("address", new LinkedHashMap<>((Map<String, Object>) body.get("address")));
        change.accept(body);
        return body;
    }

    @SuppressWarnings("unchecked")
    static Consumer<Map<String, Object>> address(String field, Object value) {
        return body -> ((Map<String, Object>) body.get("address")).put(field, value);
    }

    static Consumer<Map<String, Object>> set(String field, Object value) {
        return body -> body.put(field, value);
    }

    record Case(String ref, Object resident, Set<String> violations) {
    }

    static Case rejected(String ref, Consumer<Map<String, Object>> change, String... violations) {
        return new Case(ref, resident(change), Set.of(violations));
    }

    static Case created(String ref, Consumer<Map<String, Object>> change) {
        return new Case(ref, resident(change), null);
    }

    @Test
    void everyBrokenRuleIsRejectedWithItsReasonAndTheEdgesOfEachRuleAreCreated() {
        String yesterday = LocalDate.now(ZoneOffset.UTC).minusDays(1).toString();
        List<Case> cases = List.of(
                rejected("family-empty", set("familyName", ""), "resident.familyName: must not be blank",
                        "resident.familyName: " + RegisterResidentRequest.NAME_MESSAGE),
                rejected("family-spaces", set("familyName", "   "), "resident.familyName: must not be blank"),
                rejected("family-long", set("familyName", "長".repeat(51)), "resident.familyName: size must be between 0 and 50"),
                rejected("family-control", set("familyName", "山\u0001田"), "resident.familyName: " + RegisterResidentRequest.NAME_MESSAGE),
                rejected("family-del", set("familyName", "山\u007F田"), "resident.familyName: " + RegisterResidentRequest.NAME_MESSAGE),
                rejected("family-placeholder", set("familyName", "山●"), "resident.familyName: " + RegisterResidentRequest.NAME_MESSAGE),
                rejected("given-null", set("givenName", null), "resident.givenName: must not be blank"),
                rejected("given-number", set("givenName", 7), "resident: " + INVALID),
                rejected("kana-latin", set("familyNameKana", "Kisoku"), "resident.familyNameKana: " + RegisterResidentRequest.KANA_MESSAGE),
                rejected("kana-kanji", set("givenNameKana", "太郎"), "resident.givenNameKana: " + RegisterResidentRequest.KANA_MESSAGE),
                rejected("kana-long", set("givenNameKana", "タ".repeat(101)), "resident.givenNameKana: size must be between 0 and 100"),
                rejected("kana-ideographic-space", set("givenNameKana", "　"), "resident.givenNameKana: must not be blank"),
                rejected("born-1869", set("dateOfBirth", "1869-12-31"), "resident.dateOfBirth: must be a possible date of birth (1870 or later)"),
                rejected("born-future", set("dateOfBirth", "2999-01-01"), "resident.dateOfBirth: must be a date in the past or in the present"),
                rejected("born-missing", body -> body.remove("dateOfBirth"), "resident.dateOfBirth: must not be null"),
                rejected("born-short", set("dateOfBirth", "1970-3-03"), "resident: " + INVALID),
                rejected("born-feb-30", set("dateOfBirth", "1970-02-30"), "resident: " + INVALID),
                rejected("born-slashes", set("dateOfBirth", "1970/03/03"), "resident: " + INVALID),
                rejected("sex-other", set("sex", "other"), "resident.sex: must be male or female"),
                rejected("sex-upper", set("sex", "MALE"), "resident.sex: must be male or female"),
                rejected("sex-missing", body -> body.remove("sex"), "resident.sex: must not be null"),
                rejected("postal-long", address("postalCode", "100-00011"), "resident.address.postalCode: must be 7 digits, optionally as 123-4567"),
                rejected("postal-fullwidth", address("postalCode", "１００-０００１"), "resident.address.postalCode: must be 7 digits, optionally as 123-4567"),
                rejected("postal-hyphen-late", address("postalCode", "1000-001"), "resident.address.postalCode: must be 7 digits, optionally as 123-4567"),
                rejected("prefecture-short", address("prefecture", "東京"), "resident.address.prefecture: must be one of the 47 prefectures, e.g. 東京都"),
                rejected("prefecture-null", address("prefecture", null), "resident.address.prefecture: must not be null"),
                rejected("municipality-empty", address("municipality", ""), "resident.address.municipality: must not be blank"),
                rejected("municipality-long", address("municipality", "区".repeat(101)), "resident.address.municipality: size must be between 0 and 100"),
                rejected("line-long", address("line", "1".repeat(201)), "resident.address.line: size must be between 0 and 200"),
                rejected("line-newline", address("line", "1-1\n2"), "resident.address.line: must not contain control characters"),
                rejected("address-missing", body -> body.remove("address"), "resident.address: must not be null"),
                rejected("address-extra", address("building", "A"), "resident: " + INVALID),
                rejected("address-text", set("address", "東京都千代田区"), "resident: " + INVALID),
                rejected("resident-extra", set("nickname", "タロ"), "resident: " + INVALID),
                new Case("resident-null", null, Set.of("resident: must not be null")),
                new Case("resident-array", List.of(), Set.of("resident: " + INVALID)),
                created("edge-family-50", set("familyName", "𠮷".repeat(25))),
                created("edge-kana-ranges", set("familyNameKana", "ぁゖゝゟァヺヽヿㇰㇿ㋐㋾㌀㍗ｦｯｱﾝー・ 　")),
                created("edge-kana-100", set("givenNameKana", "ﾀ".repeat(100))),
                created("edge-backslash", set("givenName", "a\\b\"c")),
                created("edge-born-1870", set("dateOfBirth", "1870-01-01")),
                created("edge-born-yesterday", set("dateOfBirth", yesterday)),
                created("edge-male", set("sex", "male")),
                created("edge-postal-digits", address("postalCode", "1000001")),
                created("edge-prefecture", address("prefecture", "沖縄県")),
                created("edge-line-200", address("line", "丁".repeat(200))),
                created("edge-municipality-space", address("municipality", " 千代田区 ")));
        List<Map<String, Object>> records = new ArrayList<>();
        for (Case c : cases) {
            Map<String, Object> record = new HashMap<>();
            record.put("ref", c.ref());
            record.put("resident", c.resident());
            records.add(record);
        }
        Response r = given().auth().oauth2(Tokens.clerk()).contentType(ContentType.JSON)
                .body(Map.of("batchId", "rules-" + System.nanoTime(), "records", records)).post("/api/residents/batch");

        r.then().statusCode(200);
        List<Map<String, Object>> results = r.path("results");
        assertThat(results).hasSize(cases.size());
        for (int i = 0; i < cases.size(); i++) {
            Case c = cases.get(i);
            Map<String, Object> result = results.get(i);
            assertThat(result.get("ref")).isEqualTo(c.ref());
            if (c.violations() == null) {
                assertThat(result.get("status")).as(c.ref()).isEqualTo("created");
                continue;
            }
            assertThat(result.get("status")).as(c.ref()).isEqualTo("rejected");
            @SuppressWarnings("unchecked")
            List<Map<String, String>> violations = (List<Map<String, String>>) result.get("violations");
            Set<String> said = new HashSet<>();
            for (Map<String, String> v : violations) {
                said.add(v.get("field") + ": " + v.get("message"));
            }
            assertThat(said).as(c.ref()).isEqualTo(c.violations());
            assertThat(violations).as(c.ref() + ": sorted by field").isSortedAccordingTo((a, b) -> a.get("field").compareTo(b.get("field")));
        }
        // What was created is stored as written (on PostgreSQL through COPY): supplementary characters, kana, quotes.
        for (int i = 0; i < cases.size(); i++) {
            if (cases.get(i).violations() == null) {
                Resident stored = residents.find(IndividualNumber.parse((String) results.get(i).get("number"))).orElseThrow();
                @SuppressWarnings("unchecked")
                Map<String, Object> sent = (Map<String, Object>) cases.get(i).resident();
                @SuppressWarnings("unchecked")
                Map<String, Object> address = (Map<String, Object>) sent.get("address");
                assertThat(List.of(stored.familyName, stored.givenName, stored.familyNameKana, stored.givenNameKana, stored.dateOfBirth.toString(),
                        stored.municipality, stored.addressLine, stored.prefecture)).as(cases.get(i).ref())
                        .isEqualTo(List.of(sent.get("familyName"), sent.get("givenName"), sent.get("familyNameKana"), sent.get("givenNameKana"),
                                sent.get("dateOfBirth"), address.get("municipality"), address.get("line"), address.get("prefecture")));
            }
        }
    }
}
