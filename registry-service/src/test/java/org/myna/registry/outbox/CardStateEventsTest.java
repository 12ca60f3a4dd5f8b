package org.myna.registry.outbox;

import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.smallrye.jwt.auth.principal.JWTParser;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;
import org.myna.platform.hash.Sha256;
import org.myna.registry.ca.Pems;
import org.myna.registry.support.CardFlow;
import org.myna.registry.support.InsuranceWireMock;

import java.util.Comparator;
import java.util.List;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The events the insurance service's card replica is built from (DESIGN §8): card issued and activated, and the
 * card-standing event that tells a new link code's subscriber of the cards issued before, each naming the card by the
 * SHA-256 of its authentication certificate, which the insurance service computes from the certificate it is shown.
 * The wallet, which keeps no replica, hears none of them.
 */
@QuarkusTest
@QuarkusTestResource(InsuranceWireMock.class)
class CardStateEventsTest {

    @Inject
    OutboxDispatcher dispatcher;

    @Inject
    JWTParser parser;

    static String fingerprint(String pem) throws Exception {
        return Sha256.hex(Pems.parseCertificate(pem).orElseThrow().getEncoded());
    }

    String insuranceCode(CardFlow.Issued holder) throws Exception {
        return parser.parseOnly(CardFlow.login(holder.card(), "insurance")).getSubject();
    }

    /** The events delivered with this link code, oldest first. */
    static List<JsonPath> eventsFor(String linkCode) {
        return InsuranceWireMock.server.findAll(postRequestedFor(urlEqualTo("/api/events")).withRequestBody(containing(linkCode)))
                .stream().sorted(Comparator.comparing(LoggedRequest::getLoggedDate)).map(r -> JsonPath.from(r.getBodyAsString()))
                .toList();
    }

    static long deliveries(String subscriber, String type, String serial) {
        return QuarkusTransaction.requiringNew().call(() -> OutboxDelivery.getEntityManager().createQuery(
                        "select count(d) from OutboxDelivery d, OutboxEvent e where e.id = d.key.eventRef and d.key.subscriber = ?1 "
                                + "and e.type = ?2 and e.cardSerial = ?3", Long.class)
                .setParameter(1, subscriber).setParameter(2, type).setParameter(3, serial).getSingleResult());
    }

    @Test
    void aCardIssuedBeforeTheLinkCodeReachesTheInsuranceReplicaByItsCertificatesHashAndNeverTheWallet() throws Exception {
        InsuranceWireMock.server.stubFor(post("/api/events").willReturn(aResponse().withStatus(204)));
        CardFlow.Issued holder = CardFlow.newHolder();
        // Delivered before the insurance service has a link code for the holder: skipped, nobody there to tell.
        dispatcher.dispatch("insurance");
        String code = insuranceCode(holder);
        dispatcher.dispatch("insurance");
        List<JsonPath> events = eventsFor(code);
        assertThat(events).extracting(e -> e.getString("type")).containsExactly("card-standing");
        JsonPath standing = events.get(0);
        assertThat(standing.getString("certificateHash")).isEqualTo(fingerprint(holder.authCertificate()));
        assertThat(standing.getString("cardStatus")).isEqualTo("active");
        assertThat(standing.getString("cardRef")).isNotBlank().isNotEqualTo(holder.authSerial());
        assertThat(events.toString()).doesNotContain(holder.number());
        // Card-state events are published to the insurance subscriber only.
        assertThat(deliveries("insurance", "card-issued", holder.authSerial())).isEqualTo(1);
        assertThat(deliveries("insurance", "card-activated", holder.authSerial())).isEqualTo(1);
        assertThat(deliveries("wallet", "card-issued", holder.authSerial())).isZero();
        assertThat(deliveries("wallet", "card-activated", holder.authSerial())).isZero();
        assertThat(deliveries("wallet", "card-standing", holder.authSerial())).isZero();

        // Later changes of the card reach the replica in order, each naming the card the same way.
        CardFlow.revoke(holder.cardId(), "lost");
        dispatcher.dispatch("insurance");
        JsonPath revoked = eventsFor(code).get(1);
        assertThat(revoked.getString("type")).isEqualTo("card-revoked");
        assertThat(revoked.getString("certificateHash")).isEqualTo(fingerprint(holder.authCertificate()));
        // The wallet's revocation event, when it has a code, carries no certificate hash (it keeps no replica).
    }

    @Test
    void aNewCardOfALinkedHolderIsIssuedThenActivatedAtTheReplicaAndTheOldOneRevoked() throws Exception {
        InsuranceWireMock.server.stubFor(post("/api/events").willReturn(aResponse().withStatus(204)));
        CardFlow.Issued first = CardFlow.newHolder();
        String code = insuranceCode(first);
        dispatcher.dispatch("insurance");
        CardFlow.Issued second = CardFlow.activeCardFor(first.number());
        dispatcher.dispatch("insurance");
        List<JsonPath> events = eventsFor(code);
        assertThat(events).extracting(e -> e.getString("type") + " " + e.getString("certificateHash")).containsSubsequence(
                "card-standing " + fingerprint(first.authCertificate()),
                "card-issued " + fingerprint(second.authCertificate()),
                "card-revoked " + fingerprint(first.authCertificate()),
                "card-activated " + fingerprint(second.authCertificate()));
    }

    @Test
    void theStandingIsReadWhenDeliveredSoAChangeMadeMeanwhileIsNeverLost() throws Exception {
        InsuranceWireMock.server.stubFor(post("/api/events").willReturn(aResponse().withStatus(204)));
        CardFlow.Issued holder = CardFlow.newHolder();
        dispatcher.dispatch("insurance");
        String code = insuranceCode(holder);
        // Revoked after the code (and its card-standing event) was made, before the event went out.
        CardFlow.revoke(holder.cardId(), "lost");
        dispatcher.dispatch("insurance");
        List<JsonPath> events = eventsFor(code);
        assertThat(events).extracting(e -> e.getString("type")).containsExactly("card-standing", "card-revoked");
        assertThat(events.get(0).getString("cardStatus")).isEqualTo("revoked");
    }
}
