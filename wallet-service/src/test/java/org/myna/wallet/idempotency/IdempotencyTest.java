package org.myna.wallet.idempotency;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;
import org.myna.platform.idempotency.Idempotency;
import org.myna.platform.idempotency.IdempotencyKeys;
import org.myna.platform.idempotency.IdempotencyRecord;
import org.myna.wallet.payment.PaymentRequests;
import org.myna.wallet.support.Tokens;
import org.myna.wallet.support.Wallet;

import java.time.OffsetDateTime;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.myna.wallet.support.Wallet.PROVIDER;

@QuarkusTest
class IdempotencyTest {

    @Inject
    Idempotency idempotency;

    /** What a request leaves behind when its process is killed between reserving its key and completing it. */
    void reservedAndAbandoned(String scope, String key, String endpoint, Object body, OffsetDateTime at) {
        QuarkusTransaction.requiringNew().run(() -> {
            IdempotencyRecord r = new IdempotencyRecord();
            r.scope = scope;
            r.key = key;
            r.endpoint = endpoint;
            r.requestHash = idempotency.hash(endpoint, body);
            r.createdAt = at;
            r.persist();
        });
    }

    @Test
    void aKeyLeftReservedByAKilledRequestIsTakenOverByItsRetryOnce() {
        String campaign = Wallet.campaign(1_000_000, Wallet.standardRules());
        String service = Wallet.paymentService(PROVIDER);
        String resident = Tokens.linkCode();
        String account = Wallet.choose(resident, campaign, service);
        Wallet.apply(resident, campaign, "card-acquisition").then().statusCode(201);
        String provider = Tokens.payment(PROVIDER);
        Map<String, Object> body = Map.of("paymentAccount", account, "amount", 4_000, "campaign", campaign);

        // Abandoned long ago: the retry runs the charge, once, and its answer is the key's answer from then on.
        String abandoned = Wallet.key();
        reservedAndAbandoned(PROVIDER, abandoned, "POST /api/charges", new PaymentRequests.Charge(account, 4_000L, null, campaign),
                OffsetDateTime.now().minusMinutes(5));
        Response retried = Wallet.as(provider).header("Idempotency-Key", abandoned).body(body).post("/api/charges");
        assertThat(retried.statusCode()).isEqualTo(201);
        Response replayed = Wallet.as(provider).header("Idempotency-Key", abandoned).body(body).post("/api/charges");
        assertThat(replayed.statusCode()).isEqualTo(201);
        assertThat(replayed.asString()).isEqualTo(retried.asString());
        assertThat(Wallet.balance(resident, campaign)).isEqualTo(1_000);

        // Reserved a moment ago: that request may still be running, so the retry hears "in progress" and nothing happens.
        String recent = Wallet.key();
        reservedAndAbandoned(PROVIDER, recent, "POST /api/charges", new PaymentRequests.Charge(account, 4_000L, null, campaign),
                OffsetDateTime.now());
        Wallet.as(provider).header("Idempotency-Key", recent).body(body).post("/api/charges")
                .then().statusCode(409).body("code", equalTo("request-in-progress"));
        // And an old reservation of another body is not this request's to take over.
        String other = Wallet.key();
        reservedAndAbandoned(PROVIDER, other, "POST /api/charges", new PaymentRequests.Charge(account, 9_999L, null, campaign),
                OffsetDateTime.now().minusMinutes(5));
        Wallet.as(provider).header("Idempotency-Key", other).body(body).post("/api/charges")
                .then().statusCode(409).body("code", equalTo("idempotency-key-reused"));
        assertThat(Wallet.balance(resident, campaign)).isEqualTo(1_000);
    }

