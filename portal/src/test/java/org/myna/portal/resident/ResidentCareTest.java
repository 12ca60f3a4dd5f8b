package org.myna.portal.resident;

import com.google.zxing.BinaryBitmap;
import com.google.zxing.RGBLuminanceSource;
import com.google.zxing.common.HybridBinarizer;
import com.google.zxing.qrcode.QRCodeReader;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.restassured.config.RedirectConfig;
import io.restassured.http.Cookie;
import io.restassured.response.Response;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.myna.portal.support.ServicesWireMock;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static com.github.tomakehurst.wiremock.client.WireMock.absent;
import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.not;
import static org.myna.portal.resident.ResidentLogin.json;

/**
 * My insurance, the access log a page at a time, the login's QR code, and a session that ends when the card is
 * revoked anywhere. The services are faked (WireMock) so each can be made to answer what the test needs: the browser
 * stage (care.test.mjs) runs the same pages against the real services.
 */
@QuarkusTest
@QuarkusTestResource(ServicesWireMock.class)
class ResidentCareTest {

    private static final String SUBJECT = "pairwise-subject-care-a";

    static {
        RestAssured.config = RestAssured.config().redirect(RedirectConfig.redirectConfig().followRedirects(false));
    }

    @BeforeEach
    void services() {
        ServicesWireMock.server.resetAll();
        ResidentLogin.stubRegistry("device-code-a", SUBJECT);
        ServicesWireMock.server.stubFor(post(urlEqualTo("/oauth2/token")).withRequestBody(containing("token-exchange"))
                .withRequestBody(containing("audience=insurance"))
                .willReturn(json(200, "{\"access_token\":\"insurance-token-a\",\"token_type\":\"Bearer\",\"expires_in\":300}")));
        ServicesWireMock.server.stubFor(get(urlPathEqualTo("/api/me/coverage"))
                .withHeader("Authorization", equalTo("Bearer insurance-token-a")).willReturn(json(200, """
                        [{"insurerNumber":"06139993","insurerName":"全国健康保険協会テスト支部","symbol":"記号123","number":"456789",
                          "branch":"01","copayRate":30,"validFrom":"2020-04-01","familyName":"髙橋","givenName":"𠮷子",
                          "familyNameKana":"タカハシ","givenNameKana":"ヨシコ","dateOfBirth":"1990-01-01","status":"covered"}]""")));
        ServicesWireMock.server.stubFor(get(urlPathEqualTo("/api/me/eligibility-checks"))
                .withHeader("Authorization", equalTo("Bearer insurance-token-a")).willReturn(json(200, """
                        [{"checkedAt":"2026-12-07T10:15:00+09:00","institutionCode":"1312345678","method":"card","result":"covered"},
                         {"checkedAt":"2026-12-06T09:00:00+09:00","institutionCode":"1398765432","method":"certificate","result":"coverage-ended"}]""")));
    }

    // ---- My insurance ------------------------------------------------------------------------------------------------

    @Test
    void myInsuranceShowsTheCoverageAsAClinicSeesItAndTheChecksMadeWithMyCard() {
        Cookie session = ResidentLogin.login();
        String page = given().cookie(session).get("/me/insurance").then().statusCode(200).extract().asString();
        assertThat(page).contains("全国健康保険協会テスト支部 (06139993)", "30%", "2020-04-01", "髙橋", "𠮷子", "タカハシ ヨシコ",
                "記号123 · 456789 · 01", "資格あり");
        assertThat(page).contains("1312345678", "マイナンバーカード", "1398765432", "資格確認書", "<code>coverage-ended</code>",
                "2026-12-07 10:15");
        assertThat(page).doesNotContain("insurance-token-a", "123456789018");
        // The insurance service was asked with her exchanged token, the registry about her card first.
        ServicesWireMock.server.verify(1, getRequestedFor(urlPathEqualTo("/api/me/coverage")));
        ServicesWireMock.server.verify(getRequestedFor(urlPathEqualTo("/api/me")));
        given().cookie(session).cookie("lang", "en").get("/me/insurance").then().statusCode(200)
                .body(containsString("What a clinic sees")).body(containsString("Eligibility certificate"));
    }

    /** My card: its status in words and its last valid day, from the registry's record of her. */
    @Test
    void theRecordPageSaysTheCardsStatusInWordsAndHowLongItIsValid() {
        Cookie session = ResidentLogin.login();
        given().cookie(session).get("/me").then().statusCode(200)
                .body(containsString("<dd id=\"card-status\">有効</dd>"))
                .body(containsString("<dd id=\"card-valid-until\">2034-05-31</dd>"));
        given().cookie(session).cookie("lang", "en").get("/me").then().statusCode(200)
                .body(containsString("<dd id=\"card-status\">Valid</dd>"));
    }

