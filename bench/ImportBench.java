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
import java.util.Map;
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
 * number through POST /api/residents/lookup.
 *
 * java [-Dregistry.pid=<registry pid>] [-Dpg.db=<database>] [-Dwarmup=<residents>] [-Drounds=<warm-up rounds>] -Dmigration=<V1.sql> -cp <jdbc driver jar> bench/ImportBench.java <registryUrl> <jdbcUrl> <user> <password> <residents> <threads> [lookupSeconds]
 */
public class ImportBench {

    static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    static volatile Cpu lastRawCpu;
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

        // Warm-up: JIT, pools, sequences. -Dwarmup (residents, default 2,000 as before) in batches of the measured size;
        // a JVM just started needs more than 2,000 records before its JIT compilers stop competing for the cores.
        int warmup = Integer.getInteger("warmup", 2000);
        if (warmup <= 2000) {
            post(registry, token, batch("warm-" + run, 0, warmup));
        } else {
            for (int from = 0; from < warmup; from += batchSize) {
                post(registry, token, batch("warm-" + run + "-" + from, from, Math.min(batchSize, warmup - from)));
            }
        }

        // Warm-up rounds (-Drounds, default 0: the cold run as before): whole imports of the measured size into the same
        // registry, and whole raw loops into the same raw table, before the measured round; each round's figures are
        // printed, with the share of the registry's CPU its JIT compiler threads took (the issue calls a window "warm"
        // when that share is below 5 %). Both sides then measure into a table holding rounds x residents rows.
        int rounds = Integer.getInteger("rounds", 0);
        // -Dround.batch: the warm-up rounds' records per request (default: the measured 1,000). Code that runs once per
        // request or chunk reaches the JIT's last tier after thousands of calls, which 1,000-record requests take
        // millions of residents to make; smaller warm-up requests make them sooner.
        int roundBatch = Integer.getInteger("round.batch", batchSize);
        List<String> numbers = Collections.synchronizedList(new ArrayList<>());
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        for (int round = 1; round <= rounds; round++) {
            long t0 = System.nanoTime();
            Cpu c0 = Cpu.now();
            importRound(registry, token, "warm" + round + "-" + run, residents, roundBatch, pool, null);
            double s = (System.nanoTime() - t0) / 1e9;
            Cpu c = Cpu.now().minus(c0);
            System.out.printf("warm-up round %d (" + roundBatch + " records a request): api_import_rate=%.0f/s cpu per 1,000: registry=%.1f postgres=%.1f (this db's backends %.1f) ms, registry compiler threads %.1f%% of its CPU%n",
                    round, residents / s, 1e6 * c.registry / residents, 1e6 * c.postgres / residents, 1e6 * c.postgresDb / residents, c.compilerShare());
        }
        long importFrom = System.currentTimeMillis() / 1000;
        Cpu cpuBefore = Cpu.now();
        long start = System.nanoTime();
        importRound(registry, token, "bench-" + run, residents, batchSize, pool, numbers);
        double apiSeconds = (System.nanoTime() - start) / 1e9;
        Cpu importCpu = Cpu.now().minus(cpuBefore);
        System.out.printf("window import %d %d%n", importFrom, System.currentTimeMillis() / 1000 + 1);
        double apiRate = residents / apiSeconds;
        System.out.printf("api_import_seconds=%.2f api_import_rate=%.0f/s (printed again below)%n", apiSeconds, apiRate);

        double jdbcSeconds = rawJdbc(jdbcUrl, user, password, residents, batchSize, rounds);
        Cpu rawCpu = lastRawCpu;
        double jdbcRate = residents / jdbcSeconds;

