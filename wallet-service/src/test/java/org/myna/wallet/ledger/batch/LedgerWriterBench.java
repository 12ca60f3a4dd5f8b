package org.myna.wallet.ledger.batch;

import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.myna.platform.idempotency.Idempotency;
import org.myna.wallet.support.Tokens;
import org.myna.wallet.support.Wallet;

import javax.sql.DataSource;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.IntConsumer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.myna.wallet.support.Wallet.PROVIDER;

/**
 * A benchmark, not a test (skipped unless {@code -Dledger.bench=true}; it asserts only that every operation succeeded):
 * the batched ledger writer driven in-process, without HTTP, by {@code bench.clients} concurrent submitters, next to
 * pgledger's single-transfer SQL function ({@code pgledger_create_transfer}, one transaction per call, the same number
 * of connections, JDBC) and pgbench's one-insert-per-commit floor, in interleaved rounds of the same window. Run by
 * {@code bench/ledger.sh}, which prepares the database (schemas wallet and pgledger, table public.pgbench_one).
 * <p>
 * Each writer operation is a redemption of one point: a transfer from a resident's account to a merchant's account,
 * with its idempotency record, its access-log row and both balances, as {@code POST /api/redemptions} writes it.
 * CPU per operation: this JVM (which also runs the submitters, a small share) and the PostgreSQL backends of the
 * wallet's pool, from {@code /proc/<pid>/stat}; for pgledger, the backends of its connections only.
 */
@QuarkusTest
@EnabledIfSystemProperty(named = "ledger.bench", matches = "true")
class LedgerWriterBench {

    static final double TICK = 100.0; // USER_HZ

    @Inject
    LedgerWriter writer;
    @Inject
    Idempotency idempotency;
    @Inject
    DataSource dataSource;
    @Inject
    MeterRegistry meters;

    private final int clients = Integer.getInteger("bench.clients", 16);
    private final int seconds = Integer.getInteger("bench.seconds", 10);
    private final int rounds = Integer.getInteger("bench.rounds", 2);
    private final int residents = Integer.getInteger("bench.residents", 64);
    private final int pgledgerAccounts = Integer.getInteger("bench.pgledger.accounts", 1000);
    private final String pgledgerUrl = System.getProperty("bench.pgledger.url");
    private final String database = System.getProperty("bench.database", "myna_bench");
    private final StringBuilder report = new StringBuilder();

    @Test
    void writerAgainstPgledgerAndPgbench() throws Exception {
        String campaign = Wallet.campaign(10_000_000_000L, Wallet.standardRules());
        String service = Wallet.paymentService(PROVIDER);
        String merchant = Wallet.merchant(PROVIDER);
        List<String> accounts = new ArrayList<>();
        for (int i = 0; i < residents; i++) {
            String resident = Tokens.linkCode();
            accounts.add(Wallet.choose(resident, campaign, service));
            Wallet.apply(resident, campaign, "insurance-link").then().statusCode(201);
            Wallet.apply(resident, campaign, "public-fund-account").then().statusCode(201);
        }
        List<String> hashes = accounts.stream().map(a -> idempotency.hash("POST /api/redemptions",
                Map.of("paymentAccount", a, "merchant", merchant, "amount", 1, "campaign", campaign))).toList();
        List<String> ledgerAccounts = pgledgerUrl == null ? List.of() : pgledgerSetup();

        line("ledger bench: clients=%d seconds=%d rounds=%d residents=%d pgledger_accounts=%d batch_size_max=%s",
                clients, seconds, rounds, residents, pgledgerAccounts, org.eclipse.microprofile.config.ConfigProvider.getConfig()
                        .getOptionalValue("wallet.ledger.batch-size", String.class).orElse("200"));
        line("load: %s", Files.readString(Path.of("/proc/loadavg")).strip());
        // Warm-up (JIT, pools): not measured.
        writerRun(campaign, merchant, accounts, hashes, Math.max(3, seconds / 2), false);
        if (!ledgerAccounts.isEmpty()) {
            pgledgerRun(ledgerAccounts, Math.max(2, seconds / 4), false);
        }
        for (int round = 1; round <= rounds; round++) {
            line("-- round %d, load %s", round, Files.readString(Path.of("/proc/loadavg")).strip());
            writerRun(campaign, merchant, accounts, hashes, seconds, true);
            if (!ledgerAccounts.isEmpty()) {
                pgledgerRun(ledgerAccounts, seconds, true);
            }
            pgbench();
        }
        String out = System.getProperty("bench.out");
        if (out != null) {
            Files.writeString(Path.of(out), report.toString());
        }
    }