    @Test
    void anInsuranceServiceThatCannotAnswerIsSaidInWordsWithItsCodeAndTheLoginStays() {
        ServicesWireMock.server.stubFor(get(urlPathEqualTo("/api/me/coverage"))
                .willReturn(json(503, "{\"status\":503,\"code\":\"unavailable\",\"title\":\"Service Unavailable\"}")));
        Cookie session = ResidentLogin.login();
        given().cookie(session).get("/me/insurance").then().statusCode(503)
                .body(containsString("<code>unavailable</code>")).body(containsString("資格がないという意味ではありません"));
        given().cookie(session).get("/me").then().statusCode(200).body(containsString("id=\"family-name\""));
    }

    @Test
    void withoutALoginTheInsurancePageSendsToTheLoginPageAndAsksNoService() {
        given().get("/me/insurance").then().statusCode(303).header("Location", org.hamcrest.Matchers.endsWith("/me"));
        ServicesWireMock.server.verify(0, getRequestedFor(urlPathEqualTo("/api/me/coverage")));
    }

    // ---- Session ends on card revocation done anywhere -------------------------------------------------------------

    /**
     * The attack: a clerk revokes the card at the registry (lost, stolen). The insurance service learns of it by the
     * event feed, within its bound: until then it still accepts her exchanged token. The thief's open portal session
     * must not keep reading her insurance: the portal asks the registry about the card before the page (at most every
     * portal.session.card-recheck; 0 in tests), ends this session and every other session of hers, and says why.
     * With the recheck off (-Dportal.session.card-recheck=PT1H: each page trusts its own service) this test fails.
     */
    @Test
    void aCardRevokedAtTheRegistryEndsEveryPortalSessionOfHersAtTheNextRequestEvenOnPagesOfOtherServices() {
        Cookie thief = ResidentLogin.login();
        Cookie other = ResidentLogin.login(); // her second session (another browser), same pairwise subject
        given().cookie(thief).get("/me/insurance").then().statusCode(200).body(containsString("全国健康保険協会テスト支部"));

        // The clerk revokes: the registry now refuses her token; the insurance service has not heard yet.
        ServicesWireMock.server.stubFor(get(urlPathEqualTo("/api/me"))
                .willReturn(json(401, "{\"status\":401,\"code\":\"card-revoked\",\"title\":\"Unauthorized\"}")));
        ServicesWireMock.server.resetRequests();

        Response r = given().cookie(thief).get("/me/insurance");
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.asString()).contains("id=\"start-login\"", "<code>card-revoked</code>", "カードが失効したため")
                .doesNotContain("全国健康保険協会テスト支部", "髙橋");
        assertThat(r.detailedCookie("portal-session").getMaxAge()).isZero();
        ServicesWireMock.server.verify(0, getRequestedFor(urlPathEqualTo("/api/me/coverage")));

