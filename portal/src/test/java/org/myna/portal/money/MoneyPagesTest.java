package org.myna.portal.money;

import com.github.tomakehurst.wiremock.stubbing.Scenario;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.restassured.config.RedirectConfig;
import io.restassured.http.Cookie;
import io.restassured.response.Response;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.myna.portal.support.ServicesWireMock;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.equalToJson;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.matching;
import static com.github.tomakehurst.wiremock.client.WireMock.not;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.put;
import static com.github.tomakehurst.wiremock.client.WireMock.putRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;

/**
 * The money pages against fake services: what each page shows (masked, in words, with codes), that an act goes
 * through the card's approval and is submitted once with the operation token the registry handed over, and that
 * refusals are said in words beside their code.
 */
@QuarkusTest
@QuarkusTestResource(ServicesWireMock.class)
class MoneyPagesTest {

    private static final Pattern CSRF = Pattern.compile("name=\"csrf-token\" value=\"([^\"]+)\"");
    private static final String JSON = "application/json";
    private static final String PROBLEM = "application/problem+json";

    static {
        RestAssured.config = RestAssured.config().redirect(RedirectConfig.redirectConfig().followRedirects(false));
    }

    record Session(Cookie session, Cookie csrf, String token) {
    }

    private static void stub(com.github.tomakehurst.wiremock.client.MappingBuilder request, int status, String body) {
        ServicesWireMock.server.stubFor(request.willReturn(aResponse().withStatus(status)
                .withHeader("Content-Type", status >= 400 ? PROBLEM : JSON).withBody(body)));
    }

    @BeforeEach
    void services() {
        ServicesWireMock.server.resetAll();
        // The login (RFC 8628) and the exchange for a wallet token (RFC 8693).
        stub(post(urlEqualTo("/oauth2/device_authorization")).withRequestBody(not(containing("operation="))), 200,
                "{\"device_code\":\"login-dc\",\"user_code\":\"BCDF-GHJK\",\"expires_in\":120,\"interval\":1}");
        stub(post(urlEqualTo("/oauth2/token")).withRequestBody(containing("device_code=login-dc")), 200,
                "{\"access_token\":\"resident-token\",\"token_type\":\"Bearer\",\"expires_in\":600}");
        stub(post(urlEqualTo("/oauth2/token")).withRequestBody(containing("token-exchange")), 200,
                "{\"access_token\":\"wallet-token\",\"token_type\":\"Bearer\",\"expires_in\":600}");
        stub(get(urlEqualTo("/api/me")), 200, "{\"number\":\"123456789018\",\"familyName\":\"山田\",\"givenName\":\"花子\","
                + "\"familyNameKana\":\"ヤマダ\",\"givenNameKana\":\"ハナコ\",\"dateOfBirth\":\"1990-04-01\",\"card\":\"active\"}");
        // An act: the registry's code for it, pending once, then the operation token.
        stub(post(urlEqualTo("/oauth2/device_authorization")).withRequestBody(containing("operation=")), 200,
                "{\"device_code\":\"act-dc\",\"user_code\":\"MNPQ-RSTV\",\"expires_in\":120,\"interval\":1}");
        ServicesWireMock.server.stubFor(post(urlEqualTo("/oauth2/token")).withRequestBody(containing("device_code=act-dc"))
                .inScenario("act").whenScenarioStateIs(Scenario.STARTED).willSetStateTo("approved")
                .willReturn(aResponse().withStatus(400).withHeader("Content-Type", PROBLEM)
                        .withBody("{\"status\":400,\"code\":\"authorization_pending\"}")));
        ServicesWireMock.server.stubFor(post(urlEqualTo("/oauth2/token")).withRequestBody(containing("device_code=act-dc"))
                .inScenario("act").whenScenarioStateIs("approved").willSetStateTo("redeemed")
                .willReturn(aResponse().withStatus(200).withHeader("Content-Type", JSON)
                        .withBody("{\"access_token\":\"operation-token\",\"token_type\":\"Bearer\",\"expires_in\":60}")));
        ServicesWireMock.server.stubFor(post(urlEqualTo("/oauth2/token")).withRequestBody(containing("device_code=act-dc"))
                .inScenario("act").whenScenarioStateIs("redeemed")
                .willReturn(aResponse().withStatus(400).withHeader("Content-Type", PROBLEM)
                        .withBody("{\"status\":400,\"code\":\"invalid_grant\"}")));
    }

