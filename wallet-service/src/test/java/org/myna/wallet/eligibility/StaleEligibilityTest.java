package org.myna.wallet.eligibility;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;
import org.myna.platform.cardstanding.CardStandingFeed;
import org.myna.wallet.event.StaleFeedTest;
import org.myna.wallet.support.RegistryWireMock;
import org.myna.wallet.support.Wallet;

import java.time.Duration;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;

/**
 * Issue 18 §2: once the feed's watermark is older than its bound (2 s here, by the wallet's clock), a grant no longer
 * trusts the copy of the registry's facts, whatever it says, and asks the registry, as every grant did before.
 */
@QuarkusTest
@TestProfile(StaleFeedTest.FailClosed.class)
class StaleEligibilityTest {

    @Inject
    CardStandingFeed feed;

    @Test
    void aStaleFeedAsksTheRegistryEvenWhenTheCopySaysYes() {
        String code = LocalEligibilityTest.code();
        // The feed is stale, so the token's card is judged by the registry too: it is good.
        RegistryWireMock.server().stubFor(post(urlEqualTo("/api/card-standings/lookup")).atPriority(1)
                .withRequestBody(matchingJsonPath("$.linkCode", com.github.tomakehurst.wiremock.client.WireMock.equalTo(code)))
                .willReturn(aResponse().withHeader("Content-Type", "application/json").withBody("{\"standing\":\"good\"}")));
        String[] p = LocalEligibilityTest.person(code);
        LocalEligibilityTest.facts(p[0], 1, true, true); // the copy says yes, but it may miss a removal since
        LocalEligibilityTest.fresh();
        await().atMost(Duration.ofSeconds(20)).until(() -> !feed.fresh());
        RegistryWireMock.answer(p[0], "public-fund-account", false);
        Wallet.apply(p[0], p[1], "public-fund-account").then().statusCode(422).body("code", equalTo("not-eligible"));
        assertThat(LocalEligibilityTest.questionsAbout(p[0])).isEqualTo(1);
    }
}