        String readToken = token(registry);
        AtomicLong lookups = new AtomicLong();
        AtomicLong errors = new AtomicLong();
        long lookupFrom = System.currentTimeMillis() / 1000;
        long until = System.nanoTime() + lookupSeconds * 1_000_000_000L;
        List<Future<?>> readers = new ArrayList<>();
        for (int t = 0; t < threads * 2; t++) {
            int seed = t;
            readers.add(pool.submit(() -> {
                Random random = new Random(seed);
                while (System.nanoTime() < until) {
                    String n = numbers.get(random.nextInt(numbers.size()));
                    HttpResponse<Void> r = HTTP.send(HttpRequest.newBuilder(URI.create(registry + "/api/residents/lookup"))
                            .header("Authorization", "Bearer " + readToken).header("Content-Type", "application/json")
                            .POST(HttpRequest.BodyPublishers.ofString("{\"number\":\"" + n + "\"}")).build(), HttpResponse.BodyHandlers.discarding());
                    (r.statusCode() == 200 ? lookups : errors).incrementAndGet();
                }
                return null;
            }));
        }
        for (Future<?> f : readers) {
            f.get();
        }
        System.out.printf("window lookup %d %d%n", lookupFrom, System.currentTimeMillis() / 1000 + 1);
        pool.shutdown();
        System.out.printf("residents=%d threads=%d warmup=%d warmup_rounds=%d of %d records a request%n", residents, threads, warmup, rounds, roundBatch);
        System.out.printf("api_import_seconds=%.2f api_import_rate=%.0f/s%n", apiSeconds, apiRate);
        System.out.printf("raw_jdbc_seconds=%.2f raw_jdbc_rate=%.0f/s%n", jdbcSeconds, jdbcRate);
        System.out.printf("api_vs_raw_jdbc=%.1f%%%n", 100 * apiRate / jdbcRate);
        System.out.printf("cpu_import_seconds registry=%.2f postgres=%.2f client=%.2f (per 1,000 residents: %.0f / %.0f / %.0f ms)%n",
                importCpu.registry, importCpu.postgres, importCpu.client,
                1e6 * importCpu.registry / residents, 1e6 * importCpu.postgres / residents, 1e6 * importCpu.client / residents);
        System.out.printf("cpu_import_registry_threads_seconds%s%n", importCpu.topThreads());
        System.out.printf("cpu_import_postgres_this_db_backends=%.2f s (per 1,000 residents: %.1f ms)%n", importCpu.postgresDb, 1e6 * importCpu.postgresDb / residents);
        System.out.printf("registry_compiler_share=%.1f%% of the registry's CPU in the measured window (%s)%n", importCpu.compilerShare(),
                importCpu.compilerShare() < 5 ? "warm: below 5 %" : "NOT warm: 5 % or more");
        System.out.printf("cpu_raw_jdbc_seconds postgres=%.2f client=%.2f (per 1,000 rows: %.0f / %.0f ms; this db's backends %.1f ms)%n",
                rawCpu.postgres, rawCpu.client, 1e6 * rawCpu.postgres / residents, 1e6 * rawCpu.client / residents, 1e6 * rawCpu.postgresDb / residents);
        System.out.printf("lookups_per_second=%.0f errors=%d%n", lookups.get() / (double) lookupSeconds, errors.get());
    }

    /** One import of {@code residents} records in batches of {@code batchSize} through {@code pool}; numbers collected when asked. */
    static void importRound(String registry, String token, String prefix, int residents, int batchSize, ExecutorService pool,
                            List<String> numbers) throws Exception {
        List<Future<?>> futures = new ArrayList<>();
        for (int from = 0; from < residents; from += batchSize) {
            int f = from;
            futures.add(pool.submit(() -> {
                String body = post(registry, token, batch(prefix + "-" + f, f, Math.min(batchSize, residents - f)));
                Matcher m = Pattern.compile("\"number\":\"(\\d{12})\"").matcher(body);
                int created = 0;
                while (m.find()) {
                    if (numbers != null) {
                        numbers.add(m.group(1));
                    }
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
    }

    /**
     * The same row count into the registry's own resident table definition (its V1 migration, and V42 where the jar
     * has it: primary key, unique number_hmac, unique registration key, index, checks), built in schema "raw" of the baseline database; plain JDBC batches, one
     * transaction per batch.
     */
    static double rawJdbc(String url, String user, String password, int rows, int batchSize, int rounds) throws Exception {
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
            // Since V42 the resident row carries the key that registered it (unique per client): the raw rows do too.
            boolean keyed = Files.readString(Path.of(System.getProperty("migration"))).contains("registration_client");
            c.setAutoCommit(false);
            Random random = new Random(1);
            for (int round = 1; round <= rounds; round++) { // warm-up rounds into the same table, as the API's
                long t0 = System.nanoTime();
                Cpu c0 = Cpu.now();
                rawRound(c, keyed, random, rows, batchSize, round * rows);
                Cpu cpu = Cpu.now().minus(c0);
                System.out.printf("raw warm-up round %d: raw_jdbc_rate=%.0f/s cpu per 1,000: postgres=%.1f (this db's backends %.1f) client=%.1f ms%n",
                        round, rows / ((System.nanoTime() - t0) / 1e9), 1e6 * cpu.postgres / rows, 1e6 * cpu.postgresDb / rows, 1e6 * cpu.client / rows);
            }
            Cpu cpuBefore = Cpu.now();
            long start = System.nanoTime();
            rawRound(c, keyed, random, rows, batchSize, 0);
            double seconds = (System.nanoTime() - start) / 1e9;
            lastRawCpu = Cpu.now().minus(cpuBefore); // before the connection closes: its server process ends with it
            try (Statement s = c.createStatement()) {
                s.execute("drop table raw.access_log");
                s.execute("drop table raw.resident_change");
                s.execute("drop table if exists raw.registration_key");
                s.execute("drop table raw.resident");
            }
            c.commit();
            return seconds;
        }
    }

    /** One raw loop: {@code rows} rows with ids from {@code offset + 1}, one transaction per batch. */
    static void rawRound(Connection c, boolean keyed, Random random, int rows, int batchSize, int offset) throws Exception {
        try (PreparedStatement ps = c.prepareStatement("insert into raw.resident (id, number_hmac, number_cipher, family_name, "
                + "given_name, family_name_kana, given_name_kana, date_of_birth, sex, postal_code, prefecture, municipality, "
                + "address_line, status, version, created_at, updated_at" + (keyed ? ", registration_client, registration_key, registration_hash" : "")
                + ") values (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?" + (keyed ? ",?,?,?" : "") + ")")) {
            for (int i = 0; i < rows; i++) {
                OffsetDateTime now = OffsetDateTime.now();
                ps.setLong(1, offset + i + 1);
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
                ps.setString(13, "千代田1-" + (offset + i));
                ps.setString(14, "active");
                ps.setLong(15, 0);
                ps.setObject(16, now);
                ps.setObject(17, now);
                if (keyed) {
                    ps.setString(18, "demo-clerk");
                    ps.setString(19, "raw-" + offset + "-" + (i / batchSize) + "/r" + i);
                    ps.setString(20, Long.toHexString(random.nextLong()).repeat(4));
                }
                ps.addBatch();
                if ((i + 1) % batchSize == 0 || i == rows - 1) {
                    ps.executeBatch();
                    c.commit();
                }
            }
        }
    }

    /**
     * CPU seconds used so far by the registry JVM (-Dregistry.pid), by all processes of the PostgreSQL server (any
     * process whose name starts with "postgres", so another user's PostgreSQL work counts too) and by this client,
     * read from /proc: where the time of a phase went, on a machine whose cores all of them share.
     */
    record Cpu(double registry, double postgres, double postgresDb, double client, java.util.Map<String, Double> threads) {
        static final double TICK = 100.0; // USER_HZ on Linux

        static Cpu now() {
            String pid = System.getProperty("registry.pid");
            double postgres = 0;
            double postgresDb = 0;
            // -Dpg.db: the backends serving that database (and its autovacuum workers), the import's own work
            // without the other sessions' (the server's shared writers are in "postgres" only).
            String db = System.getProperty("pg.db");
            try (var dirs = Files.list(Path.of("/proc"))) {
                for (Path d : (Iterable<Path>) dirs::iterator) {
                    if (d.getFileName().toString().chars().allMatch(Character::isDigit)) {
                        String stat = stat(d);
                        if (stat != null && stat.contains("(postgres)")) {
                            double t = ticks(stat);
                            postgres += t;
                            if (db != null && backendOf(d, db)) {
                                postgresDb += t;
                            }
                        }
                    }
                }
            } catch (Exception e) {
                postgres = Double.NaN;
            }
            String registry = pid == null ? null : stat(Path.of("/proc", pid));
            String client = stat(Path.of("/proc/self"));
            // The registry's threads, "tid/name without digits" (GC threads, JIT compilers, request workers, event loops).
            java.util.Map<String, Double> threads = new java.util.TreeMap<>();
            if (pid != null) {
                try (var tasks = Files.list(Path.of("/proc", pid, "task"))) {
                    for (Path t : (Iterable<Path>) tasks::iterator) {
                        String stat = stat(t);
                        if (stat != null) {
                            String name = stat.substring(stat.indexOf('(') + 1, stat.lastIndexOf(')')).replaceAll("[0-9#]+", "").strip();
                            threads.put(t.getFileName() + "/" + name, ticks(stat) / TICK);
                        }
                    }
                } catch (Exception e) {
                    // the registry ended: no thread figures
                }
            }
            return new Cpu(registry == null ? Double.NaN : ticks(registry) / TICK, postgres / TICK, postgresDb / TICK,
                    client == null ? Double.NaN : ticks(client) / TICK, threads);
        }

        Cpu minus(Cpu o) {
            // Thread by thread, then summed by name: a thread that ended within the window is missing from this snapshot
            // and left out (its part of the window is lost, rather than its whole life subtracted from the others').
            java.util.Map<String, Double> threads = new java.util.TreeMap<>();
            this.threads.forEach((k, v) -> threads.merge(k.substring(k.indexOf('/') + 1), v - o.threads.getOrDefault(k, 0.0), Double::sum));
            return new Cpu(registry - o.registry, postgres - o.postgres, postgresDb - o.postgresDb, client - o.client, threads);
        }

        /** The JIT compiler threads' share of the registry's CPU, in percent (their names are "C1/C2 CompilerThre..."). */
        double compilerShare() {
            double jit = threads.entrySet().stream().filter(e -> e.getKey().contains("CompilerThre")).mapToDouble(Map.Entry::getValue).sum();
            return 100 * jit / registry;
        }

        static boolean backendOf(Path proc, String db) {
            try {
                // "postgres: [cluster:] user db client state", or "postgres: [cluster:] autovacuum worker db"
                java.util.List<String> words = java.util.List.of(Files.readString(proc.resolve("cmdline")).replace('\0', ' ').strip().split(" +"));
                return words.size() > 2 && words.get(0).equals("postgres:") && words.subList(2, words.size()).contains(db);
            } catch (Exception e) {
                return false;
            }
        }

        /** The registry threads' CPU seconds, largest first, those above 2 % of the process. */
        String topThreads() {
            StringBuilder b = new StringBuilder();
            threads.entrySet().stream().filter(e -> e.getValue() > 0.02 * registry)
                    .sorted(java.util.Map.Entry.<String, Double>comparingByValue().reversed())
                    .forEach(e -> b.append(String.format(" %s=%.2f", e.getKey().replace(' ', '_'), e.getValue())));
            return b.toString();
        }

        static String stat(Path proc) {
            try {
                return Files.readString(proc.resolve("stat"));
            } catch (Exception e) {
                return null; // the process ended
            }
        }

        /** utime + stime, fields 14 and 15, counted after the ")" that ends the command name. */
        static double ticks(String stat) {
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            return Double.parseDouble(f[11]) + Double.parseDouble(f[12]);
        }
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
