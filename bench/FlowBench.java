import org.myna.card.Card;
import org.myna.card.CertificateRequests;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.Statement;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.function.IntConsumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * End-to-end benchmarks through the real HTTP APIs, with card-simulator's Card as the card. Every figure is printed
 * as key=value lines, next to its baseline measured in the same run.
 *
 * java -cp card-simulator-cli.jar:h2.jar bench/FlowBench.java cards|eligibility|wallet|reconcile|population key=value...
 * keys: registry, insurance, wallet (base URLs); holders, clients, seconds, rate, members, jdbc, migration.
 */
public class FlowBench {

    static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).executor(Executors.newFixedThreadPool(8)).build();
    static final String PIN = "1234";
    static final String PASSWORD = "abc123";
    static final String[] PREFS = {"東京都", "大阪府", "北海道", "福岡県", "愛知県", "神奈川県", "沖縄県"};
    static final AtomicInteger RETRIES = new AtomicInteger();
    static Map<String, String> opts = new ConcurrentHashMap<>();

    record Holder(String number, int ref, Card card, String cardId, String authPem, java.security.PrivateKey key) {
    }

    /**
     * The card's signature over a nonce. card=sim: Card.signWithAuthKey every time (PIN check = PBKDF2 120,000
     * rounds, ~50 ms of CPU on this machine: the work a real card's chip does, not the clinic's or the server's).
     * card=key (default for load phases): the same ECDSA P-256 SHA256withECDSA DER signature with the card's own
     * auth key, unsealed once through the simulator's PIN check, so the load driver does not eat the server's CPU.
     */
    static byte[] cardSign(Holder h, byte[] nonce) {
        if (opt("card", "key").equals("sim")) {
            return h.card().signWithAuthKey(PIN, nonce);
        }
        try {
            java.security.Signature s = java.security.Signature.getInstance("SHA256withECDSA");
            s.initSign(h.key());
            s.update(nonce);
            return s.sign();
        } catch (java.security.GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    static java.security.PrivateKey unsealedAuthKey(Card card) {
        try {
            java.lang.reflect.Field auth = Card.class.getDeclaredField("auth");
            auth.setAccessible(true);
            Object slot = auth.get(card);
            java.lang.reflect.Method unlock = Card.class.getDeclaredMethod("unlock", slot.getClass(), String.class);
            unlock.setAccessible(true);
            synchronized (card) {
                return (java.security.PrivateKey) unlock.invoke(card, slot, PIN);
            }
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(e);
        }
    }

    public static void main(String[] args) throws Exception {
        for (int i = 1; i < args.length; i++) {
            String[] kv = args[i].split("=", 2);
            opts.put(kv[0], kv[1]);
        }
        switch (args[0]) {
            case "cards" -> cards();
            case "eligibility" -> eligibility();
            case "wallet" -> wallet();
            case "reconcile" -> reconcile();
            case "population" -> population();
            case "campaign" -> campaign();
            default -> throw new IllegalArgumentException(args[0]);
        }
        System.exit(0);
    }

    static String opt(String k, String d) {
        return opts.getOrDefault(k, d);
    }

    static int iopt(String k, int d) {
        return Integer.parseInt(opt(k, Integer.toString(d)));
    }

    // ---------------------------------------------------------------- scenario 1: card issuance and card logins

    static void cards() throws Exception {
        String registry = opt("registry", "http://localhost:18181");
        int holders = iopt("holders", 200);
        int clients = iopt("clients", 4);
        int seconds = iopt("seconds", 20);
        List<String> numbers = importResidents(registry, holders, "cards");
        // Warm-up issuance (JIT): 20 cards, not counted.
        issueAll(registry, importResidents(registry, 20, "cards-warm"), clients);
        long t0 = System.nanoTime();
        List<Holder> issued = issueAll(registry, numbers, clients);
        double issueSeconds = (System.nanoTime() - t0) / 1e9;
        System.out.printf("issuances=%d clients=%d full_flow_seconds=%.2f full_flow_per_second=%.1f (application + card keys/CSRs on the client + issuance + install + activation)%n",
                issued.size(), clients, issueSeconds, issued.size() / issueSeconds);
        System.out.printf("issuance_endpoint_per_second=%.1f (POST /api/card-applications/{id}/issuance alone, %d clients)%n",
                lastIssuanceEndpointRate, clients);
        // Client-side card cost alone (key generation + CSRs), to separate it from the server's share.
        long c0 = System.nanoTime();
        for (int i = 0; i < 10; i++) {
            Card.create(null, PIN, PASSWORD).certificateRequests("app-" + i, PIN, PASSWORD);
        }
        System.out.printf("client_card_create_and_csr_ms=%.1f (single thread, per card)%n", (System.nanoTime() - c0) / 1e6 / 10);

        closedLoop("warmup_auth", clients, 5, i -> login(registry, issued.get(i % issued.size()), "registry"));
        opts.put("card", "sim");
        Result authSim = closedLoop("auth_with_card_simulator_signing", clients, seconds, i -> login(registry, issued.get(i % issued.size()), "registry"));
        opts.put("card", "key");
        startJfr(seconds * 2 + 30);
        Result auth = closedLoop("auth", clients, seconds, i -> login(registry, issued.get(i % issued.size()), "registry"));
        Result live = closedLoop("health_live", clients, seconds, i -> get(registry + "/q/health/live", null));
        long s0 = System.nanoTime();
        for (int i = 0; i < 2000; i++) {
            Holder h = issued.get(i % issued.size());
            cardSign(h, new byte[32]);
        }
        System.out.printf("client_ecdsa_sign_ms=%.3f (card key, single thread)%n", (System.nanoTime() - s0) / 1e6 / 2000);
        opts.put("card", "sim");
        long s1 = System.nanoTime();
        for (int i = 0; i < 20; i++) {
            cardSign(issued.get(i % issued.size()), new byte[32]);
        }
        opts.put("card", "key");
        System.out.printf("client_card_simulator_sign_ms=%.1f (Card.signWithAuthKey incl. PIN check, single thread)%n", (System.nanoTime() - s1) / 1e6 / 20);
        System.out.printf("auth_vs_health_live=%.2f%% auth_with_card_simulator_vs_health_live=%.2f%%%n", 100.0 * auth.rate() / live.rate(),
                100.0 * authSim.rate() / live.rate());
    }

    /** challenge → card signs the nonce → token. */
    static void login(String registry, Holder h, String audience) {
        String challenge = post(registry + "/api/auth/challenges", null, "{}", 200);
        String nonce = field(challenge, "nonce");
        String sig = b64(cardSign(h, Base64.getUrlDecoder().decode(nonce)));
        String body = "{\"challengeId\":\"" + field(challenge, "challengeId") + "\",\"certificate\":" + json(h.authPem())
                + ",\"signature\":\"" + sig + "\",\"audience\":\"" + audience + "\"}";
        post(registry + "/api/auth/tokens", null, body, 200);
    }

    static String operationToken(String registry, Holder h, String audience, String operation) {
        String challenge = post(registry + "/api/auth/challenges", null, "{}", 200);
        String sig = b64(cardSign(h, Base64.getUrlDecoder().decode(field(challenge, "nonce"))));
        String body = "{\"challengeId\":\"" + field(challenge, "challengeId") + "\",\"certificate\":" + json(h.authPem())
                + ",\"signature\":\"" + sig + "\",\"audience\":\"" + audience + "\",\"operation\":\"" + operation + "\"}";
        return field(post(registry + "/api/auth/operation-tokens", null, body, 200), "access_token");
    }

    record Prepared(String number, int ref, Card card, String applicationId, CertificateRequests csrs) {
    }

    static double lastIssuanceEndpointRate;

    /**
     * Full card flow per resident in three phases so the server's share can be timed alone: (1) application opened
     * + card keys and CSRs made on the client, (2) POST issuance (timed: the CA signs two certificates), (3) install
     * on the card and activation (card signs the activation challenge).
     */
    static List<Holder> issueAll(String registry, List<String> numbers, int clients) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(clients);
        List<Future<Prepared>> ps = new ArrayList<>();
        for (int i = 0; i < numbers.size(); i++) {
            String n = numbers.get(i);
            int ref = i;
            ps.add(pool.submit(() -> {
                String applicationId = field(post(registry + "/api/card-applications", token(registry, "demo-clerk"), "{\"number\":\"" + n + "\"}", 201), "applicationId");
                Card card = Card.create(null, PIN, PASSWORD);
                return new Prepared(n, ref, card, applicationId, card.certificateRequests(applicationId, PIN, PASSWORD));
            }));
        }
        List<Prepared> prepared = new ArrayList<>();
        for (Future<Prepared> f : ps) {
            prepared.add(f.get());
        }
        String[] answers = new String[prepared.size()];
        long t0 = System.nanoTime();
        List<Future<?>> is = new ArrayList<>();
        for (int i = 0; i < prepared.size(); i++) {
            int k = i;
            is.add(pool.submit(() -> {
                Prepared p = prepared.get(k);
                answers[k] = post(registry + "/api/card-applications/" + p.applicationId() + "/issuance", token(registry, "demo-clerk"),
                        "{\"authCsr\":" + json(p.csrs().authCsrPem()) + ",\"signCsr\":" + json(p.csrs().signCsrPem()) + "}", 200);
                return null;
            }));
        }
        for (Future<?> f : is) {
            f.get();
        }
        lastIssuanceEndpointRate = prepared.size() / ((System.nanoTime() - t0) / 1e9);
        List<Future<Holder>> hs = new ArrayList<>();
        for (int i = 0; i < prepared.size(); i++) {
            int k = i;
            hs.add(pool.submit(() -> {
                Prepared p = prepared.get(k);
                String issued = answers[k];
                String authPem = field(issued, "authCertificate");
                p.card().installCertificates(authPem, field(issued, "signCertificate"));
                String cardId = field(issued, "cardId");
                byte[] sig = p.card().signWithAuthKey(PIN, Base64.getUrlDecoder().decode(field(issued, "activationChallenge")));
                post(registry + "/api/cards/" + cardId + "/activation", token(registry, "demo-clerk"), "{\"signature\":\"" + b64(sig) + "\"}", 200);
                return new Holder(p.number(), p.ref(), p.card(), cardId, authPem, unsealedAuthKey(p.card()));
            }));
        }
        List<Holder> out = new ArrayList<>();
        for (Future<Holder> f : hs) {
            out.add(f.get());
        }
        pool.shutdown();
        return out;
    }

    // ---------------------------------------------------------------- scenario 2: eligibility at clinics, open loop

    static void eligibility() throws Exception {
        String registry = opt("registry", "http://localhost:18181");
        String insurance = opt("insurance", "http://localhost:18183");
        int holders = iopt("holders", 200);
        int seconds = iopt("seconds", 20);
        List<Integer> rates = Arrays.stream(opt("rates", "100,200,400").split(",")).map(Integer::parseInt).toList();
        List<String> numbers = importResidents(registry, holders, "elig");
        List<Holder> issued = issueAll(registry, numbers, 4);
        String insurerNumber = setupInsurer(insurance, registry);
        enrolAll(insurance, registry, insurerNumber, issued.stream().map(h -> new String[]{h.number(), Integer.toString(h.ref())}).toList(), 4);
        System.out.printf("setup: holders=%d with active cards, insurer=%s, members enrolled and linked%n", issued.size(), insurerNumber);
        String facilityUrl = insurance + "/api/eligibility";
        // Warm-up, a ramp (a cold JVM spends its first seconds compiling; a step to the full rate only measured that).
        for (int rate : List.of(25, 50, 75)) {
            openLoop("warmup", rate, 10, i -> cardCheck(facilityUrl, registry, issued.get(i % issued.size())));
        }
        startJfr(rates.size() * seconds * 2 + 30);
        for (int rate : rates) {
            openLoop("card_check", rate, seconds, i -> cardCheck(facilityUrl, registry, issued.get(i % issued.size())));
            openLoop("health_live", rate, seconds, i -> getAsync(insurance + "/q/health/live"));
            // Issue 18's baseline: the same JVM's authenticated one-row GET (a facility token, one row, JSON).
            openLoop("insurer_get", rate, seconds, i -> sendAsync(HttpRequest.newBuilder(URI.create(insurance + "/api/insurers/" + insurerNumber))
                    .header("Authorization", "Bearer " + token(registry, "demo-facility")).GET().build(), 200));
        }
    }

    /** JFR on the services for the measured phase only (option jfr=pid:file,pid:file); the script stops and dumps it. */
    /** Seconds the JVM's JIT compilers have spent so far (HotSpot perf counters), or NaN when not known. */
    static double compileSeconds(String pid) {
        if (pid == null || pid.isBlank()) {
            return Double.NaN;
        }
        try {
            Process p = new ProcessBuilder("jcmd", pid, "PerfCounter.print").redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes());
            p.waitFor();
            java.util.function.Function<String, Double> counter = name -> out.lines().filter(l -> l.startsWith(name + "="))
                    .map(l -> Double.parseDouble(l.substring(name.length() + 1))).findFirst().orElse(Double.NaN);
            return counter.apply("java.ci.totalTime") / counter.apply("sun.os.hrt.frequency");
        } catch (Exception e) {
            return Double.NaN;
        }
    }

    static void startJfr(int maxSeconds) throws Exception {
        for (String pf : opt("jfr", "").split(",")) {
            if (!pf.isBlank()) {
                String[] x = pf.split(":", 2);
                new ProcessBuilder("jcmd", x[0], "JFR.start", "name=bench", "settings=profile",
                        "duration=" + maxSeconds + "s", "filename=" + x[1]).redirectErrorStream(true)
                        .redirectOutput(ProcessBuilder.Redirect.DISCARD).start().waitFor();
            }
        }
    }

    static CompletableFuture<Void> cardCheck(String facilityUrl, String registry, Holder h) {
        String facility = token(registry, "demo-facility");
        return sendAsync(HttpRequest.newBuilder(URI.create(facilityUrl + "/challenges")).header("Authorization", "Bearer " + facility)
                .header("X-Institution-Code", "1312345678").POST(HttpRequest.BodyPublishers.noBody()).build(), 201)
                .thenCompose(challenge -> {
                    byte[] sig = cardSign(h, Base64.getUrlDecoder().decode(field(challenge, "nonce")));
                    String body = "{\"challengeId\":\"" + field(challenge, "challengeId") + "\",\"certificate\":" + json(h.authPem())
                            + ",\"signature\":\"" + b64(sig) + "\"}";
                    return sendAsync(HttpRequest.newBuilder(URI.create(facilityUrl + "/card-checks"))
                            .header("Authorization", "Bearer " + facility).header("X-Institution-Code", "1312345678")
                            .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build(), 200);
                }).thenAccept(answer -> {
                    if (!answer.contains("\"covered\"")) {
                        throw new IllegalStateException("not covered: " + answer);
                    }
                });
    }

    static String setupInsurer(String insurance, String registry) {
        int base = 1000000 + ThreadLocalRandom.current().nextInt(8000000);
        String insurerNumber = base + "" + checkInsurer(Integer.toString(base));
        String corp = corporateNumber();
        post(insurance + "/api/insurers", token(registry, "demo-insurer"),
                "{\"insurerNumber\":\"" + insurerNumber + "\",\"name\":\"Bench Kenpo " + insurerNumber + "\",\"corporateNumber\":\"" + corp + "\"}", 201);
        return insurerNumber;
    }

    /** Enrols each resident (number, ref) as a member with their individual number: the insurance service links via the registry. */
    static String memberJson(String[] r) {
        int n = Integer.parseInt(r[1]);
        return "{\"symbol\":\"B\",\"number\":\"" + UUID.randomUUID().toString().substring(0, 18) + "\",\"branch\":\"00\",\"copayRate\":30,"
                + "\"coverageStart\":\"2020-01-01\",\"familyName\":\"山田\",\"givenName\":\"花子" + n + "\",\"familyNameKana\":\"ヤマダ\","
                + "\"givenNameKana\":\"ハナコ\",\"dateOfBirth\":\"" + dob(n) + "\",\"sex\":\"" + (n % 2 == 0 ? "female" : "male")
                + "\",\"individualNumber\":\"" + r[0] + "\",\"address\":{\"postalCode\":\"100-0001\",\"prefecture\":\"" + PREFS[n % PREFS.length]
                + "\",\"municipality\":\"千代田区\",\"line\":\"千代田1-" + n + "\"}}";
    }

    static void enrolAll(String insurance, String registry, String insurerNumber, List<String[]> residents, int clients) throws Exception {
        enrol(insurance, registry, insurerNumber, residents, clients, 1);
    }

    /**
     * Enrols and links the residents as members: one by one through POST .../members (page 1), or in pages through
     * POST .../members/batch, each page linked by one registry call. Counts the members the registry did not link.
     */
    static void enrol(String insurance, String registry, String insurerNumber, List<String[]> residents, int clients, int page)
            throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(clients);
        AtomicInteger notLinked = new AtomicInteger();
        try {
            List<Future<?>> fs = new ArrayList<>();
            for (int from = 0; from < residents.size(); from += page) {
                List<String[]> members = residents.subList(from, Math.min(residents.size(), from + page));
                fs.add(pool.submit(() -> {
                    String answer;
                    if (page == 1) {
                        answer = post(insurance + "/api/insurers/" + insurerNumber + "/members", token(registry, "demo-insurer"),
                                memberJson(members.get(0)), 201);
                    } else {
                        StringBuilder body = new StringBuilder("{\"members\":[");
                        for (String[] r : members) {
                            body.append(body.length() > 12 ? "," : "").append(memberJson(r));
                        }
                        answer = post(insurance + "/api/insurers/" + insurerNumber + "/members/batch", token(registry, "demo-insurer"),
                                body.append("]}").toString(), 200);
                    }
                    int linked = answer.split("\"(linkStatus|status)\":\"linked\"", -1).length - 1;
                    if (linked != members.size() && notLinked.addAndGet(members.size() - linked) <= 3 * page) {
                        System.err.println("not linked: " + answer.substring(0, Math.min(300, answer.length())));
                    }
                    return null;
                }));
            }
            for (Future<?> f : fs) {
                f.get();
            }
        } finally {
            // Also on a failed request: the pool's threads must not keep the JVM (and the bench script) waiting.
            pool.shutdownNow();
        }
        if (notLinked.get() > 0) {
            System.out.println("members_not_linked=" + notLinked.get());
        }
    }

    // ---------------------------------------------------------------- scenario 5: population (issue 8)

    /**
     * Residents imported through the batch API, then one card per resident through the registry's real card flow:
     * application, issuance (the CA signs the two certificates of the card's CSRs), activation (the card signs the
     * activation challenge with its authentication key), one card after another on each client. The chip is a bench
     * chip: two P-256 key pairs held in memory and PKCS#10 requests built as the card simulator builds them (subject
     * CN=application id, SERIALNUMBER=card id, each signed by the key it certifies). The simulator seals its keys under
     * PBKDF2 (120,000 rounds, six derivations a card, ~220 ms of CPU): the chip's work, not the server's, and on this
     * two-core machine it would be the bench's bottleneck. At the end a sample of the cards log in (challenge, card
     * signature, token), which only a card the registry issued and activated can do.
     */
    static void population() throws Exception {
        String registry = opt("registry", "http://localhost:18181");
        int residents = iopt("residents", 100_000);
        int cards = Math.min(residents, iopt("cards", residents));
        int clients = iopt("clients", 4);
        long i0 = System.nanoTime();
        List<String> numbers = importResidents(registry, residents, "pop");
        double importSeconds = (System.nanoTime() - i0) / 1e9;
        System.out.printf("import: residents=%d seconds=%.1f rate=%.0f/s (batch API, pages of 1,000)%n", residents, importSeconds, residents / importSeconds);
        Holder[] holders = issueCards(registry, numbers.subList(0, cards), clients);
        int sample = Math.min(cards, iopt("logins", 1_000));
        Result logins = closedLoop("logins_with_sampled_cards", clients, Integer.MAX_VALUE, sample,
                i -> login(registry, holders[ThreadLocalRandom.current().nextInt(cards)], "registry"));
        System.out.printf("population: residents=%d cards=%d (all activated); sampled logins ok=%d errors=%d%n",
                residents, holders.length, logins.ok(), logins.errors());
    }

    /**
     * Issue 8, campaign: N residents with activated cards (real card flow) and insurance links (bulk enrolment) each
     * register a public-fund account and choose a payment service, then apply for all three grants (card acquisition,
     * insurance link, public-fund account) with operation tokens, the wallet asking the registry exchange; then the
     * payment provider reports charges (25 % back) and redemptions. The campaign's budget is exactly what every
     * person can earn. At the end: the report (granted = budget, people, per rule), the trial balance, and every
     * person's balance through their own wallet token.
     */
    static void campaign() throws Exception {
        String registry = opt("registry", "http://localhost:18181");
        String wallet = opt("wallet", "http://localhost:18182");
        String insurance = opt("insurance", "http://localhost:18183");
        int persons = iopt("persons", 1_000);
        int clients = iopt("clients", 4);
        int charges = iopt("charges", 4);         // per person, 1,000 yen each: 250 points back
        int redemptions = iopt("redemptions", 2); // per person, 100 points each
        List<String> numbers = importResidents(registry, persons, "camp");
        long c0 = System.nanoTime();
        Holder[] holders = issueCards(registry, numbers, clients);
        System.out.printf("setup: %d cards issued and activated in %.1f s%n", persons, (System.nanoTime() - c0) / 1e9);
        String insurerNumber = setupInsurer(insurance, registry);
        List<String[]> rs = new ArrayList<>();
        for (int i = 0; i < persons; i++) {
            rs.add(new String[]{numbers.get(i), Integer.toString(i)});
        }
        long e0 = System.nanoTime();
        enrol(insurance, registry, insurerNumber, rs, clients, 500);
        System.out.printf("setup: %d insurance members enrolled and linked in %.1f s%n", persons, (System.nanoTime() - e0) / 1e9);
        long perPerson = 7_500 + 7_500 + 250L * charges;
        long budget = perPerson * persons;
        String campaign = "bench-" + Long.toString(System.currentTimeMillis(), 36);
        postKey(wallet + "/api/campaigns", token(registry, "demo-auditor"), "{\"id\":\"" + campaign + "\",\"name\":\"bench\",\"budget\":" + budget
                + ",\"startsAt\":\"" + OffsetDateTime.now().minusDays(1) + "\",\"endsAt\":\"" + OffsetDateTime.now().plusDays(30) + "\",\"rules\":["
                + "{\"rule\":\"card-acquisition\",\"kind\":\"percent-back\",\"percent\":25,\"cap\":" + 250L * charges + "},"
                + "{\"rule\":\"insurance-link\",\"kind\":\"fixed\",\"amount\":7500,\"cap\":7500},"
                + "{\"rule\":\"public-fund-account\",\"kind\":\"fixed\",\"amount\":7500,\"cap\":7500}]}", 201);
        String service = corporateNumber();
        String merchant = corporateNumber();
        postKey(wallet + "/api/payment-services", token(registry, "demo-payment"), "{\"corporateNumber\":\"" + service + "\",\"name\":\"Pay\"}", 201);
        postKey(wallet + "/api/merchants", token(registry, "demo-payment"), "{\"corporateNumber\":\"" + merchant + "\",\"name\":\"Shop\"}", 201);
        String[] accounts = new String[persons];
        String[] rules = {"card-acquisition", "insurance-link", "public-fund-account"};
        Result applied = closedLoop("persons_registered_chosen_and_applied_for_three_grants", clients, Integer.MAX_VALUE, persons, i -> {
            Holder h = holders[i];
            send(HttpRequest.newBuilder(URI.create(registry + "/api/me/public-fund-account")).header("Content-Type", "application/json")
                    .header("Authorization", "Bearer " + operationToken(registry, h, "registry", "register-public-fund-account"))
                    .PUT(HttpRequest.BodyPublishers.ofString("{\"bankCode\":\"0001\",\"branchCode\":\"001\",\"accountType\":\"ordinary\","
                            + "\"accountNumber\":\"" + String.format("%07d", i) + "\",\"holderKana\":\"ヤマダハナコ\"}", StandardCharsets.UTF_8)).build(), 200);
            accounts[i] = "acct-" + UUID.randomUUID().toString().substring(0, 12);
            bind(registry, wallet, h, service, accounts[i], campaign);
            for (String rule : rules) {
                apply(registry, wallet, h, rule, campaign);
            }
        });
        System.out.println("application_retries_after_503=" + RETRIES.get());
        Result charged = closedLoop("charges_granting_points", clients, Integer.MAX_VALUE, persons * charges, i -> {
            String r = postKey(wallet + "/api/charges", token(registry, "demo-payment"),
                    "{\"paymentAccount\":\"" + accounts[i % persons] + "\",\"amount\":1000,\"campaign\":\"" + campaign + "\"}", 201);
            if (!r.contains("\"pointsGranted\":250")) {
                throw new IllegalStateException("no grant: " + r);
            }
        });
        Result redeemed = closedLoop("redemptions", clients, Integer.MAX_VALUE, persons * redemptions, i -> postKey(wallet + "/api/redemptions",
                token(registry, "demo-payment"), "{\"paymentAccount\":\"" + accounts[i % persons] + "\",\"merchantCorporateNumber\":\"" + merchant
                        + "\",\"amount\":100,\"campaign\":\"" + campaign + "\"}", 201));
        // The checks.
        String report = get(wallet + "/api/campaigns/" + campaign + "/report", token(registry, "demo-auditor"));
        String trial = get(wallet + "/api/ledger/trial-balance", token(registry, "demo-auditor"));
        long granted = Long.parseLong(report.replaceAll("(?s).*\"granted\":(\\d+),\"remaining.*", "$1"));
        long people = Long.parseLong(report.replaceAll("(?s).*\"remaining\":\\d+,\"people\":(\\d+).*", "$1"));
        long expectedBalance = perPerson - 100L * redemptions;
        AtomicInteger wrong = new AtomicInteger();
        Result balances = closedLoop("every_person_reads_own_balance", clients, Integer.MAX_VALUE, persons, i -> {
            String b = get(wallet + "/api/me/balance?campaign=" + campaign, residentToken(registry, holders[i], "wallet"));
            if (!b.contains("\"balance\":" + expectedBalance + ",")) {
                if (wrong.incrementAndGet() <= 3) {
                    System.err.println("person " + i + ": " + b);
                }
            }
        });
        boolean ok = granted == budget && people == persons && trial.contains("\"equal\":true") && trial.contains("\"negativeBalances\":0")
                && trial.contains("\"overspentCampaigns\":0") && wrong.get() == 0 && balances.errors() == 0
                && applied.errors() == 0 && charged.errors() == 0 && redeemed.errors() == 0;
        System.out.println("report: " + report);
        System.out.println("trial_balance: " + trial);
        System.out.printf("campaign: persons=%d granted=%d budget=%d people=%d persons_with_wrong_balance=%d checks=%s%n",
                persons, granted, budget, people, wrong.get(), ok ? "PASSED" : "FAILED");
        if (!ok) {
            System.exit(1);
        }
    }

    /**
     * A resident's application for one rule. The wallet answers 503 registry-unavailable when its call to the registry
     * exchange times out (2.5 s read timeout): it says "retry later", so this does, with a fresh operation token, and
     * counts it in RETRIES.
     */
    static void apply(String registry, String wallet, Holder h, String rule, String campaign) throws InterruptedException {
        for (int attempt = 1; ; attempt++) {
            try {
                postKey(wallet + "/api/applications", operationToken(registry, h, "wallet", "apply-points"),
                        "{\"rule\":\"" + rule + "\",\"campaign\":\"" + campaign + "\"}", 201);
                return;
            } catch (IllegalStateException e) {
                if (attempt >= 5 || !e.getMessage().contains("registry-unavailable")) {
                    throw e;
                }
                RETRIES.incrementAndGet();
                Thread.sleep(500L * attempt);
            }
        }
    }

    /** A resident's access token for {@code audience}: challenge, card signature, token. */
    static String residentToken(String registry, Holder h, String audience) {
        String challenge = post(registry + "/api/auth/challenges", null, "{}", 200);
        String sig = b64(cardSign(h, Base64.getUrlDecoder().decode(field(challenge, "nonce"))));
        return field(post(registry + "/api/auth/tokens", null, "{\"challengeId\":\"" + field(challenge, "challengeId") + "\",\"certificate\":"
                + json(h.authPem()) + ",\"signature\":\"" + sig + "\",\"audience\":\"" + audience + "\"}", 200), "access_token");
    }

    /** One card per number through the registry's real card flow, on a bench chip (see {@link #population}). */
    static Holder[] issueCards(String registry, List<String> numbers, int clients) throws Exception {
        java.security.KeyPairGenerator kpg = java.security.KeyPairGenerator.getInstance("EC");
        kpg.initialize(new java.security.spec.ECGenParameterSpec("secp256r1"));
        int cards = numbers.size();
        Holder[] holders = new Holder[cards];
        AtomicLong[] stepNanos = {new AtomicLong(), new AtomicLong(), new AtomicLong(), new AtomicLong()};
        AtomicInteger done = new AtomicInteger();
        startJfr(600);
        long t0 = System.nanoTime();
        Result r = closedLoop("cards_issued_and_activated", clients, Integer.MAX_VALUE, cards, i -> {
            String number = numbers.get(i);
            long a = System.nanoTime();
            String applicationId = field(post(registry + "/api/card-applications", token(registry, "demo-clerk"), "{\"number\":\"" + number + "\"}", 201), "applicationId");
            long b = System.nanoTime();
            java.security.KeyPair auth = kpg.generateKeyPair();
            java.security.KeyPair sign = kpg.generateKeyPair();
            StringBuilder id = new StringBuilder();
            for (int k = 0; k < 12; k++) {
                id.append("ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789".charAt(ThreadLocalRandom.current().nextInt(36)));
            }
            org.bouncycastle.asn1.x500.X500Name subject = new org.bouncycastle.asn1.x500.X500NameBuilder(org.bouncycastle.asn1.x500.style.BCStyle.INSTANCE)
                    .addRDN(org.bouncycastle.asn1.x500.style.BCStyle.CN, applicationId)
                    .addRDN(org.bouncycastle.asn1.x500.style.BCStyle.SERIALNUMBER, id.toString()).build();
            long c = System.nanoTime();
            String issued = post(registry + "/api/card-applications/" + applicationId + "/issuance", token(registry, "demo-clerk"),
                    "{\"authCsr\":" + json(csrPem(subject, auth)) + ",\"signCsr\":" + json(csrPem(subject, sign)) + "}", 200);
            long d = System.nanoTime();
            String authPem = field(issued, "authCertificate");
            // What installing does on a card: the certificate must carry this card's own key.
            java.security.cert.X509Certificate cert = (java.security.cert.X509Certificate) java.security.cert.CertificateFactory.getInstance("X.509")
                    .generateCertificate(new java.io.ByteArrayInputStream(authPem.getBytes(StandardCharsets.US_ASCII)));
            if (!Arrays.equals(cert.getPublicKey().getEncoded(), auth.getPublic().getEncoded())) {
                throw new IllegalStateException("the registry certified another key");
            }
            String cardId = field(issued, "cardId");
            holders[i] = new Holder(number, i, null, cardId, authPem, auth.getPrivate());
            byte[] sig = cardSign(holders[i], Base64.getUrlDecoder().decode(field(issued, "activationChallenge")));
            long e = System.nanoTime();
            post(registry + "/api/cards/" + cardId + "/activation", token(registry, "demo-clerk"), "{\"signature\":\"" + b64(sig) + "\"}", 200);
            long f = System.nanoTime();
            stepNanos[0].addAndGet(b - a);
            stepNanos[1].addAndGet(d - c);
            stepNanos[2].addAndGet(f - e);
            stepNanos[3].addAndGet((c - b) + (e - d));
            int n = done.incrementAndGet();
            if (n % 10_000 == 0) {
                System.out.printf("  progress: %d cards, %.1f cards/s so far%n", n, n / ((System.nanoTime() - t0) / 1e9));
            }
        });
        String[] steps = {"application", "issuance", "activation", "bench chip (keys, CSRs, install check, signature)"};
        for (int k = 0; k < steps.length; k++) {
            System.out.printf("  mean per card, %s: %.2f ms%n", steps[k], stepNanos[k].get() / 1e6 / Math.max(1, r.ok()));
        }
        if (r.errors() > 0) {
            throw new IllegalStateException(r.errors() + " cards failed");
        }
        return holders;
    }

    static String csrPem(org.bouncycastle.asn1.x500.X500Name subject, java.security.KeyPair keys) throws Exception {
        var request = new org.bouncycastle.pkcs.jcajce.JcaPKCS10CertificationRequestBuilder(subject, keys.getPublic())
                .build(new org.bouncycastle.operator.jcajce.JcaContentSignerBuilder("SHA256withECDSA").build(keys.getPrivate()));
        return "-----BEGIN CERTIFICATE REQUEST-----\n" + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
                .encodeToString(request.getEncoded()) + "\n-----END CERTIFICATE REQUEST-----\n";
    }

    // ---------------------------------------------------------------- scenario 3: wallet grants and redemptions

    static void wallet() throws Exception {
        String registry = opt("registry", "http://localhost:18181");
        String wallet = opt("wallet", "http://localhost:18182");
        int holders = iopt("holders", 100);
        int clients = iopt("clients", 4);
        int charges = iopt("charges", 10); // measured, per resident: each grants 25 points (25 % of 100 yen, cap 5,000)
        List<Holder> issued = issueAll(registry, importResidents(registry, holders, "wallet"), 4);
        String auditor = token(registry, "demo-auditor");
        String campaign = "bench-" + Long.toString(System.currentTimeMillis(), 36);
        postKey(wallet + "/api/campaigns", auditor, "{\"id\":\"" + campaign + "\",\"name\":\"bench\",\"budget\":1000000000,\"startsAt\":\""
                + OffsetDateTime.now().minusDays(1) + "\",\"endsAt\":\"" + OffsetDateTime.now().plusDays(30) + "\",\"rules\":["
                + "{\"rule\":\"card-acquisition\",\"kind\":\"percent-back\",\"percent\":25,\"cap\":5000}]}", 201);
        String service = corporateNumber();
        String merchant = corporateNumber();
        postKey(wallet + "/api/payment-services", token(registry, "demo-payment"), "{\"corporateNumber\":\"" + service + "\",\"name\":\"Pay\"}", 201);
        postKey(wallet + "/api/merchants", token(registry, "demo-payment"), "{\"corporateNumber\":\"" + merchant + "\",\"name\":\"Shop\"}", 201);
        String[] accounts = new String[issued.size()];
        // Choices and applications: each needs a card-signed operation token; the application asks the registry exchange.
        Result setup = closedLoop("choice_and_application", clients, Integer.MAX_VALUE, issued.size(), i -> {
            Holder h = issued.get(i);
            accounts[i] = "acct-" + UUID.randomUUID().toString().substring(0, 12);
            bind(registry, wallet, h, service, accounts[i], campaign);
            apply(registry, wallet, h, "card-acquisition", campaign);
        });
        System.out.println("application_retries_after_503=" + RETRIES.get());
        // Each measured phase follows an unmeasured warm-up of the same requests: a fresh JVM spends more than a core
        // compiling (JIT) for its first few thousand requests, which is start-up cost, not the ledger's rate.
        int grants = holders * charges;
        int warmup = iopt("warmup", grants);
        if ((warmup + grants) / holders > 200) {
            throw new IllegalArgumentException("at most 200 charges per holder (25 points each, cap 5,000)");
        }
        AtomicInteger nextCharge = new AtomicInteger();
        Op charge = i -> {
            String body = "{\"paymentAccount\":\"" + accounts[nextCharge.getAndIncrement() % accounts.length] + "\",\"amount\":100,\"campaign\":\"" + campaign + "\"}";
            String r = postKey(wallet + "/api/charges", token(registry, "demo-payment"), body, 201);
            if (!r.contains("\"pointsGranted\":25")) {
                throw new IllegalStateException("no grant: " + r);
            }
        };
        AtomicInteger nextRedemption = new AtomicInteger();
        Op redemption = i -> {
            String body = "{\"paymentAccount\":\"" + accounts[nextRedemption.getAndIncrement() % accounts.length] + "\",\"merchantCorporateNumber\":\"" + merchant
                    + "\",\"amount\":10,\"campaign\":\"" + campaign + "\"}";
            postKey(wallet + "/api/redemptions", token(registry, "demo-payment"), body, 201);
        };
        String pid = opt("jfr", "").split(":")[0];
        if (warmup > 0) {
            double c0 = compileSeconds(pid);
            Result g = closedLoop("warmup_grants", clients, Integer.MAX_VALUE, warmup, charge);
            Result r = closedLoop("warmup_redemptions", clients, Integer.MAX_VALUE, warmup, redemption);
            System.out.printf("warmup (not measured): grants %d at %.1f/s, redemptions %d at %.1f/s, jit_compile_seconds=%.1f%n",
                    g.ok(), g.rate(), r.ok(), r.rate(), compileSeconds(pid) - c0);
        }
        double c1 = compileSeconds(pid);
        startJfr(900);
        Result grant = closedLoop("grants_via_charges", clients, Integer.MAX_VALUE, grants, charge);
        Result redeem = closedLoop("redemptions", clients, Integer.MAX_VALUE, grants, redemption);
        System.out.printf("jit_compile_seconds_during_measurement=%.1f%n", compileSeconds(pid) - c1);
        // The floor any ledger write sits on, same driver and clients: the same charge, refused (amount 0, a 400
        // problem) after HTTP, token verification and JSON parsing, before the database.
        Result floor = closedLoop("charges_refused_before_the_database", clients, Integer.MAX_VALUE, grants, i -> postKey(wallet + "/api/charges",
                token(registry, "demo-payment"), "{\"paymentAccount\":\"" + accounts[i % accounts.length] + "\",\"amount\":0,\"campaign\":\"" + campaign + "\"}", 400));
        double jdbc = rawTransfers(opt("jdbc", null), opt("migration", null), grants + grants, clients);
        System.out.printf("raw_jdbc_transfer_inserts=%d clients=%d rate=%.0f/s (one row per transaction, like one transfer per request)%n",
                grants * 2, clients, jdbc);
        System.out.printf("grants_vs_raw_jdbc=%.2f%% redemptions_vs_raw_jdbc=%.2f%%%n", 100 * grant.rate() / jdbc, 100 * redeem.rate() / jdbc);
        System.out.printf("refused_before_db_vs_raw_jdbc=%.2f%% grants_vs_refused=%.2f%% redemptions_vs_refused=%.2f%%%n",
                100 * floor.rate() / jdbc, 100 * grant.rate() / floor.rate(), 100 * redeem.rate() / floor.rate());
    }

    /** Transfer rows into a fresh database (H2 file or a PostgreSQL database of its own) with the wallet's own V1 migration: one insert + commit each. */
    static double rawTransfers(String url, String migration, int rows, int clients) throws Exception {
        try (Connection c = DriverManager.getConnection(url, "wallet", "wallet"); Statement s = c.createStatement()) {
            if (url.startsWith("jdbc:postgresql:")) {
                s.execute("drop schema if exists wallet cascade");
                s.execute("create schema wallet");
                s.execute("set search_path to wallet");
                s.execute(Files.readString(Path.of(migration)));
            } else {
                s.execute("create schema if not exists wallet");
                s.execute("set schema wallet");
                s.execute("runscript from '" + migration + "'");
            }
            s.execute("insert into ledger_account (id, campaign_id, kind, owner, balance, debits, credits) values (1, null, 'budget', 'b', 0, 0, 0), (2, null, 'resident', 'r', 0, 0, 0)");
        } catch (Exception e) {
            throw new IllegalStateException("baseline schema: " + e.getMessage(), e);
        }
        AtomicLong next = new AtomicLong();
        ExecutorService pool = Executors.newFixedThreadPool(clients);
        long t0 = System.nanoTime();
        List<Future<?>> fs = new ArrayList<>();
        for (int t = 0; t < clients; t++) {
            fs.add(pool.submit(() -> {
                try (Connection c = DriverManager.getConnection(url, "wallet", "wallet")) {
                    c.setAutoCommit(false);
                    try (PreparedStatement ps = c.prepareStatement("insert into wallet.transfer (id, client_id, transfer_key, debit_account_id, "
                            + "credit_account_id, amount, kind, rule, reference, created_at) values (?,?,?,?,?,?,?,?,?,?)")) {
                        long id;
                        while ((id = next.incrementAndGet()) <= rows) {
                            ps.setLong(1, id);
                            ps.setString(2, "demo-payment");
                            ps.setString(3, UUID.randomUUID().toString());
                            ps.setLong(4, 1);
                            ps.setLong(5, 2);
                            ps.setLong(6, 250);
                            ps.setString(7, "grant");
                            ps.setString(8, "card-acquisition");
                            ps.setString(9, "charge:" + id);
                            ps.setObject(10, OffsetDateTime.now());
                            ps.executeUpdate();
                            c.commit();
                        }
                    }
                }
                return null;
            }));
        }
        for (Future<?> f : fs) {
            f.get();
        }
        pool.shutdown();
        return rows / ((System.nanoTime() - t0) / 1e9);
    }

    // ---------------------------------------------------------------- scenario 4: reconciliation

    static void reconcile() throws Exception {
        String registry = opt("registry", "http://localhost:18181");
        String insurance = opt("insurance", "http://localhost:18183");
        int members = iopt("members", 10000);
        int clients = iopt("clients", 4);
        long s0 = System.nanoTime();
        List<String> numbers = importResidents(registry, members, "recon");
        double importS = (System.nanoTime() - s0) / 1e9;
        String insurerNumber = setupInsurer(insurance, registry);
        List<String[]> rs = new ArrayList<>();
        for (int i = 0; i < numbers.size(); i++) {
            rs.add(new String[]{numbers.get(i), Integer.toString(i)});
        }
        long e0 = System.nanoTime();
        boolean single = "single".equals(opt("enrol", "batch"));
        enrol(insurance, registry, insurerNumber, rs, clients, single ? 1 : 500);
        double enrolS = (System.nanoTime() - e0) / 1e9;
        System.out.printf("setup: import %d residents %.1f s, enrol+link (%s) %d members %.1f s (%.0f/s)%n", members, importS,
                single ? "one by one" : "pages of 500", members, enrolS, members / enrolS);
        String auditor = token(registry, "demo-auditor");
        long r0 = System.nanoTime();
        String run = post(insurance + "/api/reconciliations", auditor, "{}", 202);
        String id = run.replaceAll("(?s).*\"id\":(\\d+).*", "$1");
        String state;
        while (true) {
            Thread.sleep(200);
            state = get(insurance + "/api/reconciliations/" + id, token(registry, "demo-auditor"));
            if (!state.contains("\"status\":\"running\"")) {
                break;
            }
        }
        double secs = (System.nanoTime() - r0) / 1e9;
        long checked = Long.parseLong(state.replaceAll("(?s).*\"checked\":(\\d+).*", "$1"));
        long findings = Long.parseLong(state.replaceAll("(?s).*\"findingCount\":(\\d+).*", "$1"));
        String status = state.replaceAll("(?s).*\"status\":\"([a-z-]+)\".*", "$1");
        // Members from earlier runs on the same database are counted too: the run checks every linked member.
        System.out.printf("reconciliation status=%s checked=%d findings=%d seconds=%.2f rate=%.0f/s%n", status, checked, findings, secs, checked / secs);
        System.out.printf("extrapolated_1M_members_minutes=%.1f (linear extrapolation, not measured)%n", 1_000_000 / (checked / secs) / 60);
    }

    // ---------------------------------------------------------------- load drivers

    record Result(String name, long ok, long errors, double seconds) {
        double rate() {
            return ok / seconds;
        }
    }

    interface Op {
        void run(int i) throws Exception;
    }

    static Result closedLoop(String name, int clients, int seconds, Op op) throws Exception {
        return closedLoop(name, clients, seconds, Integer.MAX_VALUE, op);
    }

    /** clients threads, each doing op back to back until seconds pass or count ops are done. */
    static Result closedLoop(String name, int clients, int seconds, int count, Op op) throws Exception {
        AtomicLong ok = new AtomicLong();
        AtomicLong errors = new AtomicLong();
        AtomicInteger next = new AtomicInteger();
        Hist lat = new Hist();
        long until = seconds == Integer.MAX_VALUE ? Long.MAX_VALUE : System.nanoTime() + seconds * 1_000_000_000L;
        ExecutorService pool = Executors.newFixedThreadPool(clients);
        long t0 = System.nanoTime();
        List<Future<?>> fs = new ArrayList<>();
        for (int t = 0; t < clients; t++) {
            fs.add(pool.submit(() -> {
                int i;
                while (System.nanoTime() < until && (i = next.getAndIncrement()) < count) {
                    long s = System.nanoTime();
                    try {
                        op.run(i);
                        ok.incrementAndGet();
                        record(lat, System.nanoTime() - s);
                    } catch (Exception e) {
                        if (errors.incrementAndGet() <= 3) {
                            System.err.println(name + " error: " + e.getMessage());
                        }
                    }
                }
                return null;
            }));
        }
        for (Future<?> f : fs) {
            f.get();
        }
        pool.shutdown();
        double secs = (System.nanoTime() - t0) / 1e9;
        Result r = new Result(name, ok.get(), errors.get(), secs);
        if (!name.startsWith("warmup")) {
            System.out.printf("%s: closed_loop clients=%d ok=%d errors=%d seconds=%.2f rate=%.1f/s p50=%s p99=%s%n", name, clients, r.ok(),
                    r.errors(), secs, r.rate(), pct(lat, 0.50), pct(lat, 0.99));
        }
        return r;
    }

    /**
     * Open loop: requests are scheduled at a fixed rate whatever the answers do; latency counts from the scheduled
     * send time, so a stall shows as the queue it causes (no coordinated omission).
     */
    static void openLoop(String name, int rate, int seconds, java.util.function.IntFunction<CompletableFuture<?>> op) throws Exception {
        int total = rate * seconds;
        Hist lat = new Hist();
        AtomicLong ok = new AtomicLong();
        AtomicLong errors = new AtomicLong();
        AtomicLong max = new AtomicLong();
        AtomicInteger done = new AtomicInteger();
        ConcurrentHashMap<String, AtomicInteger> errorKinds = new ConcurrentHashMap<>();
        long[] cpu0 = cpuNow();
        long t0 = System.nanoTime();
        double interval = 1e9 / rate;
        for (int i = 0; i < total; i++) {
            long scheduled = t0 + (long) (i * interval);
            long wait = scheduled - System.nanoTime();
            if (wait > 0) {
                TimeUnit.NANOSECONDS.sleep(wait);
            }
            CompletableFuture<?> f;
            try {
                f = op.apply(i);
            } catch (RuntimeException e) {
                f = CompletableFuture.failedFuture(e);
            }
            f.orTimeout(30, TimeUnit.SECONDS).whenComplete((v, e) -> {
                long l = System.nanoTime() - scheduled;
                if (e == null) {
                    ok.incrementAndGet();
                    record(lat, l);
                    max.accumulateAndGet(l, Math::max);
                } else {
                    errors.incrementAndGet();
                    Throwable c = e.getCause() != null ? e.getCause() : e;
                    String kind = c.getClass().getSimpleName() + ": " + String.valueOf(c.getMessage()).replaceAll("\\s+", " ");
                    errorKinds.computeIfAbsent(kind.substring(0, Math.min(120, kind.length())), k -> new AtomicInteger()).incrementAndGet();
                }
                done.incrementAndGet();
            });
        }
        long sendEnd = System.nanoTime();
        while (done.get() < total && System.nanoTime() - sendEnd < 35_000_000_000L) {
            Thread.sleep(10);
        }
        double secs = (System.nanoTime() - t0) / 1e9;
        System.out.printf("%s: open_loop target_rate=%d/s duration=%ds sent=%d ok=%d errors=%d achieved=%.1f/s p50=%s p90=%s p99=%s max=%.1fms%n",
                name, rate, seconds, total, ok.get(), errors.get(), ok.get() / secs, pct(lat, 0.50), pct(lat, 0.90), pct(lat, 0.99),
                max.get() / 1e6);
        errorKinds.forEach((k, v) -> System.out.printf("  error %dx %s%n", v.get(), k));
        printCpu(cpu0, cpuNow(), ok.get() + errors.get());
    }

    /**
     * CPU time (ms) of each process named in option cpu=name:pid,... and of this driver, per operation of a phase:
     * what a figure costs the machine, which is what extrapolates to other machines, unlike the rate of a shared box.
     */
    static long[] cpuNow() {
        String[] named = opt("cpu", "").isBlank() ? new String[0] : opt("cpu", "").split(",");
        long[] out = new long[named.length + 1];
        for (int i = 0; i < named.length; i++) {
            try {
                String stat = Files.readString(Path.of("/proc/" + named[i].split(":")[1] + "/stat"));
                String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                out[i] = (Long.parseLong(f[11]) + Long.parseLong(f[12])) * 10; // utime + stime, 100 ticks/s
            } catch (Exception e) {
                out[i] = -1;
            }
        }
        out[named.length] = ((com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory
                .getOperatingSystemMXBean()).getProcessCpuTime() / 1_000_000;
        return out;
    }

    static void printCpu(long[] before, long[] after, long ops) {
        if (opt("cpu", "").isBlank() || ops == 0) {
            return;
        }
        String[] named = opt("cpu", "").split(",");
        StringBuilder line = new StringBuilder("  cpu_ms_per_op:");
        double total = 0;
        for (int i = 0; i <= named.length; i++) {
            double per = (after[i] - before[i]) / (double) ops;
            total += per;
            line.append(String.format(" %s=%.2f", i < named.length ? named[i].split(":")[0] : "driver", per));
        }
        System.out.println(line.append(String.format(" total=%.2f (machine: %d cores => at most %.0f ops/s at this cost)",
                total, Runtime.getRuntime().availableProcessors(), Runtime.getRuntime().availableProcessors() * 1000 / total)));
    }

    /** log2 histogram with 4 sub-buckets per power of two, in microseconds (≤ 12.5 % bucket error; reported as bucket upper bound). */
    static final class Hist {
        final long[] buckets = new long[40 * 4];

        synchronized void add(long nanos) {
            long us = Math.max(1, nanos / 1000);
            int b = 63 - Long.numberOfLeadingZeros(us);
            int sub = b >= 2 ? (int) ((us >> (b - 2)) & 3) : 0;
            buckets[Math.min(buckets.length - 1, b * 4 + sub)]++;
        }

        synchronized String pct(double p) {
            long total = 0;
            for (long c : buckets) {
                total += c;
            }
            if (total == 0) {
                return "n/a";
            }
            long target = (long) Math.ceil(total * p);
            long seen = 0;
            for (int i = 0; i < buckets.length; i++) {
                seen += buckets[i];
                if (seen >= target) {
                    int b = i / 4;
                    int sub = i % 4;
                    double upperUs = b >= 2 ? (1L << b) + (sub + 1) * (1L << (b - 2)) : (1L << (b + 1));
                    return String.format("%.1fms", upperUs / 1000.0);
                }
            }
            return "n/a";
        }
    }

    static void record(Hist h, long nanos) {
        h.add(nanos);
    }

    static String pct(Hist h, double p) {
        return h.pct(p);
    }

    // ---------------------------------------------------------------- HTTP and data helpers

    static final Map<String, String[]> TOKENS = new ConcurrentHashMap<>();

    /** Client-credentials token per client id, refreshed after 4 minutes (tokens live 5). */
    static String token(String registry, String client) {
        String[] cached = TOKENS.get(client);
        if (cached != null && System.nanoTime() - Long.parseLong(cached[1]) < 240_000_000_000L) {
            return cached[0];
        }
        synchronized (TOKENS) {
            cached = TOKENS.get(client);
            if (cached != null && System.nanoTime() - Long.parseLong(cached[1]) < 240_000_000_000L) {
                return cached[0];
            }
            String body = send(HttpRequest.newBuilder(URI.create(registry + "/oauth2/token"))
                    .header("Content-Type", "application/x-www-form-urlencoded")
                    .POST(HttpRequest.BodyPublishers.ofString("grant_type=client_credentials&client_id=" + client + "&client_secret=" + client + "-secret"))
                    .build(), 200);
            String t = field(body, "access_token");
            TOKENS.put(client, new String[]{t, Long.toString(System.nanoTime())});
            return t;
        }
    }

    static List<String> importResidents(String registry, int count, String tag) throws Exception {
        String run = tag + "-" + Long.toString(System.nanoTime(), 36);
        List<String> numbers = new ArrayList<>(java.util.Collections.nCopies(count, (String) null));
        ExecutorService pool = Executors.newFixedThreadPool(2);
        List<Future<?>> fs = new ArrayList<>();
        for (int from = 0; from < count; from += 1000) {
            int f = from;
            int n = Math.min(1000, count - from);
            fs.add(pool.submit(() -> {
                String body = post(registry + "/api/residents/batch", token(registry, "demo-clerk"), batch(run + "-" + f, f, n), 200);
                Matcher m = Pattern.compile("\"ref\":\"(\\d+)\"[^}]*?\"number\":\"(\\d{12})\"|\"number\":\"(\\d{12})\"[^}]*?\"ref\":\"(\\d+)\"").matcher(body);
                int got = 0;
                while (m.find()) {
                    String ref = m.group(1) != null ? m.group(1) : m.group(4);
                    String num = m.group(2) != null ? m.group(2) : m.group(3);
                    numbers.set(Integer.parseInt(ref), num);
                    got++;
                }
                if (got != n) {
                    throw new IllegalStateException("batch created " + got + " of " + n + ": " + body.substring(0, Math.min(300, body.length())));
                }
                return null;
            }));
        }
        for (Future<?> f : fs) {
            f.get();
        }
        pool.shutdown();
        return numbers;
    }

    static String dob(int n) {
        return (1950 + n % 70) + "-0" + (1 + n % 9) + "-1" + (n % 9);
    }

    static String batch(String batchId, int from, int count) {
        StringBuilder b = new StringBuilder("{\"batchId\":\"").append(batchId).append("\",\"records\":[");
        for (int i = 0; i < count; i++) {
            int n = from + i;
            if (i > 0) {
                b.append(',');
            }
            b.append("{\"ref\":\"").append(n).append("\",\"resident\":{\"familyName\":\"山田\",\"givenName\":\"花子").append(n)
                    .append("\",\"familyNameKana\":\"ヤマダ\",\"givenNameKana\":\"ハナコ\",\"dateOfBirth\":\"").append(dob(n))
                    .append("\",\"sex\":\"").append(n % 2 == 0 ? "female" : "male")
                    .append("\",\"address\":{\"postalCode\":\"100-0001\",\"prefecture\":\"").append(PREFS[n % PREFS.length])
                    .append("\",\"municipality\":\"千代田区\",\"line\":\"千代田1-").append(n).append("\"}}}");
        }
        return b.append("]}").toString();
    }

    static int checkInsurer(String base) {
        int sum = 0;
        for (int i = 0; i < base.length(); i++) {
            int digit = base.charAt(base.length() - 1 - i) - '0';
            int product = digit * (i % 2 == 0 ? 2 : 1);
            sum += product / 10 + product % 10;
        }
        return (10 - sum % 10) % 10;
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

    static String post(String url, String token, String json, int expect) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json, StandardCharsets.UTF_8));
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        return send(b.build(), expect);
    }

    static String postKey(String url, String token, String json, int expect) {
        return send(HttpRequest.newBuilder(URI.create(url)).header("Content-Type", "application/json")
                .header("Authorization", "Bearer " + token).header("Idempotency-Key", UUID.randomUUID().toString())
                .POST(HttpRequest.BodyPublishers.ofString(json, StandardCharsets.UTF_8)).build(), expect);
    }

    static String get(String url, String token) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).GET();
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        return send(b.build(), 200);
    }

    static CompletableFuture<String> getAsync(String url) {
        return sendAsync(HttpRequest.newBuilder(URI.create(url)).GET().build(), 200);
    }

    static String send(HttpRequest r, int expect) {
        try {
            HttpResponse<String> resp = HTTP.send(r, HttpResponse.BodyHandlers.ofString());
            if (resp.statusCode() != expect) {
                throw new IllegalStateException(r.method() + " " + r.uri().getPath() + " answered " + resp.statusCode() + ": "
                        + resp.body().substring(0, Math.min(300, resp.body().length())));
            }
            return resp.body();
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    static CompletableFuture<String> sendAsync(HttpRequest r, int expect) {
        return HTTP.sendAsync(r, HttpResponse.BodyHandlers.ofString()).thenApply(resp -> {
            if (resp.statusCode() != expect) {
                throw new IllegalStateException(r.uri().getPath() + " answered " + resp.statusCode() + ": "
                        + resp.body().substring(0, Math.min(200, resp.body().length())));
            }
            return resp.body();
        });
    }

    /** A string field of a flat JSON answer, unescaped (PEMs carry \n). */
    static String field(String json, String name) {
        Matcher m = Pattern.compile("\"" + Pattern.quote(name) + "\"\\s*:\\s*\"((?:[^\"\\\\]|\\\\.)*)\"").matcher(json);
        if (!m.find()) {
            throw new IllegalStateException("no " + name + " in " + json.substring(0, Math.min(300, json.length())));
        }
        return m.group(1).replace("\\n", "\n").replace("\\r", "\r").replace("\\/", "/").replace("\\\"", "\"").replace("\\\\", "\\");
    }

    static String json(String s) {
        return "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n").replace("\r", "") + "\"";
    }

    static String b64(byte[] bytes) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    /** The resident chooses the service; demo-payment confirms the binding code with the account and her kana name. */
    static void bind(String registry, String wallet, Holder h, String service, String account, String campaign) {
        String chosen = postKey(wallet + "/api/payment-choices", operationToken(registry, h, "wallet", "choose-payment-service"),
                "{\"paymentService\":\"" + service + "\",\"campaign\":\"" + campaign + "\"}", 201);
        postKey(wallet + "/api/payment-choices/confirmations", token(registry, "demo-payment"),
                "{\"bindingCode\":\"" + field(chosen, "bindingCode") + "\",\"paymentAccount\":\"" + account
                        + "\",\"holderKana\":\"ヤマダハナコ\"}", 200);
    }
}
