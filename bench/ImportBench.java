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
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Resident import through POST /api/residents/batch against a running registry, next to a raw JDBC batch insert
 * of the same number of rows into a resident table of the same definition, in the same run; then look-ups by
 * number through GET /api/residents/{number}.
 *
 * java [-Djfr.pid=<registry pid> -Djfr.dir=<dir>] -Dmigration=<V1.sql> -cp <jdbc driver jar> bench/ImportBench.java <registryUrl> <jdbcUrl> <user> <password> <residents> <threads> [lookupSeconds]
 */
public class ImportBench {

    static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    static final String[] PREFS = {"東京都", "大阪府", "北海道", "福岡県", "愛知県", "神奈川県", "沖縄県"};

    public static void main(String[] args) throws Exception {
        String registry = args[0];
        String jdbcUrl = args[1];
        String user = args[2];
        String password = args[3];
        int residents = Integer.parseInt(args[4]);
        int threads = Integer.parseInt(args[5]);
        int lookupSeconds = args.length > 6 ? Integer.parseInt(args[6]) : 10;
        int batchSize = 1000;
        String token = token(registry);
        String run = Long.toString(System.currentTimeMillis(), 36);

        // Warm-up: JIT, pools, sequences.
        post(registry, token, batch("warm-" + run, 0, 2000));

        List<String> numbers = Collections.synchronizedList(new ArrayList<>());
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        jfr("start", "import");
        long start = System.nanoTime();
        List<Future<?>> futures = new ArrayList<>();
        for (int from = 0; from < residents; from += batchSize) {
            int f = from;
            futures.add(pool.submit(() -> {
                String body = post(registry, token, batch("bench-" + run + "-" + f, f, Math.min(batchSize, residents - f)));
                Matcher m = Pattern.compile("\"number\":\"(\\d{12})\"").matcher(body);
                int created = 0;
                while (m.find()) {
                    numbers.add(m.group(1));
                    created++;
                }
                if (created != Math.min(batchSize, residents - f)) {
                    throw new IllegalStateException("batch created " + created);
                }
                return null;
            }));
        }
        for (Future<?> future : futures) {
            future.get();
        }
        double apiSeconds = (System.nanoTime() - start) / 1e9;
        jfr("stop", "import");
        double apiRate = residents / apiSeconds;
        System.out.printf("api_import_seconds=%.2f api_import_rate=%.0f/s (printed again below)%n", apiSeconds, apiRate);

        double jdbcSeconds = rawJdbc(jdbcUrl, user, password, residents, batchSize);
        double jdbcRate = residents / jdbcSeconds;

        String readToken = token(registry);
        AtomicLong lookups = new AtomicLong();
        AtomicLong errors = new AtomicLong();
        jfr("start", "lookup");
        long until = System.nanoTime() + lookupSeconds * 1_000_000_000L;
        List<Future<?>> readers = new ArrayList<>();
        for (int t = 0; t < threads * 2; t++) {
            int seed = t;
            readers.add(pool.submit(() -> {
                Random random = new Random(seed);
                while (System.nanoTime() < until) {
                    String n = numbers.get(random.nextInt(numbers.size()));
                    HttpResponse<Void> r = HTTP.send(HttpRequest.newBuilder(URI.create(registry + "/api/residents/" + n))
                            .header("Authorization", "Bearer " + readToken).GET().build(), HttpResponse.BodyHandlers.discarding());
                    (r.statusCode() == 200 ? lookups : errors).incrementAndGet();
                }
                return null;
            }));
        }
        for (Future<?> f : readers) {
            f.get();
        }
        jfr("stop", "lookup");
        pool.shutdown();
        System.out.printf("residents=%d threads=%d%n", residents, threads);
        System.out.printf("api_import_seconds=%.2f api_import_rate=%.0f/s%n", apiSeconds, apiRate);
        System.out.printf("raw_jdbc_seconds=%.2f raw_jdbc_rate=%.0f/s%n", jdbcSeconds, jdbcRate);
        System.out.printf("api_vs_raw_jdbc=%.1f%%%n", 100 * apiRate / jdbcRate);
        System.out.printf("lookups_per_second=%.0f errors=%d%n", lookups.get() / (double) lookupSeconds, errors.get());
    }