    private static String csrfOf(Response page) {
        Matcher m = CSRF.matcher(page.asString());
        assertThat(m.find()).as("the page's form carries a CSRF token").isTrue();
        return m.group(1);
    }

    /** A resident logged in through the device grant, as the page's script would poll it. */
    private static Session login() {
        Response page = given().get("/me");
        Cookie csrf = page.detailedCookie("csrf-token");
        Response started = given().cookie(csrf).contentType("application/x-www-form-urlencoded")
                .formParam("csrf-token", csrfOf(page)).post("/me/login");
        assertThat(started.statusCode()).isEqualTo(303);
        Cookie session = started.detailedCookie("portal-session");
        given().cookie(session).get("/me/login/status").then().body(containsString("approved"));
        Response home = given().cookie(session).cookie(csrf).get("/me");
        return new Session(session, csrf, csrfOf(home));
    }

    private static Response postForm(Session s, String path, String... fields) {
        var r = given().cookie(s.session()).cookie(s.csrf()).contentType("application/x-www-form-urlencoded; charset=UTF-8")
                .formParam("csrf-token", s.token());
        for (int i = 0; i < fields.length; i += 2) {
            r.formParam(fields[i], fields[i + 1]);
        }
        return r.post(path);
    }

    /** Polls the act until the portal has finished it (the registry's fake approves on the second poll). */
    private static String pollAct(Session s) throws InterruptedException {
        for (int i = 0; i < 10; i++) {
            String status = given().cookie(s.session()).get("/me/acts/status").then().statusCode(200).extract().path("status");
            if (!"pending".equals(status)) {
                return status;
            }
            Thread.sleep(600);
        }
        return "pending";
    }

    @Test
    void thePointsPageShowsTheBalanceAndEveryTransferInWords() {
        stub(get(urlPathEqualTo("/api/me/balance")).withHeader("Authorization", equalTo("Bearer wallet-token")), 200,
                "{\"campaign\":\"mynapoint-2\",\"balance\":8750,\"received\":10000,\"spent\":1250,\"held\":0}");
        stub(get(urlPathEqualTo("/api/me/history")).withHeader("Authorization", equalTo("Bearer wallet-token")), 200,
                "{\"campaign\":\"mynapoint-2\",\"entries\":[{\"transferId\":3,\"kind\":\"redemption\",\"rule\":null,\"amount\":-1250,\"at\":\"2026-12-07T10:00:00Z\"},"
                        + "{\"transferId\":2,\"kind\":\"charge-back\",\"rule\":\"card-acquisition\",\"amount\":2500,\"at\":\"2026-12-06T10:00:00Z\"},"
                        + "{\"transferId\":1,\"kind\":\"grant\",\"rule\":\"public-fund-account\",\"amount\":7500,\"at\":\"2026-12-05T10:00:00Z\"}]}");
        Session s = login();
        String page = given().cookie(s.session()).get("/me/points").then().statusCode(200).extract().asString();
        assertThat(page).contains("id=\"points-balance\">8750<", "利用", "チャージ・買い物の還元", "付与", "公金受取口座の登録",
                "-1250", "+7500", "name=\"csrf-token\"", "2026-12-07 19:00");
        assertThat(page).doesNotContain("wallet-token", "resident-token", "123456789018");
        // Nothing of hers without a login: every money page sends a stranger to the login, and asks no service.
        int calls = ServicesWireMock.server.getAllServeEvents().size();
        for (String path : new String[] {"/me/points", "/me/public-fund-account", "/me/payment-service", "/me/acts"}) {
            given().get(path).then().statusCode(303).header("Location", org.hamcrest.Matchers.endsWith("/me"));
        }
        given().get("/me/acts/status").then().statusCode(200).body(containsString("ended"));
        assertThat(ServicesWireMock.server.getAllServeEvents()).hasSize(calls);
    }

