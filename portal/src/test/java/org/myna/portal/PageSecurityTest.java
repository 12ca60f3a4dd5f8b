package org.myna.portal;

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
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.not;

/** CSRF on every form, a strict CSP on every page, session cookies HttpOnly + SameSite=Strict, sessions that end. */
@QuarkusTest
@QuarkusTestResource(ServicesWireMock.class)
class PageSecurityTest {

    private static final Pattern CSRF = Pattern.compile("name=\"csrf-token\" value=\"([^\"]+)\"");

    static {
        RestAssured.config = RestAssured.config().redirect(RedirectConfig.redirectConfig().followRedirects(false));
    }

    @BeforeEach
    void services() {
        ServicesWireMock.server.resetAll();
        ServicesWireMock.server.stubFor(post(urlEqualTo("/oauth2/token"))
                .withRequestBody(com.github.tomakehurst.wiremock.client.WireMock.containing("client_secret=right"))
                .willReturn(aResponse().withStatus(200).withHeader("Content-Type", "application/json")
                        .withBody("{\"access_token\":\"facility-token\",\"token_type\":\"Bearer\",\"expires_in\":300}")));
        ServicesWireMock.server.stubFor(post(urlEqualTo("/oauth2/token"))
                .withRequestBody(com.github.tomakehurst.wiremock.client.WireMock.containing("client_secret=wrong"))
                .willReturn(aResponse().withStatus(401).withHeader("Content-Type", "application/problem+json")
                        .withBody("{\"status\":401,\"code\":\"invalid-client\",\"title\":\"Unauthorized\"}")));
        ServicesWireMock.server.stubFor(post(urlEqualTo("/api/eligibility/challenges"))
                .withHeader("Authorization", equalTo("Bearer facility-token"))
                .willReturn(aResponse().withStatus(201).withHeader("Content-Type", "application/json")
                        .withBody("{\"challengeId\":\"ch-1\",\"nonce\":\"bm9uY2U\"}")));
    }

    record Form(Cookie csrfCookie, String token) {
    }

    private static Form form(String path, Cookie... cookies) {
        var request = given();
        for (Cookie c : cookies) {
            request.cookie(c);
        }
        Response page = request.get(path);
        Matcher m = CSRF.matcher(page.asString());
        assertThat(m.find()).as("the form carries a CSRF token").isTrue();
        Cookie csrf = page.detailedCookie("csrf-token");
        return new Form(csrf != null ? csrf : null, m.group(1));
    }

    private static Cookie login() {
        Form f = form("/clinic");
        Response r = given().cookie(f.csrfCookie()).contentType("application/x-www-form-urlencoded")
                .formParam("csrf-token", f.token()).formParam("clientId", "demo-facility")
                .formParam("clientSecret", "right").formParam("institutionCode", "1312345678")
                .post("/clinic/login");
        assertThat(r.statusCode()).isEqualTo(303);
        return r.detailedCookie("clinic-session");
    }

    @Test
    void everyPageHasAStrictContentSecurityPolicyAndNoInlineScript() {
        for (String path : new String[] {"/", "/clinic"}) {
            Response r = given().get(path);
            assertThat(r.statusCode()).isEqualTo(200);
            String csp = r.header("Content-Security-Policy");
            assertThat(csp).contains("default-src 'none'", "script-src 'self'", "frame-ancestors 'none'",
                    "form-action 'self'").doesNotContain("unsafe-inline", "unsafe-eval");
            assertThat(r.header("X-Content-Type-Options")).isEqualTo("nosniff");
            assertThat(r.header("Cache-Control")).isEqualTo("no-store");
            assertThat(r.asString()).doesNotContain("<script>", "style=\"", "onclick=");
        }
    }

    @Test
    void theSessionCookieIsHttpOnlySameSiteStrictAndBoundToTheClinicPage() {
        Cookie session = login();
        assertThat(session.isHttpOnly()).isTrue();
        assertThat(session.getSameSite()).isEqualToIgnoringCase("Strict");
        assertThat(session.getPath()).isEqualTo("/clinic");
        assertThat(session.getValue()).hasSizeGreaterThanOrEqualTo(43); // 256 random bits
        given().cookie(session).get("/clinic").then().statusCode(200).body(containsString("demo-facility"))
                .body(not(containsString("facility-token")));
    }

