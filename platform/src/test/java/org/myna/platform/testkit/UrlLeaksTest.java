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
        // Well-formed digits inside a hex serial or trace id are part of it (a flake CI met in a certificate's path).
        assertThat(UrlLeaks.in("\"GET /api/certificates/417fd1258101c443ba123456789018fc/status HTTP/1.1\" 200 176")).isEmpty();
        assertThat(UrlLeaks.in("INFO traceId=0123abcd4567ef01123456789018 [o.m.r.Foo] done")).isEmpty();
    }

    @Test
    void aNumberBesideAFewLettersIsStillOne() {
        assertThat(UrlLeaks.in("\"GET /api/ref123456789018 HTTP/1.1\"")).containsExactly("individual number");
        assertThat(UrlLeaks.in("\"GET /api/residents/123456789018/abcdef0123456789 HTTP/1.1\"")).containsExactly("individual number");
        assertThat(UrlLeaks.in("code.function.name=org.myna.wallet.provider.ProviderResource.registerPaymentService")).isEmpty();
    }

    @Test
    void findsAVirtualIdInAUrlOrALogLineAndAgreesWithTheProductionCheckDigit() {
        java.util.Random random = new java.util.Random(7);
        for (int n = 0; n < 2_000; n++) {
            StringBuilder body = new StringBuilder();
            for (int i = 0; i < 15; i++) {
                body.append(random.nextInt(10));
            }
            String vid = body.toString() + org.myna.platform.checkdigit.Verhoeff.checkDigit(body);
            assertThat(UrlLeaks.wellFormedVirtualId(vid)).as(vid).isTrue();
            String typo = vid.substring(0, 15) + (char) ('0' + (vid.charAt(15) - '0' + 1 + random.nextInt(9)) % 10);
            assertThat(UrlLeaks.wellFormedVirtualId(typo)).as(typo).isFalse();
            assertThat(org.myna.platform.checkdigit.Verhoeff.valid(typo)).isFalse();
        }
        assertThat(UrlLeaks.in("\"POST /api/residents/9990000000000008/lookup HTTP/1.1\" 200"))
                .containsExactly("virtual id");
        assertThat(UrlLeaks.in("\"GET /api/residents?virtualId=x HTTP/1.1\" 200")).containsExactly("identifier query parameter");
        assertThat(LogLeaks.in("resolved 9990000000000008 for demo-clerk")).containsExactly("virtual id");
        assertThat(UrlLeaks.in("\"POST /api/me/virtual-id HTTP/1.1\" 201 96")).isEmpty();
    }
}
