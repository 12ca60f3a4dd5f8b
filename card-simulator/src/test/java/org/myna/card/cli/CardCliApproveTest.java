package org.myna.card.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.myna.card.Card;
import org.myna.card.TestCa;

/**
 * {@code card approve}: the card app shows the act (portal, act in words, details, code, time) before the PIN is
 * used, so a relayed "log in" or an act she did not ask for is recognisable; it signs that request's nonce only.
 */
class CardCliApproveTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String NONCE = CardCliTest.b64url("the-act's-own-nonce");

    @TempDir
    Path dir;
    private HttpServer registry;
    private final List<String> approvals = new CopyOnWriteArrayList<>();
    private String file;

    @BeforeEach
    void registryAndCard() throws Exception {
        registry = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        registry.createContext("/api/device-logins/lookup", exchange -> {
            byte[] body = ("{\"userCode\":\"MNPQ-RSTV\",\"clientId\":\"demo-portal\",\"clientName\":\"マイナポータル（デモ）\","
                    + "\"createdAt\":\"2026-12-07T10:42:00Z\",\"expiresAt\":\"2026-12-07T10:44:00Z\",\"nonce\":\"" + NONCE + "\","
                    + "\"operation\":\"register-public-fund-account\",\"act\":\"bank 0001 branch 001 ordinary ****567\"}")
                    .getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        registry.createContext("/api/device-logins/approval", exchange -> {
            approvals.add(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
            byte[] body = "{\"status\":\"approved\"}".getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        registry.start();
        file = dir.resolve("card.json").toString();
        CardCliTest.ok("create", "--card", file, "--pin", "1234", "--password", "abc123");
        JsonNode csrs = JSON.readTree(CardCliTest.ok("request", "--card", file, "--application", "APP-1",
                "--pin", "1234", "--password", "abc123").out());
        TestCa ca = new TestCa();
        Path auth = Files.writeString(dir.resolve("auth.pem"), ca.issueFor(csrs.get("authCsr").asText()));
        Path sign = Files.writeString(dir.resolve("sign.pem"), ca.issueFor(csrs.get("signCsr").asText()));
        CardCliTest.ok("install", "--card", file, "--auth-cert", auth.toString(), "--sign-cert", sign.toString());
    }

    @AfterEach
    void stop() {
        registry.stop(0);
    }

    private String url() {
        return "http://127.0.0.1:" + registry.getAddress().getPort();
    }

    @Test
    void theActIsShownBeforeThePinAndAWrongPinApprovesNothing() {
        CardCliTest.Run run = CardCliTest.card("approve", "--card", file, "--registry", url(), "--code", "MNPQ-RSTV", "--pin", "0000");
        // Refused by the card, yet the act had been shown: it is printed before the PIN is used.
        assertEquals(CardCli.ERROR, run.exit());
        assertTrue(run.out().contains("Portal:      マイナポータル（デモ） (demo-portal)"), run.out());
        assertTrue(run.out().contains("Act:         公金受取口座を登録する / register a public-fund account [register-public-fund-account]"), run.out());
        assertTrue(run.out().contains("Details:     bank 0001 branch 001 ordinary ****567"), run.out());
        assertTrue(run.out().contains("asked for this very act yourself"), run.out());
        assertTrue(approvals.isEmpty(), "nothing is sent to the registry without the card's signature");
    }

    @Test
    void theRightPinSignsThatActsNonceAndNothingElse() throws Exception {
        CardCliTest.Run run = CardCliTest.ok("approve", "--card", file, "--registry", url(), "--code", "MNPQ-RSTV", "--pin", "1234");
        assertTrue(run.out().indexOf("Details:") < run.out().indexOf("approved"), run.out());
        assertEquals(1, approvals.size());
        JsonNode approval = JSON.readTree(approvals.get(0));
        assertEquals("MNPQ-RSTV", approval.get("userCode").asText());
        assertTrue(CardCliTest.verifies(Card.load(Path.of(file)).authCertificate().orElseThrow().getPublicKey(),
                "the-act's-own-nonce".getBytes(StandardCharsets.UTF_8), approval.get("signature").asText()));
    }
}
