package org.myna.wallet.correction;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import org.junit.jupiter.api.Test;
import org.myna.wallet.ledger.Transfer;
import org.myna.wallet.support.Tokens;
import org.myna.wallet.support.Wallet;

import java.util.Map;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.hamcrest.Matchers.equalTo;
import static org.myna.wallet.support.Wallet.PROVIDER;

@QuarkusTest
class CorrectionTest {

    @Inject
    EntityManager em;

    record Granted(String campaign, String resident, long transferId) {
    }

    Granted granted() {
        String campaign = Wallet.campaign(1_000_000, Wallet.standardRules());
        String resident = Tokens.linkCode();
        Wallet.choose(resident, campaign, Wallet.paymentService(PROVIDER));
        long transferId = Wallet.apply(resident, campaign, "insurance-link").then().statusCode(201).extract().jsonPath().getLong("transferId");
        return new Granted(campaign, resident, transferId);
    }

    @Test
    void correctionNeedsASecondAuditor() {
        Granted g = granted();
        long id = Wallet.post(Tokens.auditor(), "/api/corrections", Map.of("transferId", g.transferId(), "reason", "granted twice by mistake"))
                .then().statusCode(201).body("status", equalTo("proposed")).extract().jsonPath().getLong("id");
        assertThat(Wallet.balance(g.resident(), g.campaign())).isEqualTo(7500);

        Wallet.post(Tokens.auditor(), "/api/corrections/" + id + "/approval", Map.of())
                .then().statusCode(403).body("code", equalTo("same-auditor"));
        assertThat(Wallet.balance(g.resident(), g.campaign())).isEqualTo(7500);

        Wallet.post(Tokens.secondAuditor(), "/api/corrections/" + id + "/approval", Map.of())
                .then().statusCode(200).body("status", equalTo("executed")).body("approvedBy", equalTo("test-auditor-2"));
        assertThat(Wallet.balance(g.resident(), g.campaign())).isZero();
        given().auth().oauth2(Tokens.auditor()).get("/api/campaigns/" + g.campaign() + "/report")
                .then().statusCode(200).body("granted", equalTo(0)).body("people", equalTo(0));
        Wallet.post(Tokens.secondAuditor(), "/api/corrections/" + id + "/approval", Map.of())
                .then().statusCode(409).body("code", equalTo("correction-executed"));
        Wallet.post(Tokens.auditor(), "/api/corrections", Map.of("transferId", g.transferId(), "reason", "again"))
                .then().statusCode(409);
        // The original transfer is still there, unchanged; the reversal is a new one.
        given().auth().oauth2(Tokens.resident(g.resident())).queryParam("campaign", g.campaign()).get("/api/me/history")
                .then().statusCode(200).body("entries.size()", equalTo(2))
                .body("entries[0].kind", equalTo("correction")).body("entries[0].amount", equalTo(-7500))
                .body("entries[1].kind", equalTo("grant")).body("entries[1].amount", equalTo(7500));
        assertThat(Wallet.trialBalance().get("equal")).isEqualTo(true);
    }

    @Test
    void onlyAuditorsCorrect() {
        Granted g = granted();
        Wallet.post(Tokens.payment(PROVIDER), "/api/corrections", Map.of("transferId", g.transferId(), "reason", "x")).then().statusCode(403);
        Wallet.post(Tokens.auditor(), "/api/corrections", Map.of("transferId", 999_999_999L, "reason", "x"))
                .then().statusCode(404).body("code", equalTo("unknown-transfer"));
        Wallet.post(Tokens.auditor(), "/api/corrections", Map.of("transferId", g.transferId(), "reason", " "))
                .then().statusCode(400).body("code", equalTo("invalid-reason"));
    }

    @Test
    void reversalThatWouldOverdrawIsRefusedAndChangesNothing() {
        String campaign = Wallet.campaign(1_000_000, Wallet.standardRules());
        String resident = Tokens.linkCode();
        String account = Wallet.choose(resident, campaign, Wallet.paymentService(PROVIDER));
        long grant = Wallet.apply(resident, campaign, "insurance-link").then().statusCode(201).extract().jsonPath().getLong("transferId");
        String merchant = Wallet.merchant(PROVIDER);
        Wallet.post(Tokens.payment(PROVIDER), "/api/redemptions",
                Map.of("paymentAccount", account, "merchantCorporateNumber", merchant, "amount", 7000, "campaign", campaign)).then().statusCode(201);
        long id = Wallet.post(Tokens.auditor(), "/api/corrections", Map.of("transferId", grant, "reason", "wrong person"))
                .then().statusCode(201).extract().jsonPath().getLong("id");
        Map<String, Object> before = Wallet.trialBalance();
        Wallet.post(Tokens.secondAuditor(), "/api/corrections/" + id + "/approval", Map.of())
                .then().statusCode(409).body("code", equalTo("insufficient-balance"));
        assertThat(Wallet.balance(resident, campaign)).isEqualTo(500);
        assertThat(Wallet.trialBalance()).isEqualTo(before);
    }

    @Test
    void transfersAreImmutable() {
        Granted g = granted();
        QuarkusTransaction.requiringNew().run(() -> {
            Transfer t = em.find(Transfer.class, g.transferId());
            t.amount = 1_000_000;
            t.creditAccountId = t.debitAccountId;
        });
        Transfer reread = QuarkusTransaction.requiringNew().call(() -> em.find(Transfer.class, g.transferId()));
        assertThat(reread.amount).isEqualTo(7500);
        assertThat(reread.creditAccountId).isNotEqualTo(reread.debitAccountId);

        assertThatThrownBy(() -> QuarkusTransaction.requiringNew().run(() -> em.createQuery("update Transfer t set t.amount = 1 where t.id = :id")
                .setParameter("id", g.transferId()).executeUpdate())).isNotNull();
        assertThatThrownBy(() -> QuarkusTransaction.requiringNew().run(() -> em.createQuery("delete from Transfer t where t.id = :id")
                .setParameter("id", g.transferId()).executeUpdate())).isNotNull();
        assertThatThrownBy(() -> QuarkusTransaction.requiringNew().run(() -> em.remove(em.find(Transfer.class, g.transferId()))))
                .isNotNull();
        assertThatThrownBy(() -> QuarkusTransaction.requiringNew().run(() -> em.createNativeQuery("update {h-schema}transfer set amount = 1")
                .executeUpdate())).isNotNull();
        assertThatThrownBy(() -> QuarkusTransaction.requiringNew().run(() -> em.createNativeQuery("DELETE FROM {h-schema}transfer")
                .executeUpdate())).isNotNull();
        assertThat(QuarkusTransaction.requiringNew().call(() -> em.find(Transfer.class, g.transferId())).amount).isEqualTo(7500);
        assertThat(Wallet.balance(g.resident(), g.campaign())).isEqualTo(7500);
    }
}