    private void writerRun(String campaign, String merchant, List<String> accounts, List<String> hashes, int secs, boolean print)
            throws Exception {
        List<Integer> backends = walletBackends();
        double batchesBefore = summaryCount();
        double requestsBefore = summaryTotal();
        AtomicLong errors = new AtomicLong();
        Cpu before = Cpu.of(backends);
        Result r = drive(secs, t -> {
            int i = t;
            long until = System.nanoTime() + secs * 1_000_000_000L;
            long n = 0;
            while (System.nanoTime() < until) {
                int a = i % accounts.size();
                i += clients;
                LedgerCommand.Key k = new LedgerCommand.Key(PROVIDER, UUID.randomUUID().toString(), "POST /api/redemptions", hashes.get(a));
                CompletableFuture<LedgerOutcome> f = writer.submit(new LedgerCommand.Redemption(k, PROVIDER, accounts.get(a), null, merchant, 1,
                        campaign, new CompletableFuture<>()));
                try {
                    LedgerOutcome o = f.get(60, TimeUnit.SECONDS);
                    if (o.status() == 201) {
                        n++;
                    } else {
                        errors.incrementAndGet();
                    }
                } catch (Exception e) {
                    errors.incrementAndGet();
                }
            }
            return n;
        });
        Cpu used = Cpu.of(backends).minus(before);
        double batches = summaryCount() - batchesBefore;
        double requests = summaryTotal() - requestsBefore;
        if (print) {
            line("writer   rate=%.0f/s ops=%d errors=%d seconds=%.2f cpu_ms_per_op jvm=%.3f (ledger-writer thread %.3f) pg=%.3f total=%.3f "
                            + "batches=%.0f mean_batch=%.1f",
                    r.rate(), r.ops, errors.get(), r.seconds, used.jvmMs(r.ops), used.writerMs(r.ops), used.pgMs(r.ops),
                    used.jvmMs(r.ops) + used.pgMs(r.ops), batches, batches == 0 ? 0 : requests / batches);
        }
        assertThat(errors.get()).as("writer operations refused or failed").isZero();
    }