    @Test
    void applyingForPointsAsksTheCardThenSubmitsOnceWithTheOperationTokenItApproved() throws InterruptedException {
        stub(post(urlEqualTo("/api/applications")).withHeader("Authorization", equalTo("Bearer operation-token"))
                .withHeader("Idempotency-Key", matching("[0-9a-f-]{36}"))
                .withRequestBody(equalToJson("{\"rule\":\"public-fund-account\"}")), 201,
                "{\"campaign\":\"mynapoint-2\",\"rule\":\"public-fund-account\",\"status\":\"granted\",\"points\":7500,\"balance\":7500,\"transferId\":9}");
        stub(get(urlPathEqualTo("/api/me/balance")), 200, "{\"campaign\":\"mynapoint-2\",\"balance\":7500,\"received\":7500,\"spent\":0,\"held\":0}");
        stub(get(urlPathEqualTo("/api/me/history")), 200, "{\"campaign\":\"mynapoint-2\",\"entries\":[]}");
        Session s = login();

        // Without the CSRF token: refused, and the registry is not even asked.
        given().cookie(s.session()).contentType("application/x-www-form-urlencoded").formParam("rule", "public-fund-account")
                .post("/me/points/application").then().statusCode(400);
        ServicesWireMock.server.verify(0, postRequestedFor(urlEqualTo("/oauth2/device_authorization"))
                .withRequestBody(containing("operation=")));

        Response started = postForm(s, "/me/points/application", "rule", "public-fund-account", "campaign", "");
        assertThat(started.statusCode()).isEqualTo(303);
        assertThat(started.header("Location")).endsWith("/me/acts");
        // The registry was asked for this act, for her (her login as subject), with what her card app will show.
        ServicesWireMock.server.verify(1, postRequestedFor(urlEqualTo("/oauth2/device_authorization"))
                .withRequestBody(containing("operation=apply-points")).withRequestBody(containing("subject_token=resident-token"))
                .withRequestBody(containing("public-fund-account")));
        String act = given().cookie(s.session()).get("/me/acts").then().statusCode(200).extract().asString();
        assertThat(act).contains("MNPQ-RSTV", "ポイントを申し込む", "demo-portal", "rule public-fund-account", "/me-act.js")
                .doesNotContain("act-dc", "resident-token", "<script>", "style=\"");

        assertThat(pollAct(s)).isEqualTo("done");
        ServicesWireMock.server.verify(1, postRequestedFor(urlEqualTo("/api/applications")));
        // A late poll submits nothing again.
        given().cookie(s.session()).get("/me/acts/status").then().body(containsString("none"));
        ServicesWireMock.server.verify(1, postRequestedFor(urlEqualTo("/api/applications")));
        given().cookie(s.session()).get("/me/points").then().statusCode(200)
                .body(containsString("id=\"notice-value\">7500<")).body(containsString("ポイントが付与されました"));
        // Shown once.
        given().cookie(s.session()).get("/me/points").then().body(org.hamcrest.Matchers.not(containsString("id=\"notice\"")));
    }