    /**
     * The same row count into the registry's own resident table definition (its V1 migration: primary key, unique
     * number_hmac, index, checks), built in schema "raw" of the baseline database; plain JDBC batches, one
     * transaction per batch.
     */
    static double rawJdbc(String url, String user, String password, int rows, int batchSize) throws Exception {
        try (Connection c = DriverManager.getConnection(url, user, password)) {
            try (Statement s = c.createStatement()) {
                if (url.startsWith("jdbc:h2:")) {
                    s.execute("create schema if not exists raw");
                    s.execute("set schema raw");
                } else {
                    s.execute("set search_path to raw"); // the script made the schema, owned by this user
                }
                StringBuilder script = new StringBuilder();
                for (String line : Files.readAllLines(Path.of(System.getProperty("migration")))) {
                    if (!line.strip().startsWith("--")) {
                        script.append(line).append('\n');
                    }
                }
                for (String statement : script.toString().split(";")) {
                    if (!statement.isBlank()) {
                        s.execute(statement);
                    }
                }
            }
            c.setAutoCommit(false);
            Random random = new Random(1);
            long start = System.nanoTime();
            try (PreparedStatement ps = c.prepareStatement("insert into raw.resident (id, number_hmac, number_cipher, family_name, "
                    + "given_name, family_name_kana, given_name_kana, date_of_birth, sex, postal_code, prefecture, municipality, "
                    + "address_line, status, version, created_at, updated_at) values (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)")) {
                for (int i = 0; i < rows; i++) {
                    OffsetDateTime now = OffsetDateTime.now();
                    ps.setLong(1, i + 1);
                    ps.setString(2, Long.toHexString(random.nextLong()) + Long.toHexString(random.nextLong()) + "0000000000000000000000000000000");
                    ps.setString(3, "x".repeat(56));
                    ps.setString(4, "山田");
                    ps.setString(5, "花子" + i);
                    ps.setString(6, "ヤマダ");
                    ps.setString(7, "ハナコ");
                    ps.setObject(8, java.time.LocalDate.of(1950 + i % 70, 1 + i % 12, 1 + i % 28));
                    ps.setString(9, i % 2 == 0 ? "female" : "male");
                    ps.setString(10, "1000001");
                    ps.setString(11, PREFS[i % PREFS.length]);
                    ps.setString(12, "千代田区");
                    ps.setString(13, "千代田1-" + i);
                    ps.setString(14, "active");
                    ps.setLong(15, 0);
                    ps.setObject(16, now);
                    ps.setObject(17, now);
                    ps.addBatch();
                    if ((i + 1) % batchSize == 0 || i == rows - 1) {
                        ps.executeBatch();
                        c.commit();
                    }
                }
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            try (Statement s = c.createStatement()) {
                s.execute("drop table raw.access_log");
                s.execute("drop table raw.resident_change");
                s.execute("drop table raw.registration_key");
                s.execute("drop table raw.resident");
            }
            c.commit();
            return seconds;
        }
    }

    /** JFR on the registry for one measured phase only, when -Djfr.pid and -Djfr.dir are given. */
    static void jfr(String action, String phase) throws Exception {
        String pid = System.getProperty("jfr.pid");
        if (pid == null) {
            return;
        }
        List<String> command = new ArrayList<>(List.of("jcmd", pid, "JFR." + action, "name=" + phase));
        if (action.equals("start")) {
            command.add("settings=profile");
        } else {
            command.add("filename=" + Path.of(System.getProperty("jfr.dir"), phase + ".jfr"));
        }
        new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start().waitFor();
    }

    static String batch(String batchId, int from, int count) {
        StringBuilder b = new StringBuilder("{\"batchId\":\"").append(batchId).append("\",\"records\":[");
        for (int i = 0; i < count; i++) {
            int n = from + i;
            if (i > 0) {
                b.append(',');
            }
            b.append("{\"ref\":\"").append(n).append("\",\"resident\":{\"familyName\":\"山田\",\"givenName\":\"花子").append(n)
                    .append("\",\"familyNameKana\":\"ヤマダ\",\"givenNameKana\":\"ハナコ\",\"dateOfBirth\":\"")
                    .append(1950 + n % 70).append("-0").append(1 + n % 9).append("-1").append(n % 9)
                    .append("\",\"sex\":\"").append(n % 2 == 0 ? "female" : "male")
                    .append("\",\"address\":{\"postalCode\":\"100-0001\",\"prefecture\":\"").append(PREFS[n % PREFS.length])
                    .append("\",\"municipality\":\"千代田区\",\"line\":\"千代田1-").append(n).append("\"}}}");
        }
        return b.append("]}").toString();
    }

    static String post(String registry, String token, String body) throws Exception {
        HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(registry + "/api/residents/batch"))
                .header("Authorization", "Bearer " + token).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8)).build(), HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 200) {
            throw new IllegalStateException("batch answered " + r.statusCode() + ": " + r.body());
        }
        return r.body();
    }

    static String token(String registry) throws Exception {
        HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(registry + "/oauth2/token"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("grant_type=client_credentials&client_id=demo-clerk&client_secret=demo-clerk-secret"))
                .build(), HttpResponse.BodyHandlers.ofString());
        Matcher m = Pattern.compile("\"access_token\":\"([^\"]+)\"").matcher(r.body());
        if (!m.find()) {
            throw new IllegalStateException("no token: " + r.body());
        }
        return m.group(1);
    }
}