    private List<String> pgledgerSetup() throws Exception {
        try (Connection c = pgledger()) {
            List<String> ids = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement("select id from pgledger_create_account(?, 'JPY')")) {
                for (int i = 0; i < pgledgerAccounts; i++) {
                    ps.setString(1, "bench-" + i);
                    try (ResultSet rs = ps.executeQuery()) {
                        rs.next();
                        ids.add(rs.getString(1));
                    }
                }
            }
            return ids;
        }
    }

    private Connection pgledger() throws Exception {
        Connection c = DriverManager.getConnection(pgledgerUrl, System.getProperty("bench.pgledger.user", "pgledger"),
                System.getProperty("bench.pgledger.password", "pgledger"));
        try (Statement s = c.createStatement()) {
            s.execute("set search_path to pgledger");
        }
        return c;
    }

    /** Each connection calls pgledger_create_transfer in its own transaction (autocommit), from and to drawn at random. */
    private void pgledgerRun(List<String> ids, int secs, boolean print) throws Exception {
        List<Connection> connections = new ArrayList<>();
        List<Integer> backends = new ArrayList<>();
        for (int i = 0; i < clients; i++) {
            Connection c = pgledger();
            connections.add(c);
            try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("select pg_backend_pid()")) {
                rs.next();
                backends.add(rs.getInt(1));
            }
        }
        try {
            Cpu before = Cpu.of(backends);
            Result r = drive(secs, t -> {
                long until = System.nanoTime() + secs * 1_000_000_000L;
                long n = 0;
                try (PreparedStatement ps = connections.get(t).prepareStatement("select id from pgledger_create_transfer(?, ?, 1)")) {
                    while (System.nanoTime() < until) {
                        int from = ThreadLocalRandom.current().nextInt(ids.size());
                        int to = (from + 1 + ThreadLocalRandom.current().nextInt(ids.size() - 1)) % ids.size();
                        ps.setString(1, ids.get(from));
                        ps.setString(2, ids.get(to));
                        try (ResultSet rs = ps.executeQuery()) {
                            rs.next();
                        }
                        n++;
                    }
                }
                return n;
            });
            Cpu used = Cpu.of(backends).minus(before);
            if (print) {
                line("pgledger rate=%.0f/s ops=%d seconds=%.2f cpu_ms_per_op pg=%.3f (client JDBC loop not counted: %.3f)",
                        r.rate(), r.ops, r.seconds, used.pgMs(r.ops), used.jvmMs(r.ops));
            }
        } finally {
            for (Connection c : connections) {
                c.close();
            }
        }
    }

    /**
     * pgbench, one insert per commit, the same number of clients; its CPU is every PostgreSQL process's, ended backends
     * included (so other sessions' work on this server too: an upper bound).
     */
    private void pgbench() throws Exception {
        Path script = Path.of("target/pgbench-one.sql").toAbsolutePath();
        Files.writeString(script, "insert into public.pgbench_one (v) values ('x');\n");
        script.toFile().setReadable(true, false);
        double pgBefore = Cpu.allPostgres();
        Process p = new ProcessBuilder("su", "postgres", "-c",
                "pgbench -n -c " + clients + " -j 2 -T " + seconds + " -f " + script + " " + database)
                .redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        p.waitFor();
        double pg = Cpu.allPostgres() - pgBefore;
        double tps = out.lines().filter(l -> l.startsWith("tps")).map(l -> Double.parseDouble(l.split("\\s+")[2])).findFirst().orElse(Double.NaN);
        line("pgbench  rate=%.0f/s (one insert per commit, %d clients) cpu_ms_per_op all_pg_processes=%.3f", tps, clients,
                1000 * pg / (tps * seconds));
    }

    private record Result(long ops, double seconds) {
        double rate() {
            return ops / seconds;
        }
    }

    private interface Worker {
        long run(int thread) throws Exception;
    }

    private Result drive(int secs, Worker worker) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(clients);
        try {
            long start = System.nanoTime();
            List<Future<Long>> futures = new ArrayList<>();
            for (int t = 0; t < clients; t++) {
                int thread = t;
                futures.add(pool.submit(() -> worker.run(thread)));
            }
            long ops = 0;
            for (Future<Long> f : futures) {
                ops += f.get();
            }
            return new Result(ops, (System.nanoTime() - start) / 1e9);
        } finally {
            pool.shutdownNow();
        }
    }

    /** The backends of the wallet's pool: every session of the wallet's user on this database but this one's own query. */
    private List<Integer> walletBackends() throws Exception {
        List<Integer> pids = new ArrayList<>();
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("select pid from pg_stat_activity where datname = current_database() and usename = current_user")) {
            while (rs.next()) {
                pids.add(rs.getInt(1));
            }
        }
        return pids;
    }

    private double summaryCount() {
        var s = meters.find("wallet.ledger.batch.size").summary();
        return s == null ? 0 : s.count();
    }

    private double summaryTotal() {
        var s = meters.find("wallet.ledger.batch.size").summary();
        return s == null ? 0 : s.totalAmount();
    }

    private void line(String format, Object... args) {
        String l = String.format(format, args);
        System.out.println(l);
        report.append(l).append('\n');
    }

    /** CPU seconds of this JVM, of its ledger-writer thread and of the given PostgreSQL backends. */
    private record Cpu(double jvm, double writer, double pg) {
        static Cpu of(List<Integer> backends) {
            double pg = 0;
            for (int pid : backends) {
                pg += ticks(Path.of("/proc", Integer.toString(pid), "stat"));
            }
            double writer = 0;
            try (var tasks = Files.list(Path.of("/proc/self/task"))) {
                for (Path t : (Iterable<Path>) tasks::iterator) {
                    String stat = read(t.resolve("stat"));
                    if (stat != null && stat.contains("(ledger-writer)")) {
                        writer += ticks(t.resolve("stat"));
                    }
                }
            } catch (IOException e) {
                writer = Double.NaN;
            }
            return new Cpu(ticks(Path.of("/proc/self/stat")) / TICK, writer / TICK, pg / TICK);
        }

        static double allPostgres() throws IOException {
            double sum = 0;
            try (var dirs = Files.list(Path.of("/proc"))) {
                for (Path d : (Iterable<Path>) dirs::iterator) {
                    if (d.getFileName().toString().chars().allMatch(Character::isDigit)) {
                        String stat = read(d.resolve("stat"));
                        if (stat != null && stat.contains("(postgres)")) {
                            // utime + stime, and cutime + cstime: the postmaster keeps the CPU of backends that ended
                            // (pgbench's connections close before the figure is read).
                            String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                            sum += Double.parseDouble(f[11]) + Double.parseDouble(f[12]) + Double.parseDouble(f[13]) + Double.parseDouble(f[14]);
                        }
                    }
                }
            }
            return sum / TICK;
        }

        Cpu minus(Cpu o) {
            return new Cpu(jvm - o.jvm, writer - o.writer, pg - o.pg);
        }

        double jvmMs(long ops) {
            return 1000 * jvm / ops;
        }

        double writerMs(long ops) {
            return 1000 * writer / ops;
        }

        double pgMs(long ops) {
            return 1000 * pg / ops;
        }

        static String read(Path p) {
            try {
                return Files.readString(p);
            } catch (IOException e) {
                return null;
            }
        }

        /** utime + stime (fields 14 and 15, counted after the ")" that ends the command name); 0 for a process gone. */
        static double ticks(Path stat) {
            String s = read(stat);
            if (s == null) {
                return 0;
            }
            String[] f = s.substring(s.lastIndexOf(')') + 2).split(" ");
            return Double.parseDouble(f[11]) + Double.parseDouble(f[12]);
        }
    }
}