    @Test
    void aFormPostedWithoutTheCsrfTokenIsRefusedAndChangesNothing() {
        Cookie session = login();
        given().cookie(session).contentType("application/x-www-form-urlencoded")
                .post("/clinic/card-checks/start").then().statusCode(400);
        Form f = form("/clinic", session);
        given().cookie(session).cookie(f.csrfCookie()).contentType("application/x-www-form-urlencoded")
                .formParam("csrf-token", "not-the-token").post("/clinic/card-checks/start").then().statusCode(400);
        ServicesWireMock.server.verify(0, postRequestedFor(urlEqualTo("/api/eligibility/challenges")));
        // With the token it works: the same request is not refused for another reason.
        given().cookie(session).cookie(f.csrfCookie()).contentType("application/x-www-form-urlencoded")
                .formParam("csrf-token", f.token()).post("/clinic/card-checks/start").then().statusCode(303);
        ServicesWireMock.server.verify(1, postRequestedFor(urlEqualTo("/api/eligibility/challenges")));
        given().cookie(session).get("/clinic").then().body(containsString("bm9uY2U"));
    }

    @Test
    void theLoginFormWithoutTheCsrfTokenIsRefused() {
        given().contentType("application/x-www-form-urlencoded").formParam("clientId", "demo-facility")
                .formParam("clientSecret", "right").formParam("institutionCode", "1312345678")
                .post("/clinic/login").then().statusCode(400);
        ServicesWireMock.server.verify(0, postRequestedFor(urlEqualTo("/oauth2/token")));
    }

    @Test
    void aWrongSecretIsSaidInWordsWithItsCode() {
        Form f = form("/clinic");
        given().cookie(f.csrfCookie()).contentType("application/x-www-form-urlencoded")
                .formParam("csrf-token", f.token()).formParam("clientId", "demo-facility")
                .formParam("clientSecret", "wrong").formParam("institutionCode", "1312345678")
                .post("/clinic/login").then().statusCode(401)
                .body(containsString("クライアントIDまたはシークレットが正しくありません"))
                .body(containsString("invalid-client"));
    }

    @Test
    void afterLogoutTheOldCookieIsWorthNothing() {
        Cookie session = login();
        Form f = form("/clinic", session);
        Response out = given().cookie(session).cookie(f.csrfCookie()).contentType("application/x-www-form-urlencoded")
                .formParam("csrf-token", f.token()).post("/clinic/logout");
        assertThat(out.statusCode()).isEqualTo(303);
        assertThat(out.detailedCookie("clinic-session").getMaxAge()).isZero();
        given().cookie(session).get("/clinic").then().statusCode(200).body(containsString("id=\"clientSecret\""));
    }

    @Test
    void theLanguageSwitchGoesOnlyToAPageOfThisSite() {
        for (String back : new String[] {"//evil.example/", "https://evil.example/", "/\\evil.example"}) {
            assertThat(given().queryParam("to", "en").queryParam("back", back).get("/lang").header("Location"))
                    .doesNotContain("evil");
        }
        Response r = given().queryParam("to", "en").queryParam("back", "/clinic").get("/lang");
        assertThat(r.header("Location")).endsWith("/clinic");
        given().cookie(r.detailedCookie("lang")).get("/clinic").then()
                .body(containsString("Reception: online eligibility check")).body(containsString("lang=\"en\""));
    }

    @Test
    void aClinicSessionIsNeverTakenForAResidentsSession() {
        Cookie clinic = login();
        given().cookie("portal-session", clinic.getValue()).get("/me").then().statusCode(200)
                .body(containsString("id=\"start-login\"")).body(not(containsString("id=\"family-name\"")));
        given().cookie("portal-session", clinic.getValue()).get("/me/login/status").then().statusCode(200)
                .body(containsString("ended"));
    }

    @Test
    void theResidentLoginFormCarriesACsrfTokenAndRefusesAPostWithoutIt() {
        form("/me");
        given().contentType("application/x-www-form-urlencoded").post("/me/login").then().statusCode(400);
        ServicesWireMock.server.verify(0, postRequestedFor(urlEqualTo("/oauth2/device_authorization")));
    }
}
