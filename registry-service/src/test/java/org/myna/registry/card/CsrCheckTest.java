package org.myna.registry.card;

import org.junit.jupiter.api.Test;
import org.myna.card.Card;
import org.myna.card.CertificateRequests;

import static org.assertj.core.api.Assertions.assertThat;

class CsrCheckTest {

    @Test
    void acceptsTheCardsOwnRequests() throws Exception {
        Card card = Card.create("CARD-1", "1234", "abc123");
        CertificateRequests csrs = card.certificateRequests("app-1", "1234", "abc123");
        CsrCheck check = CsrCheck.of("authCsr", csrs.authCsrPem());
        assertThat(check.applicationId()).isEqualTo("app-1");
        assertThat(check.cardId()).isEqualTo("CARD-1");
    }
}
