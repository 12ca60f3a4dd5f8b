package org.myna.wallet.accesslog;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.myna.platform.accesslog.AccessLogOutboxRow;
import org.myna.platform.accesslog.AccessLogSender;
import org.myna.wallet.support.RegistryWireMock;
import org.myna.wallet.support.Tokens;
import org.myna.wallet.support.Wallet;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.myna.wallet.support.Wallet.PROVIDER;

/**
 * A payment provider's charges and redemptions and an auditor's corrections tell them a resident's points: each one
 * reaches the resident's access log at the registry, written to the outbox with the act and delivered in batches.
 */
@QuarkusTest
class AccessLogOutboxTest {

    static final String ENTRIES = "/api/access-log/entries";
    static final ObjectMapper JSON = new ObjectMapper();

    @Inject
    AccessLogSender sender;

    @BeforeEach
    void registryRecordsEverything() {
        RegistryWireMock.server().stubFor(post(urlEqualTo(ENTRIES)).atPriority(5)
                .withHeader("Authorization", equalTo("Bearer service-token"))
                .willReturn(aResponse().withHeader("Content-Type", "application/json").withBody("{\"recorded\":0}")));
    }

    static List<AccessLogOutboxRow> outbox(String linkCode) {
        return QuarkusTransaction.requiringNew().call(() -> AccessLogOutboxRow.<AccessLogOutboxRow>list("linkCode = ?1 order by id", linkCode));
    }

    static List<JsonNode> delivered(String linkCode) throws Exception {
        List<JsonNode> found = new ArrayList<>();
        for (LoggedRequest request : RegistryWireMock.server().findAll(postRequestedFor(urlEqualTo(ENTRIES)))) {
            for (JsonNode entry : JSON.readTree(request.getBodyAsString()).path("entries")) {
                if (linkCode.equals(entry.path("linkCode").asText())) {
                    found.add(entry);
                }
            }
        }
        return found;
    }

    @Test
    void aProvidersChargeAndRedemptionAndTwoAuditorsCorrectionReachTheResidentsLogNamingEachReader() throws Exception {
        String campaign = Wallet.campaign(1_000_000, Wallet.standardRules());
        String service = Wallet.paymentService(PROVIDER);
        String resident = Tokens.linkCode();
        String account = Wallet.choose(resident, campaign, service);
        Wallet.apply(resident, campaign, "card-acquisition").then().statusCode(201);
        long grant = Wallet.apply(resident, campaign, "insurance-link").then().statusCode(201).extract().jsonPath().getLong("transferId");
        // the resident's own acts are not reads by an organisation; the provider's confirmation of her binding is
        assertThat(outbox(resident)).extracting(r -> r.purpose).containsExactly("payment-binding-confirmation");

        String provider = Tokens.payment(PROVIDER);
        Wallet.post(provider, "/api/charges", Map.of("paymentAccount", account, "amount", 10_000, "campaign", campaign)).then().statusCode(201);
        Wallet.post(provider, "/api/redemptions", Map.of("paymentAccount", account, "merchantCorporateNumber", Wallet.merchant(PROVIDER),
                "amount", 100, "campaign", campaign)).then().statusCode(201);
        long correction = Wallet.post(Tokens.auditor(), "/api/corrections", Map.of("transferId", grant, "reason", "granted by mistake"))
                .then().statusCode(201).extract().jsonPath().getLong("id");
        Wallet.post(Tokens.secondAuditor(), "/api/corrections/" + correction + "/approval", Map.of()).then().statusCode(200);
        // a refused charge (an amount no purchase has) reads nothing and writes nothing; a redemption refused inside its
        // transaction (more than the balance) takes its access-log row with it
        Wallet.post(provider, "/api/charges", Map.of("paymentAccount", account, "amount", 0, "campaign", campaign)).then().statusCode(400);
        Wallet.post(provider, "/api/redemptions", Map.of("paymentAccount", account, "merchantCorporateNumber", Wallet.merchant(PROVIDER),
                "amount", 1_000_000, "campaign", campaign)).then().statusCode(409);
        assertThat(outbox(resident)).hasSize(5);

        assertThat(sender.deliver()).isGreaterThanOrEqualTo(5);

        List<JsonNode> entries = delivered(resident);
        assertThat(entries).extracting(e -> e.path("purpose").asText() + " by " + e.path("clientId").asText() + " (" + e.path("role").asText() + ")")
                .containsExactly("payment-binding-confirmation by demo-payment (payment-provider)", "charge-back by demo-payment (payment-provider)", "redemption by demo-payment (payment-provider)",
                        "correction-proposal by demo-auditor (auditor)", "correction by test-auditor-2 (auditor)");
        assertThat(entries).extracting(e -> e.path("action").asText()).containsExactly("update", "update", "update", "read", "update");
        assertThat(outbox(resident)).isEmpty();
    }
}
