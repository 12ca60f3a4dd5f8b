package org.myna.card.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayOutputStream;
import java.io.Console;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;
import java.util.Stack;
import java.util.concurrent.Callable;
import org.bouncycastle.asn1.x500.X500Name;
import org.myna.card.Card;
import org.myna.card.CardException;
import org.myna.card.CertificateRequests;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.IParameterPreprocessor;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * The card reader for people: {@code card create|request|install|sign|sign-document|activate|show}. Every
 * subcommand works on a card file given by {@code --card FILE}. Errors: exit code 2 and one line
 * {@code error: <code>: <message>} on stderr.
 *
 * <p>{@code --pin} and {@code --password} given without a value are asked for interactively (so they stay out
 * of the shell history and the process list).
 *
 * <p>Option values are data (a base64url challenge begins with '-' one time in 64): {@link #commandLine()} takes
 * them literally, even when they look like an option, and {@code --opt=VALUE} works too (issue 16).
 */
@Command(name = "card", mixinStandardHelpOptions = true, version = "card-simulator 0.1.0",
        description = "Software stand-in for the My Number IC card and its reader.", footer = CardCli.VALUES,
        subcommands = {CardCli.Create.class, CardCli.Request.class, CardCli.Install.class, CardCli.Sign.class,
                CardCli.SignDocument.class, CardCli.Activate.class, CardCli.Show.class, CardCli.Present.class,
                CardCli.ApproveLogin.class})
public class CardCli implements Runnable {
    static final int ERROR = 2;
    static final String VALUES = "%nOption values are taken literally, even when they begin with '-'; "
            + "--challenge=VALUE also works. --pin or --password followed by an option name, or last, has no value "
            + "and is asked for (--pin=VALUE always is the value).";
    private static final ObjectMapper JSON = new ObjectMapper();

    @Spec
    CommandSpec spec;

    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }

    /** The command line as {@link #main} runs it: usage errors are reported on one line, too. */
    public static CommandLine commandLine() {
        CommandLine commandLine = new CommandLine(new CardCli())
                // an option's value is the next argument, even "-h4vm..." or "--card" (default: refused as an option)
                .setAllowOptionsAsOptionParameters(true)
                // a stray "-h4vm..." is an error, not -h clustered with more letters (which printed help, exit 0)
                .setPosixClusteredShortOptionsAllowed(false);
        commandLine.setParameterExceptionHandler((ex, args) -> {
            ex.getCommandLine().getErr().println("error: usage: " + ex.getMessage()
                    + " (try '" + ex.getCommandLine().getCommandSpec().qualifiedName() + " --help')");
            return ERROR;
        });
        return commandLine;
    }

    @Override
    public void run() {
        throw new ParameterException(spec.commandLine(), "a subcommand is required");
    }

    /**
     * {@code --pin}/{@code --password} (arity 0..1): an option name (or nothing) after them still means "no value,
     * ask for it" - {@code setAllowOptionsAsOptionParameters} alone would take that option name as the value.
     * Any other next argument, or {@code --pin=VALUE}, is the value, taken literally by picocli.
     */
    static final class Secret implements IParameterPreprocessor {
        @Override
        public boolean preprocess(Stack<String> args, CommandSpec command, ArgSpec option, Map<String, Object> info) {
            boolean attached = !" ".equals(info.get("separator")); // "=" for --pin=VALUE
            if (attached || !args.isEmpty() && !isOptionName(command, args.peek())) {
                return false;
            }
            option.setValue(ask((OptionSpec) option));
            return true;
        }

        private static boolean isOptionName(CommandSpec command, String arg) {
            int separator = arg.indexOf('=');
            return command.optionsMap().containsKey(separator > 0 ? arg.substring(0, separator) : arg)
                    || arg.equals(command.parser().endOfOptionsDelimiter());
        }

        /** Asks like picocli's interactive options: on the console without echo, else one line of stdin. */
        static String ask(OptionSpec option) {
            String prompt = "Enter value for " + option.longestName()
                    + (option.description().length > 0 ? " (" + option.description()[0] + ")" : "") + ": ";
            Console console = System.console();
            if (console != null) {
                char[] secret = console.readPassword("%s", prompt);
                return secret == null ? "" : new String(secret);
            }
            System.err.print(prompt); // stdout carries the answer
            System.err.flush();
            ByteArrayOutputStream line = new ByteArrayOutputStream();
            try { // byte by byte: a buffered reader would swallow the next secret's line
                for (int b = System.in.read(); b != -1 && b != '\n'; b = System.in.read()) {
                    line.write(b);
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            return line.toString(StandardCharsets.UTF_8).replaceFirst("\r$", "");
        }
    }

    /** The common part of every subcommand: the card file, the error convention and the footer on values. */
    @Command(footer = VALUES)
    abstract static class CardCommand implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Option(names = "--card", required = true, paramLabel = "FILE", description = "the card file")
        Path card;

        @Override
        public final Integer call() {
            PrintWriter out = spec.commandLine().getOut();
            try {
                execute(out);
                out.flush();
                return 0;
            } catch (ParameterException e) {
                throw e;
            } catch (CardException e) {
                return fail(e.code(), e.getMessage());
            } catch (IOException e) {
                return fail("input-file", "cannot read " + e.getMessage());
            } catch (IllegalArgumentException e) {
                return fail("input-format", e.getMessage());
            }
        }

        private int fail(String code, String message) {
            PrintWriter err = spec.commandLine().getErr();
            err.println("error: " + code + ": " + (message == null ? "" : message.replace('\n', ' ')));
            err.flush();
            return ERROR;
        }

        abstract void execute(PrintWriter out) throws IOException;
    }

    @Command(name = "create", mixinStandardHelpOptions = true,
            description = "Issue a new card (fresh key pairs) into FILE and print its card id.")
    static final class Create extends CardCommand {
        @Option(names = "--pin", required = true, interactive = true, arity = "0..1",
                description = "authentication PIN: exactly 4 digits",
                preprocessor = Secret.class)
        String pin;
        @Option(names = "--password", required = true, interactive = true, arity = "0..1",
                description = "signature password: 6-16 ASCII letters or digits",
                preprocessor = Secret.class)
        String password;
        @Option(names = "--id", paramLabel = "CARDID", description = "card id (default: 12 random characters)")
        String id;
        @Option(names = "--force", description = "replace an existing card file")
        boolean force;

        @Override
        void execute(PrintWriter out) {
            if (Files.exists(card) && !force) {
                throw new CardException("card-file", card + " already exists (use --force to replace it)");
            }
            Card created = Card.create(id, pin, password);
            created.save(card);
            out.println(created.cardId());
        }
    }

    @Command(name = "request", mixinStandardHelpOptions = true,
            description = "Print the two certificate requests as JSON {\"authCsr\":PEM,\"signCsr\":PEM}.")
    static final class Request extends CardCommand {
        @Option(names = "--application", required = true, paramLabel = "APPID",
                description = "the card application id (becomes the CN)")
        String application;
        @Option(names = "--pin", required = true, interactive = true, arity = "0..1", preprocessor = Secret.class)
        String pin;
        @Option(names = "--password", required = true, interactive = true, arity = "0..1",
                preprocessor = Secret.class)
        String password;

        @Override
        void execute(PrintWriter out) throws IOException {
            CertificateRequests requests = Card.load(card).certificateRequests(application, pin, password);
            ObjectNode json = JSON.createObjectNode();
            json.put("authCsr", requests.authCsrPem());
            json.put("signCsr", requests.signCsrPem());
            out.println(JSON.writeValueAsString(json));
        }
    }

    @Command(name = "install", mixinStandardHelpOptions = true,
            description = "Store issued certificates: --auth-cert/--sign-cert PEM files, or --issuance JSON "
                    + "with fields authCertificate and signCertificate.")
    static final class Install extends CardCommand {
        @Option(names = "--auth-cert", paramLabel = "FILE")
        Path authCert;
        @Option(names = "--sign-cert", paramLabel = "FILE")
        Path signCert;
        @Option(names = "--issuance", paramLabel = "FILE")
        Path issuance;

        @Override
        void execute(PrintWriter out) throws IOException {
            String authPem;
            String signPem;
            if (issuance != null) {
                if (authCert != null || signCert != null) {
                    throw new ParameterException(spec.commandLine(),
                            "use either --issuance or --auth-cert/--sign-cert, not both");
                }
                JsonNode json;
                try {
                    json = JSON.readTree(Files.readString(issuance, StandardCharsets.UTF_8));
                } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
                    throw new IllegalArgumentException(issuance + " is not JSON");
                }
                authPem = text(json, "authCertificate");
                signPem = text(json, "signCertificate");
            } else {
                if (authCert == null && signCert == null) {
                    throw new ParameterException(spec.commandLine(),
                            "give --auth-cert and/or --sign-cert, or --issuance");
                }
                authPem = authCert == null ? null : Files.readString(authCert, StandardCharsets.UTF_8);
                signPem = signCert == null ? null : Files.readString(signCert, StandardCharsets.UTF_8);
            }
            Card.load(card).installCertificates(authPem, signPem);
            out.println("installed");
        }

        private static String text(JsonNode json, String field) {
            JsonNode node = json == null ? null : json.get(field);
            return node == null || node.isNull() ? null : node.asText();
        }
    }

    /** Signing with the authentication key over a base64url challenge. */
    abstract static class AuthSignCommand extends CardCommand {
        @Option(names = "--pin", required = true, interactive = true, arity = "0..1", preprocessor = Secret.class)
        String pin;
        @Option(names = "--challenge", required = true, paramLabel = "BASE64URL",
                description = "the challenge (nonce) bytes, base64url")
        String challenge;

        @Override
        void execute(PrintWriter out) {
            out.println(encode(Card.load(card).signWithAuthKey(pin, decode("challenge", challenge))));
        }
    }

    @Command(name = "sign", mixinStandardHelpOptions = true,
            description = "Sign a challenge with the authentication key; prints the DER signature, base64url.")
    static final class Sign extends AuthSignCommand {
    }

    @Command(name = "present", mixinStandardHelpOptions = true,
            description = "The reader at a clinic's counter: sign the clinic's nonce after the PIN and print what the "
                    + "reader hands the reception page, one line of JSON {\"certificate\":PEM,\"signature\":BASE64URL}.")
    static final class Present extends CardCommand {
        @Option(names = "--pin", required = true, interactive = true, arity = "0..1", preprocessor = Secret.class)
        String pin;
        @Option(names = "--challenge", required = true, paramLabel = "BASE64URL",
                description = "the clinic's nonce, base64url")
        String challenge;

        @Override
        void execute(PrintWriter out) throws IOException {
            Card c = Card.load(card);
            X509Certificate certificate = c.authCertificate().orElseThrow(() ->
                    new CardException("no-certificate", "the card has no authentication certificate installed"));
            byte[] signature = c.signWithAuthKey(pin, decode("challenge", challenge));
            ObjectNode json = JSON.createObjectNode();
            json.put("certificate", pem(certificate));
            json.put("signature", encode(signature));
            out.println(JSON.writeValueAsString(json));
        }
    }

    @Command(name = "approve-login", aliases = "approve", mixinStandardHelpOptions = true,
            description = "The card app on the phone: approve a login, or an act (apply for points, register a public-fund "
                    + "account, choose a payment service), from a PC (RFC 8628's shape). Shows which portal asks, the act, "
                    + "the code and when it was started BEFORE the PIN; then the card signs that request's nonce and "
                    + "the approval goes to the registry.")
    static final class ApproveLogin extends CardCommand {
        /** The acts in words, Japanese and English, as the holder reads them before the PIN. */
        static final Map<String, String> ACTS = Map.of(
                "apply-points", "ポイントを申し込む / apply for points",
                "register-public-fund-account", "公金受取口座を登録する / register a public-fund account",
                "choose-payment-service", "決済サービスを選ぶ / choose a payment service",
                "create-virtual-id", "仮想IDを作る / create a virtual ID");
        @Option(names = "--registry", required = true, paramLabel = "URL", description = "the registry, e.g. http://localhost:8081")
        String registry;
        @Option(names = "--code", paramLabel = "CODE", description = "the code the PC shows, e.g. WDJB-MJHT")
        String code;
        @Option(names = "--uri", paramLabel = "URI", description = "or what the PC's QR code holds: RFC 8628's "
                + "verification_uri_complete, e.g. https://card-app.myna.example/login?user_code=WDJB-MJHT")
        String uri;
        @Option(names = "--pin", arity = "0..1", description = "authentication PIN; asked for after the login is shown when absent")
        String pin;

        @Override
        void execute(PrintWriter out) throws IOException {
            Card c = Card.load(card);
            X509Certificate certificate = c.authCertificate().orElseThrow(() ->
                    new CardException("no-certificate", "the card has no authentication certificate installed"));
            code = userCode(code, uri);
            JsonNode pending = post("/api/device-logins/lookup", JSON.createObjectNode().put("userCode", code));
            // What the holder approves, shown before any PIN: a phisher's "claim your points" does not say this.
            String operation = pending.path("operation").asText("");
            if (operation.isEmpty()) {
                out.println("Log in to:   " + pending.path("clientName").asText() + " (" + pending.path("clientId").asText() + ")");
            } else {
                // An act: the holder sees what she signs for, not only where (a relayed "log in" is not "apply").
                out.println("Portal:      " + pending.path("clientName").asText() + " (" + pending.path("clientId").asText() + ")");
                out.println("Act:         " + ACTS.getOrDefault(operation, operation) + " [" + operation + "]");
                out.println("Details:     " + pending.path("act").asText());
            }
            out.println("Code:        " + pending.path("userCode").asText());
            out.println("Started at:  " + pending.path("createdAt").asText());
            out.println("Valid until: " + pending.path("expiresAt").asText());
            out.println(operation.isEmpty() ? "Approve only if you started this login yourself, just now, on that portal."
                    : "Approve only if you asked for this very act yourself, just now, on that portal.");
            out.flush();
            String thePin = pin;
            if (thePin == null || thePin.isEmpty()) {
                OptionSpec option = spec.findOption("--pin");
                thePin = Secret.ask(option);
            }
            byte[] nonce = decode("nonce", pending.path("nonce").asText());
            String signature = encode(c.signWithAuthKey(thePin, nonce));
            ObjectNode approval = JSON.createObjectNode().put("userCode", code).put("certificate", pem(certificate))
                    .put("signature", signature);
            post("/api/device-logins/approval", approval);
            out.println("approved");
        }

        /**
         * The login's code: given as is, or read from the QR code's URI (its user_code parameter). Only the code
         * leaves the phone; the app still shows the portal, the code and the time before the PIN.
         */
        static String userCode(String code, String uri) {
            if ((code == null) == (uri == null)) {
                throw new CardException("code-or-uri", "give either --code or --uri (what the QR code holds), not both");
            }
            if (code != null) {
                return code;
            }
            int q = uri.indexOf('?');
            if (q >= 0) {
                for (String pair : uri.substring(q + 1).split("&")) {
                    if (pair.startsWith("user_code=")) {
                        return java.net.URLDecoder.decode(pair.substring("user_code=".length()), StandardCharsets.UTF_8);
                    }
                }
            }
            throw new CardException("uri-without-code", "the URI holds no user_code: scan the QR code again");
        }

        private JsonNode post(String path, ObjectNode body) throws IOException {
            java.net.http.HttpClient http = java.net.http.HttpClient.newBuilder()
                    .connectTimeout(java.time.Duration.ofSeconds(5)).build();
            java.net.http.HttpRequest request = java.net.http.HttpRequest.newBuilder(
                            java.net.URI.create(registry.replaceAll("/+$", "") + path))
                    .timeout(java.time.Duration.ofSeconds(15))
                    .header("Content-Type", "application/json")
                    .POST(java.net.http.HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body))).build();
            java.net.http.HttpResponse<String> response;
            try {
                response = http.send(request, java.net.http.HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new CardException("registry-unavailable", "interrupted");
            } catch (IOException e) {
                throw new CardException("registry-unavailable", "cannot reach " + registry + ": " + e.getMessage());
            }
            JsonNode answer;
            try {
                answer = JSON.readTree(response.body());
            } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
                answer = JSON.createObjectNode();
            }
            if (response.statusCode() >= 300) {
                throw new CardException(answer.path("code").asText("http-" + response.statusCode()),
                        answer.path("detail").asText("the registry refused (HTTP " + response.statusCode() + ")"));
            }
            return answer;
        }
    }

    static String pem(X509Certificate certificate) {
        try {
            return "-----BEGIN CERTIFICATE-----\n"
                    + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
                            .encodeToString(certificate.getEncoded())
                    + "\n-----END CERTIFICATE-----\n";
        } catch (java.security.cert.CertificateEncodingException e) {
            throw new CardException("card-file", "unreadable certificate: " + e.getMessage());
        }
    }

    @Command(name = "activate", mixinStandardHelpOptions = true,
            description = "Sign the activation challenge with the authentication key; prints the signature, "
                    + "base64url.")
    static final class Activate extends AuthSignCommand {
    }

    @Command(name = "sign-document", mixinStandardHelpOptions = true,
            description = "Sign data with the signature key; prints the DER signature, base64url.")
    static final class SignDocument extends CardCommand {
        @Option(names = "--password", required = true, interactive = true, arity = "0..1",
                preprocessor = Secret.class)
        String password;
        @Option(names = "--data", required = true, paramLabel = "BASE64URL", description = "the data, base64url")
        String data;

        @Override
        void execute(PrintWriter out) {
            out.println(encode(Card.load(card).signWithSignatureKey(password, decode("data", data))));
        }
    }

    @Command(name = "show", mixinStandardHelpOptions = true,
            description = "Show card id, retry counters and certificates (no private data).")
    static final class Show extends CardCommand {
        @Option(names = "--json", description = "print JSON instead of text")
        boolean json;

        @Override
        void execute(PrintWriter out) throws IOException {
            Card c = Card.load(card);
            if (json) {
                ObjectNode node = JSON.createObjectNode();
                node.put("cardId", c.cardId());
                node.put("authTriesLeft", c.authTriesLeft());
                node.put("authLocked", c.authLocked());
                node.put("signTriesLeft", c.signTriesLeft());
                node.put("signLocked", c.signLocked());
                certificateJson(node, "authCertificate", c.authCertificate());
                certificateJson(node, "signCertificate", c.signCertificate());
                out.println(JSON.writerWithDefaultPrettyPrinter().writeValueAsString(node));
                return;
            }
            out.println("card id:                    " + c.cardId());
            out.println("authentication PIN:         " + c.authTriesLeft() + " tries left"
                    + (c.authLocked() ? " (LOCKED)" : ""));
            out.println("signature password:         " + c.signTriesLeft() + " tries left"
                    + (c.signLocked() ? " (LOCKED)" : ""));
            out.println("authentication certificate: " + describe(c.authCertificate()));
            out.println("signature certificate:      " + describe(c.signCertificate()));
        }

        private static void certificateJson(ObjectNode node, String field, Optional<X509Certificate> cert) {
            if (cert.isEmpty()) {
                node.putNull(field);
                return;
            }
            ObjectNode c = node.putObject(field);
            c.put("subject", subject(cert.get()));
            c.put("issuer", X500Name.getInstance(cert.get().getIssuerX500Principal().getEncoded()).toString());
            c.put("serial", cert.get().getSerialNumber().toString(16).toUpperCase());
            c.put("notBefore", cert.get().getNotBefore().toInstant().toString());
            c.put("notAfter", cert.get().getNotAfter().toInstant().toString());
        }

        private static String describe(Optional<X509Certificate> cert) {
            return cert.map(c -> "subject=" + subject(c) + ", serial=" + c.getSerialNumber().toString(16).toUpperCase()
                    + ", valid " + c.getNotBefore().toInstant() + " to " + c.getNotAfter().toInstant())
                    .orElse("none");
        }

        private static String subject(X509Certificate cert) {
            return X500Name.getInstance(cert.getSubjectX500Principal().getEncoded()).toString();
        }
    }

    static String encode(byte[] bytes) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    static byte[] decode(String what, String base64url) {
        try {
            return Base64.getUrlDecoder().decode(base64url.trim());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(what + " is not base64url: " + e.getMessage());
        }
    }
}