    @Test
    void aWalletRefusalIsSaidInWordsWithItsCodeInJapaneseAndEnglish() throws InterruptedException {
        stub(post(urlEqualTo("/api/applications")), 422, "{\"status\":422,\"code\":\"not-eligible\",\"detail\":\"The registry does not confirm the condition for this rule.\"}");
        stub(get(urlPathEqualTo("/api/me/balance")), 200, "{\"campaign\":\"mynapoint-2\",\"balance\":0,\"received\":0,\"spent\":0,\"held\":0}");
        stub(get(urlPathEqualTo("/api/me/history")), 200, "{\"campaign\":\"mynapoint-2\",\"entries\":[]}");
        Session s = login();
        postForm(s, "/me/points/application", "rule", "insurance-link").then().statusCode(303);
        assertThat(pollAct(s)).isEqualTo("failed");
        given().cookie(s.session()).get("/me/points").then().statusCode(200)
                .body(containsString("条件を満たしていません")).body(containsString("<code>not-eligible</code>"));

        // The wallet unreachable: a page that says so, with the code, never a 500.
        ServicesWireMock.server.stubFor(get(urlPathEqualTo("/api/me/balance"))
                .willReturn(aResponse().withFault(com.github.tomakehurst.wiremock.http.Fault.CONNECTION_RESET_BY_PEER)));
        given().cookie(s.session()).cookie("lang", "en").get("/me/points").then().statusCode(503)
                .body(containsString("The points service cannot be reached now")).body(containsString("<code>wallet-unavailable</code>"));
        // A form value the wallet would refuse is refused here first, in words, and no card is asked.
        int before = ServicesWireMock.server.findAll(postRequestedFor(urlEqualTo("/oauth2/device_authorization"))).size();
        postForm(s, "/me/points/application", "rule", "everything").then().statusCode(303);
        ServicesWireMock.server.verify(before, postRequestedFor(urlEqualTo("/oauth2/device_authorization")));
    }

    @Test
    void theAccountIsShownMaskedAndAnotherPersonsNameIsExplainedInWords() throws InterruptedException {
        stub(get(urlEqualTo("/api/me/public-fund-account")), 200, "{\"bankCode\":\"0001\",\"branchCode\":\"001\","
                + "\"accountType\":\"ordinary\",\"accountNumber\":\"7654567\",\"holderKana\":\"ヤマダ ハナコ\",\"registeredAt\":\"2026-12-01T10:00:00+09:00\"}");
        stub(put(urlEqualTo("/api/me/public-fund-account")).withHeader("Authorization", equalTo("Bearer operation-token")), 422,
                "{\"status\":422,\"code\":\"holder-kana-mismatch\",\"detail\":\"The account holder's name is not the resident's name in kana.\"}");
        Session s = login();
        String page = given().cookie(s.session()).get("/me/public-fund-account").then().statusCode(200).extract().asString();
        assertThat(page).contains("****567", "ヤマダ ハナコ", "ヤマダ ハナコ").doesNotContain("7654567");

        // A mistyped field costs no card approval.
        postForm(s, "/me/public-fund-account", "bankCode", "1", "branchCode", "001", "accountType", "ordinary",
                "accountNumber", "1234567", "holderKana", "ヤマダ タロウ").then().statusCode(303);
        ServicesWireMock.server.verify(0, postRequestedFor(urlEqualTo("/oauth2/device_authorization")).withRequestBody(containing("operation=")));
        given().cookie(s.session()).get("/me/public-fund-account").then().body(containsString("<code>account-field-invalid</code>"))
                .body(containsString("金融機関コード"));

        // Her father's account: the card approves, the registry refuses, the page says why beside both names.
        postForm(s, "/me/public-fund-account", "bankCode", "0001", "branchCode", "001", "accountType", "ordinary",
                "accountNumber", "1234567", "holderKana", "ヤマダ タロウ").then().statusCode(303);
        ServicesWireMock.server.verify(1, postRequestedFor(urlEqualTo("/oauth2/device_authorization"))
                .withRequestBody(containing("operation=register-public-fund-account")).withRequestBody(containing("ordinary+****567"))
                .withRequestBody(not(containing("1234567"))));
        assertThat(pollAct(s)).isEqualTo("failed");
        ServicesWireMock.server.verify(1, putRequestedFor(urlEqualTo("/api/me/public-fund-account"))
                .withRequestBody(equalToJson("{\"bankCode\":\"0001\",\"branchCode\":\"001\",\"accountType\":\"ordinary\","
                        + "\"accountNumber\":\"1234567\",\"holderKana\":\"ヤマダ タロウ\"}")));
        String refused = given().cookie(s.session()).get("/me/public-fund-account").then().statusCode(200).extract().asString();
        assertThat(refused).contains("id=\"kana-explained\"", "<code>holder-kana-mismatch</code>",
                "id=\"kana-entered\">ヤマダ タロウ<", "id=\"kana-registered\">ヤマダ ハナコ<", "本人名義");
    }

