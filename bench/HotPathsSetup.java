import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.spec.PKCS8EncodedKeySpec;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The wallet's hot paths without a registry: the bench is its own token issuer (RS256, the wallet started with its
 * public key) and a fake registry answers the exchange. Setup goes through the wallet's real APIs (campaign, payment
 * service, merchant, each resident's binding started and confirmed); then files for wrk are written: one line per
 * single-use operation token (grants), the provider's token and the residents' account ids (charges, redemptions).
 *
 * java bench/HotPathsSetup.java keys dir=D            -> D/verify.pem, D/signing.der
 * java bench/HotPathsSetup.java setup dir=D wallet=URL residents=N [rules=insurance-link,public-fund-account]
 */
public class HotPathsSetup {

    static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5)).build();
    static final String ISSUER = "https://registry.myna.local";
    static PrivateKey key;

    public static void main(String[] args) throws Exception {
        java.util.Map<String, String> o = new java.util.HashMap<>();
        for (int i = 1; i < args.length; i++) {
            String[] kv = args[i].split("=", 2);
            o.put(kv[0], kv[1]);
        }
        Path dir = Path.of(o.get("dir"));
        Files.createDirectories(dir);
        if (args[0].equals("keys")) {
            KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
            g.initialize(2048);
            KeyPair kp = g.generateKeyPair();
            Files.writeString(dir.resolve("verify.pem"), "-----BEGIN PUBLIC KEY-----\n"
                    + Base64.getMimeEncoder(64, "\n".getBytes()).encodeToString(kp.getPublic().getEncoded()) + "\n-----END PUBLIC KEY-----\n");
            Files.write(dir.resolve("signing.der"), kp.getPrivate().getEncoded());
            return;
        }
        key = KeyFactory.getInstance("RSA").generatePrivate(new PKCS8EncodedKeySpec(Files.readAllBytes(dir.resolve("signing.der"))));
        String wallet = o.get("wallet");
        int residents = Integer.parseInt(o.getOrDefault("residents", "1000"));
        String campaign = o.getOrDefault("campaign", "bench");
        String auditor = token("bench-auditor", "auditor", null, null);
        String provider = token("bench-pay", "payment-provider", null, null);
        String registry = token("registry-service", "service", null, null);
        Files.writeString(dir.resolve("registry.token"), registry);
        List<String> rules = List.of(o.getOrDefault("rules", "insurance-link,public-fund-account").split(","));
        post(wallet, "/api/campaigns", auditor, "{\"id\":\"" + campaign + "\",\"name\":\"bench\",\"budget\":1000000000000,\"startsAt\":\""
                + OffsetDateTime.now().minusDays(1) + "\",\"endsAt\":\"" + OffsetDateTime.now().plusDays(30) + "\",\"rules\":["
                + "{\"rule\":\"card-acquisition\",\"kind\":\"percent-back\",\"percent\":25,\"cap\":5000},"
                + "{\"rule\":\"insurance-link\",\"kind\":\"fixed\",\"amount\":7500},"
                + "{\"rule\":\"public-fund-account\",\"kind\":\"fixed\",\"amount\":7500}]}", 201);
        String service = corporateNumber();
        post(wallet, "/api/payment-services", provider, "{\"corporateNumber\":\"" + service + "\",\"name\":\"Bench Pay\"}", 201);
        String merchant = corporateNumber();
        post(wallet, "/api/merchants", provider, "{\"corporateNumber\":\"" + merchant + "\",\"name\":\"Bench Shop\"}", 201);
        ExecutorService pool = Executors.newFixedThreadPool(8);
        List<Future<String[]>> made = new ArrayList<>();
        for (int i = 0; i < residents; i++) {
            made.add(pool.submit(() -> {
                // 32 characters, as the registry's link codes (the events' linkCode is at most 32).
                String linkCode = "bl" + UUID.randomUUID().toString().replace("-", "").substring(0, 30);
                String account = "acct-" + UUID.randomUUID().toString().substring(0, 18);
                String started = post(wallet, "/api/payment-choices", token(linkCode, "operation", "choose-payment-service", null),
                        "{\"paymentService\":\"" + service + "\",\"campaign\":\"" + campaign + "\"}", 201);
                Matcher m = Pattern.compile("\"bindingCode\":\"([^\"]+)\"").matcher(started);
                if (!m.find()) {
                    throw new IllegalStateException("no binding code");
                }
                post(wallet, "/api/payment-choices/confirmations", provider, "{\"bindingCode\":\"" + m.group(1) + "\",\"paymentAccount\":\""
                        + account + "\",\"holderKana\":\"ヤマダハナコ\"}", 200);
                // What the registry's outbox tells the wallet (issue 18 §2): its card is active and its account registered. A
                // wallet that keeps no eligibility facts ignores the event; the watermark comes from bench/hot-paths.sh.
                post(wallet, "/api/events", registry, "{\"eventId\":\"" + UUID.randomUUID() + "\",\"type\":\"eligibility-facts\",\"linkCode\":\""
                        + linkCode + "\",\"occurredAt\":\"" + OffsetDateTime.now() + "\",\"facts\":{\"sequence\":1,\"cardActive\":true,"
                        + "\"publicFundAccount\":true}}", 204);
                // card-acquisition (percent back on charges) is granted during setup, the fixed rules are the measured grants.
                post(wallet, "/api/applications", token(linkCode, "operation", "apply-points", null),
                        "{\"rule\":\"card-acquisition\",\"campaign\":\"" + campaign + "\"}", 201);
                return new String[]{linkCode, account};
            }));
        }
        List<String> grants = new ArrayList<>();
        List<String> accounts = new ArrayList<>();
        for (Future<String[]> f : made) {
            String[] r = f.get();
            accounts.add(r[1]);
            for (String rule : rules) {
                grants.add(token(r[0], "operation", "apply-points", null) + " " + rule);
            }
        }
        pool.shutdown();
        java.util.Collections.shuffle(grants);
        Files.write(dir.resolve("grants.txt"), grants);
        Files.write(dir.resolve("accounts.txt"), accounts);
        Files.writeString(dir.resolve("provider.token"), provider);
        Files.writeString(dir.resolve("merchant.txt"), merchant);
        // A token for the floor of grants: refused (unknown rule) before any database work.
        Files.writeString(dir.resolve("floor-grant.token"), token("bl-floor", "operation", "apply-points", null));
        System.out.println("setup: residents=" + residents + " grants=" + grants.size() + " campaign=" + campaign);
    }

    static String post(String base, String path, String bearer, String json, int expected) {
        for (int attempt = 0; ; attempt++) {
            try {
                HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(60))
                        .header("Authorization", "Bearer " + bearer).header("Content-Type", "application/json")
                        .header("Idempotency-Key", UUID.randomUUID().toString())
                        .POST(HttpRequest.BodyPublishers.ofString(json)).build(), HttpResponse.BodyHandlers.ofString());
                if (r.statusCode() == expected) {
                    return r.body();
                }
                if (r.statusCode() < 500 || attempt > 5) {
                    throw new IllegalStateException(path + " -> " + r.statusCode() + " " + r.body());
                }
            } catch (java.io.IOException | InterruptedException e) {
                if (attempt > 5) {
                    throw new IllegalStateException(e);
                }
            }
        }
    }

    static String corporateNumber() {
        StringBuilder base = new StringBuilder();
        for (int i = 0; i < 12; i++) {
            base.append(ThreadLocalRandom.current().nextInt(10));
        }
        int sum = 0;
        for (int n = 1; n <= 12; n++) {
            sum += (base.charAt(12 - n) - '0') * (n % 2 == 1 ? 1 : 2);
        }
        return (9 - sum % 9) + base.toString();
    }

    /** An RS256 token as the registry would issue it; operation tokens get a jti and, for the bench, an hour to live. */
    static String token(String subject, String group, String op, String unused) throws Exception {
        long now = System.currentTimeMillis() / 1000;
        String aud = group.equals("operation") || group.equals("resident") ? "\"wallet\"" : "[\"registry\",\"wallet\",\"insurance\"]";
        String claims = "{\"iss\":\"" + ISSUER + "\",\"sub\":\"" + subject + "\",\"aud\":" + aud + ",\"groups\":[\"" + group + "\"],\"iat\":" + now
                + ",\"exp\":" + (now + 7200) + ",\"jti\":\"" + UUID.randomUUID() + "\"" + (op == null ? "" : ",\"op\":\"" + op + "\"") + "}";
        String head = b64("{\"alg\":\"RS256\",\"typ\":\"JWT\"}".getBytes(StandardCharsets.UTF_8)) + "." + b64(claims.getBytes(StandardCharsets.UTF_8));
        Signature s = Signature.getInstance("SHA256withRSA");
        s.initSign(key);
        s.update(head.getBytes(StandardCharsets.US_ASCII));
        return head + "." + b64(s.sign());
    }

    static String b64(byte[] b) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
    }

}
