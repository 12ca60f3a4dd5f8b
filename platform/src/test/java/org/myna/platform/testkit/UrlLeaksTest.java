package org.myna.platform.testkit;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The scanner must catch what the old URLs carried, and pass what today's carry. */
class UrlLeaksTest {

    @Test
    void findsEveryKindTheOldUrlsCarried() {
        assertThat(UrlLeaks.in("127.0.0.1 - - [07/Dec/2026:08:00:00 +0000] \"GET /api/residents/123456789018 HTTP/1.1\" 200 512"))
                .containsExactly("individual number");
        assertThat(UrlLeaks.in("\"POST /api/residents/123456789018/death HTTP/1.1\" 200")).containsExactly("individual number");
        assertThat(UrlLeaks.in("SERVER GET /api/links/{linkCode} {url.path=/api/links/q3Zk0cN_9xL2mTa8bRw4Yg}"))
                .containsExactly("link code");
        assertThat(UrlLeaks.in("\"GET /api/seal-certificates/SC2026ABCDEF?code=K7WQ2MZP9HTB HTTP/1.1\""))
                .contains("verification code", "identifier query parameter");
        assertThat(UrlLeaks.in("\"GET /api/payment-choices/7KQ2M9XW4B HTTP/1.1\"")).containsExactly("binding code");
    }

    @Test
    void passesTodaysRequestLines() {
        assertThat(UrlLeaks.in("127.0.0.1 - - [07/Dec/2026:08:00:00 +0000] \"POST /api/residents/lookup HTTP/1.1\" 200 512")).isEmpty();
        assertThat(UrlLeaks.in("\"POST /api/cards/5f0c7e0a-4a4b-4c4d-9e9f-0a1b2c3d4e5f/revocation HTTP/1.1\" 200 64")).isEmpty();
        assertThat(UrlLeaks.in("\"GET /api/me/balance?campaign=mynapoint-2 HTTP/1.1\" 200 64")).isEmpty();
        assertThat(UrlLeaks.in("\"POST /api/cards/FTRR4CA36X77/activation HTTP/1.1\" 200 43")).isEmpty();
        assertThat(UrlLeaks.in("SERVER POST /api/insurers/{insurerNumber}/members {http.route=/api/insurers/{insurerNumber}/members, "
                + "url.path=/api/insurers/06123457/members, service.name=health-insurance-service}")).isEmpty();
        assertThat(UrlLeaks.in("123456789012 is not a number: its check digit is wrong")).isEmpty();
        assertThat(UrlLeaks.in("code.function.name=org.myna.wallet.provider.ProviderResource.registerPaymentService")).isEmpty();
    }
}
