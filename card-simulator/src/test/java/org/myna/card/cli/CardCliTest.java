package org.myna.card.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PublicKey;
import java.security.Signature;
import java.util.Base64;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.myna.card.Card;
import org.myna.card.TestCa;
import picocli.CommandLine;

class CardCliTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    record Run(int exit, String out, String err) {
    }

    static Run card(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine commandLine = CardCli.commandLine(); // as main runs it: the same parser settings
        commandLine.setOut(new PrintWriter(out, true));
        commandLine.setErr(new PrintWriter(err, true));
        int exit = commandLine.execute(args);
        return new Run(exit, out.toString(), err.toString());
    }

    static Run ok(String... args) {
        Run run = card(args);
        assertEquals(0, run.exit(), run.err());
        return run;
    }

    static String b64url(String text) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(text.getBytes(StandardCharsets.UTF_8));
    }

    static boolean verifies(PublicKey key, byte[] data, String signatureB64url) throws Exception {
        assertFalse(signatureB64url.contains("=") || signatureB64url.contains("+") || signatureB64url.contains("/"));
        Signature verifier = Signature.getInstance("SHA256withECDSA");
        verifier.initVerify(key);
        verifier.update(data);
        return verifier.verify(Base64.getUrlDecoder().decode(signatureB64url));
    }

    @Test
    void createRequestInstallSignAndShowEndToEnd() throws Exception {
        String file = dir.resolve("card.json").toString();
        assertEquals("CARD-CLI-1", ok("create", "--card", file, "--pin", "1234", "--password", "abc123",
                "--id", "CARD-CLI-1").out().trim());

        JsonNode csrs = JSON.readTree(ok("request", "--card", file, "--application", "APP-9",
                "--pin", "1234", "--password", "abc123").out());
        assertEquals(2, csrs.size());
        String authCsr = csrs.get("authCsr").asText();
        String signCsr = csrs.get("signCsr").asText();
        assertEquals("CN=APP-9,SERIALNUMBER=CARD-CLI-1", TestCa.verifiedCsr(authCsr).getSubject().toString());
        TestCa.verifiedCsr(signCsr);

        TestCa ca = new TestCa();
        Path authPem = Files.writeString(dir.resolve("auth.pem"), ca.issueFor(authCsr));
        Path signPem = Files.writeString(dir.resolve("sign.pem"), ca.issueFor(signCsr));
        ok("install", "--card", file, "--auth-cert", authPem.toString(), "--sign-cert", signPem.toString());
        Card card = Card.load(Path.of(file));
        PublicKey authKey = card.authCertificate().orElseThrow().getPublicKey();
        PublicKey signKey = card.signCertificate().orElseThrow().getPublicKey();

        String challenge = b64url("registry-nonce-1");
        byte[] challengeBytes = "registry-nonce-1".getBytes(StandardCharsets.UTF_8);
        assertTrue(verifies(authKey, challengeBytes,
                ok("sign", "--card", file, "--pin", "1234", "--challenge", challenge).out().trim()));
        assertTrue(verifies(authKey, challengeBytes,
                ok("activate", "--card", file, "--pin", "1234", "--challenge", challenge).out().trim()));
        assertTrue(verifies(signKey, "document".getBytes(StandardCharsets.UTF_8),
                ok("sign-document", "--card", file, "--password", "abc123", "--data", b64url("document"))
                        .out().trim()));

        String shown = ok("show", "--card", file).out();
        assertTrue(shown.contains("CARD-CLI-1"), shown);
        assertTrue(shown.contains("3 tries left"), shown);
        assertTrue(shown.contains("subject=CN=APP-9,SERIALNUMBER=CARD-CLI-1"), shown);
        assertFalse(shown.contains("PRIVATE") || shown.contains("ciphertext"), shown);
        JsonNode shownJson = JSON.readTree(ok("show", "--card", file, "--json").out());
        assertEquals(5, shownJson.get("signTriesLeft").asInt());
        assertEquals("CN=APP-9,SERIALNUMBER=CARD-CLI-1", shownJson.get("signCertificate").get("subject").asText());
    }

    @Test
    void installAcceptsAnIssuanceJson() throws Exception {
        String file = dir.resolve("card.json").toString();
        ok("create", "--card", file, "--pin", "1111", "--password", "Passw0rd");
        JsonNode csrs = JSON.readTree(ok("request", "--card", file, "--application", "A",
                "--pin", "1111", "--password", "Passw0rd").out());
        TestCa ca = new TestCa();
        var issuance = JSON.createObjectNode()
                .put("cardId", "ignored-extra-field")
                .put("authCertificate", ca.issueFor(csrs.get("authCsr").asText()))
                .put("signCertificate", ca.issueFor(csrs.get("signCsr").asText()));
        Path issuanceFile = Files.writeString(dir.resolve("issuance.json"), JSON.writeValueAsString(issuance));
        ok("install", "--card", file, "--issuance", issuanceFile.toString());
        assertTrue(Card.load(Path.of(file)).authCertificate().isPresent());
        assertTrue(Card.load(Path.of(file)).signCertificate().isPresent());
    }

    @Test
    void errorsExitWith2AndOneLineCodeAndMessageOnStderr() throws Exception {
        String file = dir.resolve("card.json").toString();
        ok("create", "--card", file, "--pin", "1234", "--password", "abc123");
        String challenge = b64url("n");

        Run wrong = card("sign", "--card", file, "--pin", "0000", "--challenge", challenge);
        assertEquals(2, wrong.exit());
        assertEquals("error: wrong-pin: wrong PIN, 2 tries left", wrong.err().trim());
        assertEquals("", wrong.out());
        card("sign", "--card", file, "--pin", "0000", "--challenge", challenge);
        card("sign", "--card", file, "--pin", "0000", "--challenge", challenge);
        Run locked = card("activate", "--card", file, "--pin", "1234", "--challenge", challenge);
        assertEquals(2, locked.exit());
        assertTrue(locked.err().startsWith("error: auth-locked: "), locked.err());
        assertEquals(1, locked.err().trim().lines().count());

        assertTrue(card("create", "--card", dir.resolve("x.json").toString(), "--pin", "12", "--password",
                "abc123").err().startsWith("error: pin-format: "));
        assertTrue(card("sign-document", "--card", file, "--password", "abc123", "--data", "***").err()
                .startsWith("error: input-format: "));
        Run missing = card("show", "--card", dir.resolve("nope.json").toString());
        assertEquals(2, missing.exit());
        assertTrue(missing.err().startsWith("error: card-file: "), missing.err());
        Run exists = card("create", "--card", file, "--pin", "1234", "--password", "abc123");
        assertEquals(2, exists.exit());
        assertTrue(exists.err().startsWith("error: card-file: "), exists.err());

        Path foreign = Files.writeString(dir.resolve("foreign.pem"), TestCa.selfSigned("CN=someone else"));
        Run mismatch = card("install", "--card", file, "--auth-cert", foreign.toString());
        assertEquals(2, mismatch.exit());
        assertTrue(mismatch.err().startsWith("error: certificate-key-mismatch: "), mismatch.err());

        assertEquals(2, card("sign", "--card", file).exit()); // usage error
        StringWriter err = new StringWriter();
        CommandLine main = CardCli.commandLine();
        main.setErr(new PrintWriter(err, true));
        assertEquals(2, main.execute("sign", "--card", file));
        assertTrue(err.toString().startsWith("error: usage: "), err.toString());
        assertEquals(1, err.toString().trim().lines().count());
    }

    @Test
    void presentPrintsTheCertificateAndASignatureOverTheClinicsNonce() throws Exception {
        String file = dir.resolve("reader.json").toString();
        ok("create", "--card", file, "--pin", "1234", "--password", "abc123", "--id", "CARD-READER");
        JsonNode csrs = JSON.readTree(ok("request", "--card", file, "--application", "APP-R",
                "--pin", "1234", "--password", "abc123").out());
        TestCa ca = new TestCa();
        Path authPem = Files.writeString(dir.resolve("auth.pem"), ca.issueFor(csrs.get("authCsr").asText()));
        ok("install", "--card", file, "--auth-cert", authPem.toString());

        String nonce = b64url("the clinic's nonce");
        JsonNode answer = JSON.readTree(ok("present", "--card", file, "--pin", "1234", "--challenge=" + nonce).out());
        java.security.cert.X509Certificate cert = (java.security.cert.X509Certificate)
                java.security.cert.CertificateFactory.getInstance("X.509").generateCertificate(
                        new java.io.ByteArrayInputStream(answer.get("certificate").asText().getBytes(StandardCharsets.US_ASCII)));
        assertEquals(Card.load(Path.of(file)).authCertificate().orElseThrow(), cert);
        assertTrue(verifies(cert.getPublicKey(), "the clinic's nonce".getBytes(StandardCharsets.UTF_8),
                answer.get("signature").asText()));

        Run wrongPin = card("present", "--card", file, "--pin", "9999", "--challenge=" + nonce);
        assertEquals(CardCli.ERROR, wrongPin.exit());
        assertTrue(wrongPin.out().isEmpty(), "no signature for a wrong PIN");
    }

    @Test
    void approveLoginTakesTheCodeOrTheQrCodesUriButNotBothNorNeither() {
        assertEquals("WDJB-MJHT", CardCli.ApproveLogin.userCode("WDJB-MJHT", null));
        assertEquals("WDJB-MJHT", CardCli.ApproveLogin.userCode(null,
                "https://card-app.myna.example/login?user_code=WDJB-MJHT"));
        assertEquals("WDJB-MJHT", CardCli.ApproveLogin.userCode(null,
                "https://card-app.myna.example/login?lang=ja&user_code=WDJB%2DMJHT"));
        for (String[] wrong : new String[][] {{null, null}, {"WDJB-MJHT", "https://x.example/?user_code=WDJB-MJHT"},
                {null, "https://card-app.myna.example/login"}, {null, "https://card-app.myna.example/login?code=X"}}) {
            org.myna.card.CardException e = org.junit.jupiter.api.Assertions.assertThrows(org.myna.card.CardException.class,
                    () -> CardCli.ApproveLogin.userCode(wrong[0], wrong[1]));
            assertTrue(e.getMessage() != null);
        }
    }
}
