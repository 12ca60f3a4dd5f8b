package org.myna.wallet.support;

import io.restassured.http.ContentType;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import org.myna.wallet.provider.CorporateNumber;

import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;

import static io.restassured.RestAssured.given;

/** Steps through the wallet's API as its clients take them. */
public final class Wallet {

    public static final String PROVIDER = "demo-payment";

    private Wallet() {
    }

    public static String key() {
        return UUID.randomUUID().toString();
    }

    public static String corporateNumber() {
        StringBuilder base = new StringBuilder();
        for (int i = 0; i < 12; i++) {
            base.append(ThreadLocalRandom.current().nextInt(10));
        }
        return CorporateNumber.withBase(base.toString()).value();
    }

    public static RequestSpecification as(String token) {
        return given().auth().oauth2(token).contentType(ContentType.JSON);
    }

    public static Response post(String token, String path, Object body) {
        return as(token).header("Idempotency-Key", key()).body(body).post(path);
    }

    public static String campaign(long budget, List<Map<String, Object>> rules) {
        return campaign(budget, OffsetDateTime.now().minusDays(1), OffsetDateTime.now().plusDays(30), rules);
    }

    public static String campaign(long budget, OffsetDateTime start, OffsetDateTime end, List<Map<String, Object>> rules) {
        String id = "t-" + UUID.randomUUID().toString().substring(0, 8);
        post(Tokens.auditor(), "/api/campaigns", Map.of("id", id, "name", "test " + id, "budget", budget,
                "startsAt", start.toString(), "endsAt", end.toString(), "rules", rules))
                .then().statusCode(201);
        return id;
    }

    public static List<Map<String, Object>> standardRules() {
        return List.of(
                Map.of("rule", "card-acquisition", "kind", "percent-back", "percent", 25, "cap", 5000),
                Map.of("rule", "insurance-link", "kind", "fixed", "amount", 7500),
                Map.of("rule", "public-fund-account", "kind", "fixed", "amount", 7500));
    }

    public static String paymentService(String providerClient) {
        String number = corporateNumber();
        post(Tokens.payment(providerClient), "/api/payment-services", Map.of("corporateNumber", number, "name", "Pay " + number))
                .then().statusCode(201);
        return number;
    }

    public static String merchant(String providerClient) {
        String number = corporateNumber();
        post(Tokens.payment(providerClient), "/api/merchants", Map.of("corporateNumber", number, "name", "Shop " + number))
                .then().statusCode(201);
        return number;
    }

    /** A resident who chose {@code service} with a fresh account id; returns the account id. */
    /** The resident's name in kana as the fake registry knows every resident ({@link RegistryWireMock}). */
    public static final String HOLDER_KANA = "ヤマダハナコ";

    /** Chooses the service and has its provider ({@link #PROVIDER}) confirm a fresh account: the resident's account. */
    public static String choose(String linkCode, String campaign, String service) {
        String account = "acct-" + UUID.randomUUID().toString().substring(0, 12);
        confirm(PROVIDER, bindingCode(linkCode, campaign, service), account, HOLDER_KANA).then().statusCode(200);
        return account;
    }

    /** The resident's first step: the binding code to give the payment service. */
    public static String bindingCode(String linkCode, String campaign, String service) {
        return startBinding(linkCode, campaign, service).then().statusCode(201).extract().path("bindingCode");
    }

    public static Response startBinding(String linkCode, String campaign, String service) {
        return post(Tokens.operation(linkCode, "choose-payment-service"), "/api/payment-choices",
                Map.of("paymentService", service, "campaign", campaign));
    }

    public static Response confirm(String providerClient, String code, String account, String holderKana) {
        return post(Tokens.payment(providerClient), "/api/payment-choices/confirmations",
                Map.of("bindingCode", code, "paymentAccount", account, "holderKana", holderKana));
    }

    public static Response apply(String linkCode, String campaign, String rule) {
        return post(Tokens.operation(linkCode, "apply-points"), "/api/applications", Map.of("rule", rule, "campaign", campaign));
    }

    public static long balance(String linkCode, String campaign) {
        return given().auth().oauth2(Tokens.resident(linkCode)).queryParam("campaign", campaign).get("/api/me/balance")
                .then().statusCode(200).extract().jsonPath().getLong("balance");
    }

    public static Map<String, Object> trialBalance() {
        return given().auth().oauth2(Tokens.auditor()).get("/api/ledger/trial-balance").then().statusCode(200).extract().jsonPath().getMap("");
    }
}
