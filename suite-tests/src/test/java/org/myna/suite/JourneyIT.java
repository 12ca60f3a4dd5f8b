package org.myna.suite;

import io.restassured.response.Response;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.myna.card.Card;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.time.Duration;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;

/**
 * One resident's whole journey through the three packaged services, each its own process, driven only through
 * their HTTP APIs and the card simulator: registry, card, insurer, clinic, wallet, seal — then the card is revoked
 * and every part of the system must notice.
 */
class JourneyIT {

    static Suite suite;
    static Api api;

    @BeforeAll
    static void start() {
        suite = Suite.get();
        api = new Api(suite);
    }

    static String digits(int n) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < n; i++) {
            b.append(ThreadLocalRandom.current().nextInt(10));
        }
        return b.toString();
    }

    static Map<String, Object> address() {
        return new LinkedHashMap<>(Map.of("postalCode", "100-0001", "prefecture", "東京都", "municipality", "千代田区", "line", "千代田1-1"));
    }

    static String png() throws Exception {
        BufferedImage image = new BufferedImage(64, 64, BufferedImage.TYPE_INT_RGB);
        image.setRGB(10, 10, 0xCC0000);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ImageIO.write(image, "png", out);
        return Base64.getEncoder().encodeToString(out.toByteArray());
    }

    @Test
    void aResidentsWholeJourneyAndTheCardRevokedEverywhere() throws Exception {
        // 1. The municipality registers the resident; the registry assigns the number.
        Map<String, Object> resident = new LinkedHashMap<>();
        resident.put("familyName", "髙橋");
        resident.put("givenName", "𠮷子");
        resident.put("familyNameKana", "タカハシ");
        resident.put("givenNameKana", "ヨシコ");
        resident.put("dateOfBirth", "1985-06-15");
        resident.put("sex", "female");
        resident.put("address", address());
        String number = api.register(resident);

        // 2. The card: keys made on the card, certificates from the registry's CA, activated by the holder's PIN.
        Card card = Card.create(null, Api.PIN, Api.PASSWORD);
        Map<String, String> issued = api.issueAndActivate(number, card);

        // 3. An insurer enrols the member with the number and all five attributes; the registry links them.
        String insurer = Api.insurerNumber("06" + digits(5));
        api.as(api.insurance(), "demo-insurer")
                .body(Map.of("insurerNumber", insurer, "name", "全国健康保険協会テスト支部", "corporateNumber", Api.corporateNumber(digits(12))))
                .post("/api/insurers").then().statusCode(201);
        Map<String, Object> member = new LinkedHashMap<>(Map.of("symbol", "記号" + digits(3), "number", digits(6), "branch", "01",
                "copayRate", 30, "coverageStart", "2020-04-01", "familyName", "髙橋", "givenName", "𠮷子",
                "familyNameKana", "タカハシ", "givenNameKana", "ヨシコ", "dateOfBirth", "1985-06-15"));
        member.put("sex", "female");
        member.put("individualNumber", number);
        member.put("address", address());
        Response enrolled = api.as(api.insurance(), "demo-insurer").body(member).post("/api/insurers/" + insurer + "/members");
        enrolled.then().statusCode(201).body("link.status", equalTo("linked"));
        assertThat(enrolled.asString()).doesNotContain(number);

        // 4. At a clinic the card signs the clinic's nonce: covered, with the exact name.
        api.eligibilityByCard(card).then().statusCode(200).body("result", equalTo("covered"))
                .body("coverage.familyName", equalTo("髙橋")).body("coverage.givenName", equalTo("𠮷子"))
                .body("coverage.copayRate", equalTo(30));

        // 5. The wallet: a payment service, the resident's choice and three grants, each act with a fresh operation token.
        String paymentService = Api.corporateNumber(digits(12));
        api.idempotent(api.as(api.wallet(), "demo-payment")).body(Map.of("corporateNumber", paymentService, "name", "テストペイ"))
                .post("/api/payment-services").then().statusCode(201);
        String merchant = Api.corporateNumber(digits(12));
        api.idempotent(api.as(api.wallet(), "demo-payment")).body(Map.of("corporateNumber", merchant, "name", "テスト商店"))
                .post("/api/merchants").then().statusCode(201);
        String account = "acct-" + digits(8);
        api.choosePaymentService(card, paymentService, account, null, "タカハシ ヨシコ");
        api.registry().auth().oauth2(api.operationToken(card, "register-public-fund-account", "registry")).contentType("application/json")
                .body(Map.of("bankCode", "0001", "branchCode", "001", "accountType", "ordinary", "accountNumber", digits(7),
                        "holderKana", "タカハシ ヨシコ"))
                .put("/api/me/public-fund-account").then().statusCode(200);
        for (String rule : new String[]{"card-acquisition", "insurance-link", "public-fund-account"}) {
            api.idempotent(api.wallet()).auth().oauth2(api.operationToken(card, "apply-points", "wallet"))
                    .contentType("application/json").body(Map.of("rule", rule)).post("/api/applications")
                    .then().statusCode(201);
        }

        // 6. Charges earn 25 % back up to 5,000; a redemption at a merchant spends points.
        api.idempotent(api.as(api.wallet(), "demo-payment")).body(Map.of("paymentAccount", account, "amount", 30_000))
                .post("/api/charges").then().statusCode(201).body("pointsGranted", equalTo(5_000));
        api.idempotent(api.as(api.wallet(), "demo-payment"))
                .body(Map.of("paymentAccount", account, "merchantCorporateNumber", merchant, "amount", 1_000))
                .post("/api/redemptions").then().statusCode(201);
        String residentWalletToken = api.cardLogin(card, "wallet", null).then().statusCode(200).extract().path("access_token");
        api.wallet().auth().oauth2(residentWalletToken).get("/api/me/balance")
                .then().statusCode(200).body("balance", equalTo(5_000 + 7_500 + 7_500 - 1_000));
        api.as(api.wallet(), "demo-auditor").get("/api/ledger/trial-balance").then().statusCode(200).body("equal", equalTo(true));

        // 7. A seal and a kiosk certificate for exactly this resident.
        api.as(api.registry(), "demo-clerk").body(Map.of("number", number, "image", png(), "mediaType", "image/png"))
                .post("/api/seals").then().statusCode(201);
        api.registry().auth().oauth2(api.operationToken(card, "kiosk-seal-certificate", "registry"))
                .post("/api/kiosk/seal-certificates").then().statusCode(201).body("familyName", equalTo("髙橋"));

        // The resident sees who touched their data: the clerk, the insurer's link, the wallet's questions.
        String registryToken = api.cardLogin(card, "registry", null).then().statusCode(200).extract().path("access_token");
        String log = api.registry().auth().oauth2(registryToken).get("/api/me/access-log").then().statusCode(200).extract().asString();
        assertThat(log).contains("demo-clerk").contains("insurance-service").contains("wallet-service");
        // Reads in the other services reach her log through their outboxes within a minute, naming who read: the
        // clinic (not the insurance service) for its card check, the payment provider for its charge and redemption.
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofSeconds(1)).untilAsserted(() -> {
            Response clinic = api.registry().auth().oauth2(registryToken).queryParam("organisation", "demo-facility")
                    .get("/api/me/access-log");
            clinic.then().statusCode(200);
            assertThat(clinic.jsonPath().getList("purpose", String.class)).contains("eligibility-check:card");
            assertThat(clinic.jsonPath().getList("organisation", String.class)).containsOnly("デモクリニック");
            assertThat(api.registry().auth().oauth2(registryToken).queryParam("organisation", "demo-payment")
                    .get("/api/me/access-log").then().statusCode(200).extract().jsonPath().getList("purpose", String.class))
                    .contains("charge-back", "redemption");
        });

        // 8. The card is reported lost: the clinic hears card-revoked, the kiosk is closed to it, the insurer is told.
        api.as(api.registry(), "demo-clerk").body(Map.of("reason", "lost"))
                .post("/api/cards/" + issued.get("cardId") + "/revocation").then().statusCode(200);
        // Clinics answer from the insurance service's card replica, which is current to within its bound (2 s).
        await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(250)).untilAsserted(() ->
                api.eligibilityByCard(card).then().statusCode(200).body("result", equalTo("card-revoked")));
        api.cardLogin(card, "registry", "kiosk-seal-certificate").then().statusCode(401)
                .body("code", equalTo("certificate-revoked"));
        // and the token the card gave before its revocation is worth nothing either
        api.registry().auth().oauth2(registryToken).get("/api/me").then().statusCode(401)
                .body("code", equalTo("card-revoked"));
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                api.as(api.registry(), "demo-auditor").get("/api/outbox").then().statusCode(200)
                        .body("find { it.subscriber == 'insurance' }.pending", equalTo(0))
                        .body("find { it.subscriber == 'insurance' }.delivered", org.hamcrest.Matchers.greaterThan(0)));
    }
}