        // The old cookie is worth nothing now, and her other session ended with it (without asking anyone again).
        given().cookie(thief).get("/me/insurance").then().statusCode(303);
        given().cookie(other).get("/me/insurance").then().statusCode(303);
        given().cookie(other).get("/me/access-log").then().statusCode(303);
        assertThat(ServicesWireMock.server.findAll(getRequestedFor(urlPathEqualTo("/api/me")))).hasSize(1);
    }

    /** The record page itself asks the registry: a registry that cannot answer now is "retry", not a logout. */
    @Test
    void aRegistryThatCannotAnswerTheRecordPageSaysRetryAndKeepsTheLogin() {
        Cookie session = ResidentLogin.login();
        Cookie other = ResidentLogin.login();
        ServicesWireMock.server.stubFor(get(urlPathEqualTo("/api/me"))
                .willReturn(json(503, "{\"status\":503,\"code\":\"unavailable\",\"title\":\"Service Unavailable\"}")));
        Response r = given().cookie(session).get("/me");
        assertThat(r.statusCode()).isEqualTo(503);
        assertThat(r.asString()).contains("<code>unavailable</code>", "ログインは続いています").doesNotContain("id=\"start-login\"");
        assertThat(r.detailedCookie("portal-session")).isNull();

        ResidentLogin.stubRegistry("device-code-a", SUBJECT);
        given().cookie(session).get("/me").then().statusCode(200).body(containsString("<dd id=\"card-status\">有効</dd>"));

        // A refused login, by contrast, ends this session and her other one.
        ServicesWireMock.server.stubFor(get(urlPathEqualTo("/api/me"))
                .willReturn(json(401, "{\"status\":401,\"code\":\"card-revoked\",\"title\":\"Unauthorized\"}")));
        given().cookie(session).get("/me").then().statusCode(200).body(containsString("<code>card-revoked</code>"))
                .body(containsString("id=\"start-login\""));
        ResidentLogin.stubRegistry("device-code-a", SUBJECT);
        given().cookie(other).get("/me/insurance").then().statusCode(303);
    }

    @Test
    void aRegistryThatCannotConfirmTheCardShowsNoInsuranceAndKeepsTheLogin() {
        Cookie session = ResidentLogin.login();
        ServicesWireMock.server.stubFor(get(urlPathEqualTo("/api/me"))
                .willReturn(json(503, "{\"status\":503,\"code\":\"unavailable\",\"title\":\"Service Unavailable\"}")));
        given().cookie(session).get("/me/insurance").then().statusCode(503).body(containsString("<code>unavailable</code>"))
                .body(containsString("ログインは続いています")).body(not(containsString("全国健康保険協会テスト支部")));
        ServicesWireMock.server.stubFor(get(urlPathEqualTo("/api/me"))
                .willReturn(json(429, "{\"status\":429,\"code\":\"rate-limited\",\"title\":\"Too Many Requests\"}")));
        given().cookie(session).get("/me/insurance").then().statusCode(503).body(containsString("<code>rate-limited</code>"))
                .body(not(containsString("全国健康保険協会テスト支部")));
        ResidentLogin.stubRegistry("device-code-a", SUBJECT);
        given().cookie(session).get("/me/insurance").then().statusCode(200).body(containsString("全国健康保険協会テスト支部"));
    }

    // ---- Access log, a page at a time -------------------------------------------------------------------------------

    private static void stubLogPage(String cursor, String next, String... whos) {
        StringBuilder rows = new StringBuilder("[");
        for (String who : whos) {
            rows.append(rows.length() > 1 ? "," : "").append("""
                    {"who":"%s","organisation":null,"role":"facility","action":"read","purpose":"eligibility-check:card",
                     "fields":"coverage","at":"2026-12-05T01:00:00Z"}""".formatted(who));
        }
        rows.append(']');
        var builder = json(200, rows.toString());
        if (next != null) {
            builder = builder.withHeader("Link", "</api/me/access-log?organisation=clinic-a&limit=20&cursor=" + next + ">; rel=\"next\"");
        }
        ServicesWireMock.server.stubFor(get(urlPathEqualTo("/api/me/access-log"))
                .withQueryParam("cursor", cursor == null ? absent() : equalTo(cursor)).willReturn(builder));
    }

    @Test
    void theAccessLogIsReadPageByPageWithTheFiltersKeptAndTheDaysAndTimesAsJapanTime() {
        stubLogPage(null, "MS4xNzY1MDAwMDAwLjAwMDAwMDAwMC40Mg", "clinic-row-1", "clinic-row-2");
        stubLogPage("MS4xNzY1MDAwMDAwLjAwMDAwMDAwMC40Mg", "MS4xNzY1MDAwMDAwLjAwMDAwMDAwMC40MA", "clinic-row-3", "clinic-row-4");
        stubLogPage("MS4xNzY1MDAwMDAwLjAwMDAwMDAwMC40MA", null, "clinic-row-5");
        Cookie session = ResidentLogin.login();

        List<String> seen = new ArrayList<>();
        String url = "/me/access-log?organisation=clinic-a&purpose=eligibility-check&from=2026-12-01&to=2026-12-07";
        int pages = 0;
        while (url != null) {
            String html = given().cookie(session).urlEncodingEnabled(false).get(url).then().statusCode(200).extract().asString();
            pages++;
            Matcher rows = Pattern.compile("<td class=\"who-cell\">([^<]+)</td>").matcher(html);
            while (rows.find()) {
                seen.add(rows.group(1));
            }
            assertThat(html).contains("value=\"clinic-a\"", "value=\"2026-12-01\"", "value=\"2026-12-07\"")
                    .contains("<time datetime=\"2026-12-05T01:00:00Z\">2026-12-05 10:00:00</time>"); // her clock
            if (pages > 1) {
                assertThat(html).contains("id=\"first-page\"");
            }
            Matcher next = Pattern.compile("id=\"next-page\"|href=\"([^\"]+)\" id=\"next-page\"").matcher(html);
            url = next.find() && next.group(1) != null ? next.group(1).replace("&amp;", "&") : null;
            assertThat(pages).isLessThan(10);
        }
        assertThat(pages).isEqualTo(3);
        assertThat(seen).containsExactly("clinic-row-1", "clinic-row-2", "clinic-row-3", "clinic-row-4", "clinic-row-5");
        // Every page asked with the same filters: her days as Japan time, the last day included.
        var asked = ServicesWireMock.server.findAll(getRequestedFor(urlPathEqualTo("/api/me/access-log")));
        assertThat(asked).hasSize(3).allSatisfy(req -> {
            assertThat(req.queryParameter("organisation").firstValue()).isEqualTo("clinic-a");
            assertThat(req.queryParameter("purpose").firstValue()).isEqualTo("eligibility-check");
            assertThat(req.queryParameter("from").firstValue()).isEqualTo("2026-11-30T15:00:00Z");
            assertThat(req.queryParameter("to").firstValue()).isEqualTo("2026-12-07T15:00:00Z");
            assertThat(req.queryParameter("limit").firstValue()).isEqualTo("20");
        });
    }

    @Test
    void aBadDateOrAReversedPeriodIsSaidInWordsWithItsCodeAndAsksNothing() {
        Cookie session = ResidentLogin.login();
        given().cookie(session).get("/me/access-log?from=2026-13-45").then().statusCode(400)
                .body(containsString("<code>invalid-date</code>")).body(containsString("2026-12-07"));
        given().cookie(session).get("/me/access-log?from=2026-12-07&to=2026-12-01").then().statusCode(400)
                .body(containsString("<code>period-reversed</code>"));
        ServicesWireMock.server.verify(0, getRequestedFor(urlPathEqualTo("/api/me/access-log")));
        ServicesWireMock.server.stubFor(get(urlPathEqualTo("/api/me/access-log")).willReturn(json(400,
                "{\"status\":400,\"code\":\"invalid-cursor\",\"title\":\"Bad Request\"}")));
        given().cookie(session).get("/me/access-log?cursor=forged%7B%7D").then().statusCode(400)
                .body(containsString("<code>invalid-cursor</code>")).body(containsString("最新の記録から"));
        given().cookie(session).get("/me/access-log?organisation=%7Bx%7D").then().statusCode(400);
    }

    // ---- The login's QR code ----------------------------------------------------------------------------------------

    @Test
    void theLoginPageShowsAQrCodeThatReadsAsTheVerificationUriWithTheUserCode() throws Exception {
        Cookie session = ResidentLogin.start();
        Response r = given().cookie(session).get("/me");
        String html = r.asString();
        assertThat(html).contains("WDJB-MJHT", "id=\"login-qr\"", "aria-labelledby=\"qr-caption\"");
        assertThat(r.header("Content-Security-Policy")).contains("default-src 'none'").doesNotContain("unsafe-inline");
        String svg = html.substring(html.indexOf("<svg"), html.indexOf("</svg>") + 6);
        assertThat(svg).doesNotContain("style", "<script", "href");
        assertThat(decode(svg)).isEqualTo(ResidentLogin.VERIFICATION);
    }

    /** Reads the SVG's unit squares back into pixels and lets ZXing (not the encoder that drew it) decode them. */
    static String decode(String svg) throws Exception {
        Matcher view = Pattern.compile("viewBox=\"0 0 (\\d+) (\\d+)\"").matcher(svg);
        assertThat(view.find()).isTrue();
        int size = Integer.parseInt(view.group(1));
        int scale = 4;
        int[] pixels = new int[size * scale * size * scale];
        java.util.Arrays.fill(pixels, 0xFFFFFFFF);
        Matcher module = Pattern.compile("M(\\d+),(\\d+)h1v1h-1z").matcher(svg);
        int dark = 0;
        while (module.find()) {
            int x = Integer.parseInt(module.group(1));
            int y = Integer.parseInt(module.group(2));
            for (int dy = 0; dy < scale; dy++) {
                for (int dx = 0; dx < scale; dx++) {
                    pixels[(y * scale + dy) * size * scale + x * scale + dx] = 0xFF000000;
                }
            }
            dark++;
        }
        assertThat(dark).isGreaterThan(100);
        var source = new RGBLuminanceSource(size * scale, size * scale, pixels);
        return new QRCodeReader().decode(new BinaryBitmap(new HybridBinarizer(source))).getText();
    }
}
