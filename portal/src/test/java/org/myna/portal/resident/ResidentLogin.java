package org.myna.portal.resident;

import io.restassured.http.Cookie;
import io.restassured.response.Response;
import org.myna.portal.support.ServicesWireMock;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

/** A resident's card login at the portal against the fake services: RFC 8628 as the registry answers it. */
final class ResidentLogin {

    static final Pattern CSRF = Pattern.compile("name=\"csrf-token\" value=\"([^\"]+)\"");
    static final String VERIFICATION = "https://card-app.myna.example/login?user_code=WDJB-MJHT";

    private ResidentLogin() {
    }

    /** A JWT-shaped token whose payload names the resident's pairwise subject (the portal reads sub only). */
    static String token(String subject) {
        Base64.Encoder b64 = Base64.getUrlEncoder().withoutPadding();
        return b64.encodeToString("{\"alg\":\"ES256\"}".getBytes(StandardCharsets.UTF_8)) + "."
                + b64.encodeToString(("{\"sub\":\"" + subject + "\",\"aud\":\"registry\"}").getBytes(StandardCharsets.UTF_8))
                + ".c2lnbmF0dXJl";
    }

    static void stubRegistry(String deviceCode, String subject) {
        var s = ServicesWireMock.server;
        s.stubFor(post(urlEqualTo("/oauth2/device_authorization")).willReturn(json(200, """
                {"device_code":"%s","user_code":"WDJB-MJHT","verification_uri":"https://card-app.myna.example/login",
                 "verification_uri_complete":"%s","expires_in":120,"interval":1}""".formatted(deviceCode, VERIFICATION))));
        s.stubFor(post(urlEqualTo("/oauth2/token")).withRequestBody(containing("device_code=" + deviceCode))
                .willReturn(json(200, "{\"access_token\":\"" + token(subject) + "\",\"token_type\":\"Bearer\",\"expires_in\":600}")));
        s.stubFor(get(urlPathEqualTo("/api/me")).withHeader("Authorization", equalTo("Bearer " + token(subject)))
                .willReturn(json(200, """
                        {"number":"123456789018","familyName":"髙橋","givenName":"𠮷子","familyNameKana":"タカハシ",
                         "givenNameKana":"ヨシコ","dateOfBirth":"1990-01-01","card":"active",
                         "cardSuspended":false,"cardExpiresOn":"2034-05-31"}""")));
    }

    static com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder json(int status, String body) {
        return aResponse().withStatus(status)
                .withHeader("Content-Type", status >= 400 ? "application/problem+json" : "application/json").withBody(body);
    }

    static String csrf(String html) {
        Matcher m = CSRF.matcher(html);
        assertThat(m.find()).as("the form carries a CSRF token").isTrue();
        return m.group(1);
    }

    /** Starts a login (the page shows the code), then the card approves at the registry: the session is the resident's. */
    static Cookie start() {
        Response page = given().get("/me");
        Response started = given().cookie(page.detailedCookie("csrf-token")).contentType("application/x-www-form-urlencoded")
                .formParam("csrf-token", csrf(page.asString())).post("/me/login");
        assertThat(started.statusCode()).isEqualTo(303);
        return started.detailedCookie("portal-session");
    }

    static Cookie login() {
        Cookie session = start();
        given().cookie(session).get("/me/login/status").then().statusCode(200)
                .body(org.hamcrest.Matchers.containsString("approved"));
        return session;
    }
}