    @Test
    void thePaymentServiceBindingShowsPendingThenTheCodeOnceAndNothingPersonalGoesInAUrl() throws InterruptedException {
        stub(get(urlPathEqualTo("/api/me/payment-choice")), 404, "{\"status\":404,\"code\":\"no-payment-service\"}");
        stub(post(urlEqualTo("/api/payment-choices")).withHeader("Authorization", equalTo("Bearer operation-token"))
                .withRequestBody(equalToJson("{\"paymentService\":\"1234567890123\"}")), 201,
                "{\"campaign\":\"mynapoint-2\",\"paymentService\":\"1234567890123\",\"status\":\"pending\",\"bindingCode\":\"K7Q2M9XA\"}");
        Session s = login();
        given().cookie(s.session()).get("/me/payment-service").then().statusCode(200).body(containsString("id=\"no-choice\""));
        Response started = postForm(s, "/me/payment-service", "paymentService", "1234567890123");
        assertThat(started.header("Location")).endsWith("/me/acts").doesNotContain("1234567890123");
        assertThat(pollAct(s)).isEqualTo("done");

        stub(get(urlPathEqualTo("/api/me/payment-choice")), 200, "{\"campaign\":\"mynapoint-2\",\"paymentService\":\"1234567890123\","
                + "\"status\":\"pending\",\"paymentAccount\":null,\"bindingExpiresAt\":\"2026-12-08T10:00:00Z\",\"earns\":false,\"note\":\"...\"}");
        given().cookie(s.session()).get("/me/payment-service").then().statusCode(200)
                .body(containsString("K7Q2M9XA")).body(containsString("data-status=\"pending\"")).body(containsString("確認待ち"));
        given().cookie(s.session()).get("/me/payment-service").then().body(org.hamcrest.Matchers.not(containsString("K7Q2M9XA")));

        stub(get(urlPathEqualTo("/api/me/payment-choice")), 200, "{\"campaign\":\"mynapoint-2\",\"paymentService\":\"1234567890123\","
                + "\"status\":\"confirmed\",\"paymentAccount\":\"acct-1\",\"bindingExpiresAt\":null,\"earns\":true,\"note\":\"...\"}");
        given().cookie(s.session()).get("/me/payment-service").then().statusCode(200)
                .body(containsString("data-status=\"confirmed\"")).body(containsString("還元されます")).body(org.hamcrest.Matchers.not(containsString("id=\"choose\"")));
        ServicesWireMock.server.verify(getRequestedFor(urlPathEqualTo("/api/me/payment-choice"))
                .withHeader("Authorization", equalTo("Bearer wallet-token")));
    }

    @Test
    void anActNotApprovedInTimeIsSaidAndNothingIsSubmitted() throws InterruptedException {
        ServicesWireMock.server.stubFor(post(urlEqualTo("/oauth2/token")).withRequestBody(containing("device_code=act-dc"))
                .atPriority(1).willReturn(aResponse().withStatus(400).withHeader("Content-Type", PROBLEM)
                        .withBody("{\"status\":400,\"code\":\"expired_token\"}")));
        stub(get(urlPathEqualTo("/api/me/payment-choice")), 404, "{\"status\":404,\"code\":\"no-payment-service\"}");
        Session s = login();
        postForm(s, "/me/payment-service", "paymentService", "1234567890123").then().statusCode(303);
        assertThat(pollAct(s)).isEqualTo("failed");
        ServicesWireMock.server.verify(0, postRequestedFor(urlEqualTo("/api/payment-choices")));
        given().cookie(s.session()).get("/me/payment-service").then().body(containsString("<code>expired_token</code>"))
                .body(containsString("有効時間が過ぎました"))
                // what she typed is back in the form, from the server (never from the URL)
                .body(containsString("value=\"1234567890123\""));
        given().cookie(s.session()).get("/me/acts").then().statusCode(303);
    }
}