    @Test
    void sameKeySameBodyReturnsTheFirstResultWithoutASecondEffect() {
        String campaign = Wallet.campaign(1_000_000, Wallet.standardRules());
        String service = Wallet.paymentService(PROVIDER);
        String resident = Tokens.linkCode();
        String account = Wallet.choose(resident, campaign, service);
        Wallet.apply(resident, campaign, "card-acquisition").then().statusCode(201);
        String provider = Tokens.payment(PROVIDER);
        String key = Wallet.key();
        Map<String, Object> body = Map.of("paymentAccount", account, "amount", 4_000, "campaign", campaign);

        Response first = Wallet.as(provider).header("Idempotency-Key", key).body(body).post("/api/charges");
        Response again = Wallet.as(provider).header("Idempotency-Key", key).body(Map.of("campaign", campaign, "amount", 4_000, "paymentAccount", account))
                .post("/api/charges");
        assertThat(first.statusCode()).isEqualTo(201);
        assertThat(again.statusCode()).isEqualTo(201);
        assertThat(again.asString()).isEqualTo(first.asString());
        assertThat(Wallet.balance(resident, campaign)).isEqualTo(1000);

        Wallet.as(provider).header("Idempotency-Key", key).body(Map.of("paymentAccount", account, "amount", 4_001, "campaign", campaign))
                .post("/api/charges").then().statusCode(409).body("code", equalTo("idempotency-key-reused"));
        assertThat(Wallet.balance(resident, campaign)).isEqualTo(1000);
    }

    @Test
    void aRefusalIsReplayedToo() {
        String provider = Tokens.payment(PROVIDER);
        String key = Wallet.key();
        Map<String, Object> body = Map.of("corporateNumber", "7000012050002", "name", "NTA Pay");
        Response first = Wallet.as(provider).header("Idempotency-Key", key).body(body).post("/api/payment-services");
        Response second = Wallet.as(provider).header("Idempotency-Key", Wallet.key()).body(body).post("/api/payment-services");
        Response replay = Wallet.as(provider).header("Idempotency-Key", Wallet.key()).body(body).post("/api/payment-services");
        assertThat(first.statusCode()).isIn(201, 409);
        assertThat(second.statusCode()).isEqualTo(409);
        assertThat(second.jsonPath().getString("code")).isEqualTo("payment-service-exists");
        assertThat(replay.statusCode()).isEqualTo(409);
        Response firstAgain = Wallet.as(provider).header("Idempotency-Key", key).body(body).post("/api/payment-services");
        assertThat(firstAgain.statusCode()).isEqualTo(first.statusCode());
        assertThat(firstAgain.asString()).isEqualTo(first.asString());
    }

    @Test
    void keysAreScopedByCaller() {
        String key = Wallet.key();
        Wallet.as(Tokens.payment(PROVIDER)).header("Idempotency-Key", key)
                .body(Map.of("corporateNumber", Wallet.corporateNumber(), "name", "A")).post("/api/payment-services").then().statusCode(201);
        Wallet.as(Tokens.payment("other-payment")).header("Idempotency-Key", key)
                .body(Map.of("corporateNumber", Wallet.corporateNumber(), "name", "B")).post("/api/payment-services").then().statusCode(201);
    }

    @Test
    void refusesPostWithoutKey() {
        Wallet.as(Tokens.payment(PROVIDER)).body(Map.of("corporateNumber", Wallet.corporateNumber(), "name", "A"))
                .post("/api/payment-services").then().statusCode(400).body("code", equalTo("idempotency-key-required"));
        Wallet.as(Tokens.payment(PROVIDER)).header("Idempotency-Key", "x".repeat(IdempotencyKeys.MAX_LENGTH + 1))
                .body(Map.of("corporateNumber", Wallet.corporateNumber(), "name", "A"))
                .post("/api/payment-services").then().statusCode(400).body("code", equalTo("idempotency-key-required"));
    }

    @Test
    void sameKeyOnAnotherEndpointIsAReuse() {
        String provider = Tokens.payment(PROVIDER);
        String key = Wallet.key();
        Wallet.as(provider).header("Idempotency-Key", key).body(Map.of("corporateNumber", Wallet.corporateNumber(), "name", "A"))
                .post("/api/payment-services").then().statusCode(201);
        Wallet.as(provider).header("Idempotency-Key", key).body(Map.of("corporateNumber", Wallet.corporateNumber(), "name", "A"))
                .post("/api/merchants").then().statusCode(409).body("code", equalTo("idempotency-key-reused"));
    }
}
