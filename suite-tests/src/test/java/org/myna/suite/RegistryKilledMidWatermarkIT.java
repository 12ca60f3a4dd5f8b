package org.myna.suite;

import io.restassured.response.Response;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.myna.card.Card;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * DESIGN §6.7 with the registry killed (-9) while its dispatcher delivers card revocations and sends watermarks: a
 * watermark must never move past a revocation its subscriber has not received, so after the restart no revoked card
 * hides behind it. Cards revoked (200) before the kill; their holders' wallet tokens, made before the revocations, are
 * asked for throughout: once the bound has passed since a revocation the wallet never answers "good" (200) — while
 * the registry is down it cannot confirm (503), after the restart it knows (401 card-revoked). Bounded: eight cards.
 */
class RegistryKilledMidWatermarkIT {

    static final Duration RESTART = Duration.ofMinutes(4);
    /** The wallet's bound (myna.card-standing.max-staleness, 2 s) and a margin for a loaded machine. */
    static final Duration BOUND_AND_MARGIN = Duration.ofSeconds(4);

    static Suite suite;
    static Api api;
    static String campaign;

    @BeforeAll
    static void start() {
        suite = Suite.get();
        api = new Api(suite);
    }

    record Holder(String cardId, String token) {
    }

    @Test
    void noCardRevokedBeforeTheKillIsGoodAfterItsBound() throws Exception {
        campaign = api.campaign("watermark-kill-" + System.nanoTime(), 100_000);
        List<Holder> holders = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            String number = api.register(FaultIT.attributes("水位", "花子", "スイイ", "ハナコ"));
            Card card = Card.create(null, Api.PIN, Api.PASSWORD);
            String cardId = api.issueAndActivate(number, card).get("cardId");
            holders.add(new Holder(cardId, api.walletToken(card)));
        }
        for (Holder h : holders) {
            assertThat(balance(h).statusCode()).as("a good card's token before anything happens").isEqualTo(200);
        }
        await().atMost(Duration.ofSeconds(90)).untilAsserted(() -> assertThat(api.outbox("wallet").get("pending")).isEqualTo(0));
        long deliveredBefore = ((Number) api.outbox("wallet").get("delivered")).longValue();

        // The clerk revokes the cards one after the other; the registry is killed as soon as deliveries flow.
        List<Holder> revoked = new ArrayList<>();
        ExecutorService clerk = Executors.newSingleThreadExecutor();
        Future<?> stream = clerk.submit(() -> {
            for (Holder h : holders) {
                try {
                    Response r = api.as(api.registry(), "demo-clerk").body(Map.of("reason", "lost")).post("/api/cards/" + h.cardId() + "/revocation");
                    if (r.statusCode() == 200) {
                        synchronized (revoked) {
                            revoked.add(h);
                        }
                    }
                } catch (Exception registryGone) {
                    return null; // the kill: the rest are not revoked
                }
            }
            return null;
        });
        try {
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(10))
                    .until(() -> stream.isDone() || ((Number) api.outbox("wallet").get("delivered")).longValue() >= deliveredBefore + 2);
            suite.registry.kill();
            stream.get(1, TimeUnit.MINUTES);
            List<Holder> before;
            synchronized (revoked) {
                before = List.copyOf(revoked);
            }
            assertThat(before).as("revocations acknowledged before the kill").isNotEmpty();

            // The registry is down: once the bound has passed, no revoked card is good (the wallet cannot confirm).
            Thread.sleep(BOUND_AND_MARGIN.toMillis());
            for (Holder h : before) {
                assertThat(balance(h).statusCode()).as("a card revoked before the kill, registry down").isIn(401, 503);
            }

            suite.registry.start().awaitReady(RESTART);
            // After the restart the dispatcher delivers what was pending and sends watermarks again: at every poll,
            // each revoked card is refused, never good; in the end it is known revoked.
            await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(250)).untilAsserted(() -> {
                for (Holder h : before) {
                    Response r = balance(h);
                    assertThat(r.statusCode()).as("never good after its bound").isNotEqualTo(200);
                    assertThat(r.statusCode()).isEqualTo(401);
                    assertThat((String) r.path("code")).isEqualTo("card-revoked");
                }
            });
            await().atMost(Duration.ofSeconds(90)).untilAsserted(() -> assertThat(api.outbox("wallet").get("pending")).isEqualTo(0));
            for (Holder h : before) {
                assertThat(balance(h).statusCode()).as("revoked, with the feed fresh again").isEqualTo(401);
            }
        } finally {
            clerk.shutdownNow();
            if (!suite.registry.isAlive()) {
                suite.registry.start().awaitReady(RESTART);
            }
        }
    }

    static Response balance(Holder h) {
        return api.wallet().auth().oauth2(h.token()).queryParam("campaign", campaign).get("/api/me/balance");
    }
}
